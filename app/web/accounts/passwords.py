"""Forgotten password, and the single-use links that set a password
(/password/set/... for new staff, /password/reset/... after "forgot")."""

from __future__ import annotations

import asyncio

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.accounts import tokens
from app.domain.accounts.limits import claim_forgot
from app.domain.accounts.passwords import hash_secret, password_problem
from app.domain.accounts.queries import normalise_email, user_for_mail
from app.domain.core.limits import minutes
from app.i18n import _, ngettext
from app.web.accounts.links import LINK_STATUS, NO_STORE, link_reason
from app.web.core.commands import messages, run
from app.web.core.context import client_address, flash
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect

# Purpose of the link -> the command that uses it.
LINKS = {
    tokens.SET_PASSWORD: "accounts.set_password",
    tokens.RESET_PASSWORD: "accounts.reset_password",
}
LINK_HEADERS = NO_STORE


def _with_link_headers(response: Response) -> Response:
    for name, value in LINK_HEADERS.items():
        response.headers[name] = value
    return response


# -- forgot -----------------------------------------------------------------


def _forgot_page(
    request: Request, typed: str = "", errors: dict | None = None, summary: str | None = None, status_code: int = 200
) -> Response:
    context = {"values": {"email": typed.strip()}, "errors": errors or {}, "summary": summary}
    return page(request, "accounts/forgot.html", context, status_code=status_code)


@get("/password/forgot", opt=PUBLIC, include_in_schema=False)
async def forgot_form(request: Request) -> Response:
    return _forgot_page(request)


@post("/password/forgot", opt=PUBLIC, include_in_schema=False)
async def forgot(request: Request) -> Response:
    form = await read_form(request)
    typed = form.get("email", "")
    email = normalise_email(typed)
    if not email or "@" not in email:
        errors = {"email": _("Enter your e-mail address, for example name@example.be.")}
        return _forgot_page(request, typed, errors, _("Check the e-mail address."), 422)
    # Counted per address and per typed address, known or not: the answer
    # tells nothing about accounts.
    attempt = await claim_forgot(email, client_address(request))
    if attempt.refused:
        summary = ngettext(
            "Too many requests. Try again in %(num)d minute.",
            "Too many requests. Try again in %(num)d minutes.",
            minutes(attempt.wait),
        )
        return _forgot_page(request, typed, {}, summary, 429)
    # Nobody acts: the address typed may be anyone's, signed in or not.
    outcome = await run(request, "accounts.request_password_reset", {"email": email}, form, actor_id=None)
    if not outcome.applied:
        # An address longer than the payload allows (no account has one), or
        # the form sent before with another address (`resent`): the form
        # again. Neither says anything about accounts.
        errors = messages(outcome)
        summary = errors.pop("_", "") or _("Check the e-mail address.")
        return _forgot_page(request, typed, errors, summary, 422)
    # The same answer whether or not the address has an account.
    return page(request, "accounts/forgot_sent.html")


# -- set / reset through a link -----------------------------------------------


def _problem_page(request: Request, reason: str, purpose: str) -> Response:
    response = page(
        request,
        "accounts/link_problem.html",
        {"reason": reason, "purpose": purpose},
        status_code=LINK_STATUS[reason],
    )
    return _with_link_headers(response)


def _form_page(
    request: Request,
    purpose: str,
    secret: str,
    errors: dict | None = None,
    status_code: int = 200,
    summary: str | None = None,
) -> Response:
    context = {
        "purpose": purpose,
        "action": f"/password/{'set' if purpose == tokens.SET_PASSWORD else 'reset'}/{secret}",
        "errors": errors or {},
        "summary": summary or (_("Check the password.") if errors else None),
    }
    return _with_link_headers(page(request, "accounts/choose_password.html", context, status_code=status_code))


async def _show(request: Request, secret: str, purpose: str) -> Response:
    try:
        await tokens.check(secret, purpose)
    except tokens.TokenProblem as problem:
        return _problem_page(request, problem.reason, purpose)
    return _form_page(request, purpose, secret)


def _password_errors(password: str, confirmation: str, email: str | None) -> dict[str, str]:
    problem = password_problem(password, email)
    if problem:
        return {"password": _(problem)}
    if confirmation != password:
        return {"confirmation": _("The two passwords are not the same.")}
    return {}


async def _submit(request: Request, secret: str, purpose: str) -> Response:
    try:
        token = await tokens.check(secret, purpose)
    except tokens.TokenProblem as problem:
        return _problem_page(request, problem.reason, purpose)
    form = await read_form(request)
    user = await user_for_mail(token["user"])
    errors = _password_errors(form.get("password", ""), form.get("confirmation", ""), user["email"] if user else None)
    if errors:
        return _form_page(request, purpose, secret, errors, 422)
    password_hash = await asyncio.to_thread(hash_secret, form["password"])
    payload = {"token_id": token["id"], "password_hash": password_hash}
    # The account the link was mailed to acts, whoever is signed in here.
    outcome = await run(request, LINKS[purpose], payload, form, actor_id=token["user"])
    if not outcome.applied:
        reason = link_reason(outcome)
        if reason:
            return _problem_page(request, reason, purpose)
        texts = messages(outcome)
        if outcome.code() == "resent":
            return _form_page(request, purpose, secret, {"password": ""}, 422, summary=texts["_"])
        return _form_page(request, purpose, secret, {"password": texts.get("password", _("Choose a password."))}, 422)
    if purpose == tokens.SET_PASSWORD:
        flash(request, _("Your password is set. You can log in now."), "success")
    else:
        flash(request, _("Your new password is saved. You can log in now."), "success")
    return redirect(request, "/login")


@get("/password/set/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def set_form(request: Request, secret: FromPath[str]) -> Response:
    return await _show(request, secret, tokens.SET_PASSWORD)


@post("/password/set/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def set_password(request: Request, secret: FromPath[str]) -> Response:
    return await _submit(request, secret, tokens.SET_PASSWORD)


@get("/password/reset/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def reset_form(request: Request, secret: FromPath[str]) -> Response:
    return await _show(request, secret, tokens.RESET_PASSWORD)


@post("/password/reset/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def reset_password(request: Request, secret: FromPath[str]) -> Response:
    return await _submit(request, secret, tokens.RESET_PASSWORD)
