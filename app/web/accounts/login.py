"""/login and /logout."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app import i18n
from app.domain.accounts.login import check_login, login_succeeded, record_logout
from app.domain.core.commands import Outcome
from app.domain.core.limits import minutes
from app.i18n import _, ngettext
from app.web.accounts.sessions import end_session, start_session
from app.web.core.commands import messages, run
from app.web.core.context import client_address, current_user, flash, remember_language
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect, safe_next
from app.web.sessions import terminal_language

HOME = "/home"


def _login_page(
    request: Request, values: dict, errors: dict | None = None, summary: str | None = None, status_code: int = 200
) -> Response:
    return page(
        request,
        "accounts/login.html",
        {"values": values, "errors": errors or {}, "summary": summary},
        status_code=status_code,
    )


@get("/login", opt=PUBLIC, include_in_schema=False)
async def login_form(request: Request) -> Response:
    if current_user(request) is not None:
        return redirect(request, HOME)
    return _login_page(request, {"email": "", "next": safe_next(request.query_params.get("next"), "")})


async def record_login(request: Request, user_id: int, form: dict) -> Outcome:
    """Records the login (refused when the account was switched off a moment
    ago, or with `resent` when this form was sent before for another
    account). The account that just proved its password acts: nobody is
    signed in yet."""
    return await run(request, "accounts.record_login", {"user_id": user_id}, form, actor_id=user_id)


@post("/login", opt=PUBLIC, include_in_schema=False)
async def login(request: Request) -> Response:
    if current_user(request) is not None:
        return redirect(request, HOME)
    form = await read_form(request)
    email, password = form.get("email", "").strip(), form.get("password", "")
    remember = form.get("remember") == "1"
    values = {"email": email, "next": safe_next(form.get("next"), ""), "remember": remember}
    errors = {}
    if not email:
        errors["email"] = _("Enter your e-mail address.")
    if not password:
        errors["password"] = _("Enter your password.")
    if errors:
        return _login_page(request, values, errors, _("Fill in both fields."), 422)

    check = await check_login(email, password, client_address(request))
    if check.wait:
        message = ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            minutes(check.wait),
        )
        return _login_page(request, values, {}, message, 429)
    outcome = await record_login(request, check.user_id, form) if check.user_id is not None else None
    if outcome is not None and outcome.code() == "resent":
        # The password was right: its claims go back; the form is shown
        # again, with a fresh id, for the person to send once more.
        await login_succeeded(check)
        return _login_page(request, values, {"password": ""}, messages(outcome)["_"], 422)
    if outcome is None or not outcome.applied or check.user_id is None:
        return _login_page(request, values, {"email": "", "password": ""}, _("E-mail or password is incorrect."), 422)

    await login_succeeded(check)
    await start_session(request, check.user_id, check.session_version, remember=remember)
    return redirect(request, safe_next(str(values["next"]), HOME))


@post("/logout", opt=PUBLIC, include_in_schema=False)
async def logout(request: Request) -> Response:
    user = current_user(request)
    # A badge session returns to /badge, in the language the terminal showed
    # before the worker logged in (app/web/sessions.py).
    terminal = terminal_language(request.scope.get("session"))
    await end_session(request)
    response = redirect(request, "/badge" if terminal else "/")
    if user is not None:
        await record_logout(user.id, user.organisation_id)
        if terminal:
            i18n.set_language(terminal)
        flash(request, _("You are logged out."), "success")
        # The next page keeps the language the user was reading in.
        remember_language(request, response, terminal or i18n.current_language())
    return response
