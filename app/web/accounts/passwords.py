"""Forgotten password, and the single-use links that set a password
(/password/set/... for new staff, /password/reset/... after "forgot")."""

from __future__ import annotations

import asyncio
import uuid

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.accounts import tokens
from app.domain.accounts.commands import link_problem
from app.domain.accounts.limits import claim_forgot
from app.domain.accounts.passwords import hash_secret, password_problem
from app.domain.accounts.queries import normalise_email, user_for_mail
from app.domain.core.commands import Command, Conflict, execute
from app.domain.core.limits import minutes
from app.i18n import _, ngettext
from app.web.core.context import client_address, flash
from app.web.core.forms import command_id, read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect

# Purpose of the link -> the command that uses it.
LINKS = {
    tokens.SET_PASSWORD: "accounts.set_password",
    tokens.RESET_PASSWORD: "accounts.reset_password",
}
LINK_STATUS = {"invalid": 400, "expired": 410, "used": 410}
# The secret is in the URL: no copy in browser or proxy caches (other sites
# get no Referer: the app-wide Referrer-Policy is same-origin).
LINK_HEADERS = {"Cache-Control": "no-store"}


def _with_link_headers(response: Response) -> Response:
    for name, value in LINK_HEADERS.items():
        response.headers[name] = value
    return response


# -- forgot -----------------------------------------------------------------


@get("/password/forgot", opt=PUBLIC, include_in_schema=False)
async def forgot_form(request: Request) -> Response:
    return page(request, "accounts/forgot.html", {"values": {"email": ""}, "errors": {}, "summary": None})


@post("/password/forgot", opt=PUBLIC, include_in_schema=False)
async def forgot(request: Request) -> Response:
    form = await read_form(request)
    email = normalise_email(form.get("email", ""))
    if not email or "@" not in email or len(email) > 254:
        errors = {"email": _("Enter your e-mail address, for example name@example.be.")}
        context = {
            "values": {"email": form.get("email", "").strip()},
            "errors": errors,
            "summary": _("Check the e-mail address."),
        }
        return page(request, "accounts/forgot.html", context, status_code=422)
    # Counted per address and per typed address, known or not: the answer
    # tells nothing about accounts.
    attempt = await claim_forgot(email, client_address(request))
    if attempt.refused:
        summary = ngettext(
            "Too many requests. Try again in %(num)d minute.",
            "Too many requests. Try again in %(num)d minutes.",
            minutes(attempt.wait),
        )
        context = {"values": {"email": form.get("email", "").strip()}, "errors": {}, "summary": summary}
        return page(request, "accounts/forgot.html", context, status_code=429)
    command = Command(
        type="accounts.request_password_reset", payload={"email": email}, actor_id=None, id=command_id(form)
    )
    try:
        await execute(command)
    except Conflict:
        # The form was sent again with another address: a request of its own.
        await execute(Command(type=command.type, payload=command.payload, actor_id=None, id=uuid.uuid4()))
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
    request: Request, purpose: str, secret: str, errors: dict | None = None, status_code: int = 200
) -> Response:
    context = {
        "purpose": purpose,
        "action": f"/password/{'set' if purpose == tokens.SET_PASSWORD else 'reset'}/{secret}",
        "errors": errors or {},
        "summary": _("Check the password.") if errors else None,
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
    command = Command(
        type=LINKS[purpose],
        payload={"token_id": token["id"], "password_hash": password_hash},
        actor_id=token["user"],
        id=command_id(form),
    )
    try:
        outcome = await execute(command)
    except Conflict:
        # The same form sent twice with another password: the first one won.
        return _problem_page(request, "used", purpose)
    if not outcome.applied:
        reason = link_problem(outcome.errors)
        if reason:
            return _problem_page(request, reason, purpose)
        return _form_page(
            request, purpose, secret, {"password": _(outcome.errors.get("password", "Choose a password."))}, 422
        )
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
