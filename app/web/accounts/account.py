"""The signed-in user's own account: change the password, log out everywhere.

A new password ends every other session of the account; this browser starts
a fresh session (new id, new version) and stays signed in. Wrong current
passwords count against the same per-account limit as logins, so a stolen
session cannot be used to guess the password.
"""

from __future__ import annotations

import asyncio

from litestar import Request, Response, get, post

from app import i18n
from app.domain.accounts.limits import ACCOUNT, ADDRESS, account_subject, address_subject
from app.domain.accounts.own_account import has_password, verify_current
from app.domain.accounts.passwords import hash_secret, password_problem
from app.domain.core.limits import limiter, minutes
from app.i18n import _, ngettext
from app.web.accounts.sessions import end_session, start_session
from app.web.core.commands import messages, run
from app.web.core.context import client_address, flash, remember_language, signed_in_user
from app.web.core.forms import read_form
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

NO_STORE = {"Cache-Control": "no-store"}
LABELS = ("current", "password", "confirmation")


def _form_page(
    request: Request, has_password: bool, errors: dict | None = None, summary: str | None = None, status_code: int = 200
) -> Response:
    labels = {
        "current": _("Current password"),
        "password": _("New password"),
        "confirmation": _("Repeat the new password"),
    }
    context = {"has_password": has_password, "errors": errors or {}, "summary": summary, "labels": labels}
    response = page(request, "accounts/change_password.html", context, status_code=status_code)
    for name, value in NO_STORE.items():
        response.headers[name] = value
    return response


def _new_password_errors(form: dict, email: str | None) -> dict[str, str]:
    current, password = form.get("current", ""), form.get("password", "")
    errors = {}
    if not current:
        errors["current"] = _("Enter your current password.")
    problem = password_problem(password, email)
    if problem:
        errors["password"] = _(problem)
    elif current and password == current:
        errors["password"] = _("Choose a password that is different from your current one.")
    elif form.get("confirmation", "") != password:
        errors["confirmation"] = _("The two passwords are not the same.")
    return errors


@get("/home/password", opt=permission("account.home"), include_in_schema=False)
async def password_form(request: Request) -> Response:
    return _form_page(request, await has_password(signed_in_user(request).id))


@post("/home/password", opt=permission("account.home"), include_in_schema=False)
async def change_password(request: Request) -> Response:
    user = signed_in_user(request)
    form = await read_form(request)
    if not await has_password(user.id):
        return _form_page(request, False, status_code=422)
    errors = _new_password_errors(form, user.email)
    if errors:
        return _form_page(request, True, errors, _("Check the passwords."), 422)
    # Claimed before the check, on the same counters as logins.
    limits = limiter()
    attempt = await limits.claim(
        (ADDRESS, address_subject(client_address(request))), (ACCOUNT, account_subject("", user.id))
    )
    if attempt.refused:
        message = ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            minutes(attempt.wait),
        )
        return _form_page(request, True, {}, message, 429)
    checked = await verify_current(user.id, form["current"])
    if checked is None:
        return _form_page(
            request, True, {"current": _("Your current password is not right.")}, _("Check the passwords."), 422
        )
    await limits.give_back(attempt)
    new_hash = await asyncio.to_thread(hash_secret, form["password"])
    payload = {"password_hash": new_hash, "checked_hash": checked}
    outcome = await run(request, "accounts.change_password", payload, form)
    if not outcome.applied:
        texts = messages(outcome)
        errors = {field: text for field, text in texts.items() if field in LABELS}
        return _form_page(request, True, errors or {"current": ""}, texts.get("_", _("Check the passwords.")), 422)
    await start_session(request, user.id)  # this browser stays signed in
    flash(request, _("Your new password is saved. You are logged out on your other devices."), "success")
    return redirect(request, "/home")


@post("/home/logout-everywhere", opt=permission("account.home"), include_in_schema=False)
async def logout_everywhere(request: Request) -> Response:
    user = signed_in_user(request)
    form = await read_form(request)
    outcome = await run(request, "accounts.end_sessions", {"user_id": user.id}, form)
    if not outcome.applied:
        flash(request, messages(outcome).get("_", _("You may not do this.")), "error")
        return redirect(request, "/home")
    await end_session(request)
    flash(request, _("You are logged out on every device."), "success")
    response = redirect(request, "/login")
    remember_language(request, response, i18n.current_language())
    return response


handlers = [password_form, change_password, logout_everywhere]
