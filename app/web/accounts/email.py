"""/email/confirm/<secret>: confirming a new e-mail address from the link
mailed to it. Opening the link only shows a button (mail scanners open
links too); the change happens on the POST."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.accounts import tokens
from app.domain.accounts.commands import link_problem
from app.domain.accounts.email_change import EMAIL_TAKEN_NOW, pending_address
from app.domain.core.commands import Command, Conflict, execute
from app.i18n import _
from app.web.accounts.sessions import session_user_id, start_session
from app.web.core.context import flash
from app.web.core.forms import command_id, read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect

STATUS = {"invalid": 400, "expired": 410, "used": 410}
NO_STORE = {"Cache-Control": "no-store"}


def _no_store(response: Response) -> Response:
    for name, value in NO_STORE.items():
        response.headers[name] = value
    return response


def _problem(request: Request, reason: str) -> Response:
    return _no_store(
        page(request, "accounts/confirm_email_problem.html", {"reason": reason}, status_code=STATUS[reason])
    )


def _confirm_page(
    request: Request, secret: str, email: str, problem: str | None = None, status_code: int = 200
) -> Response:
    context = {"email": email, "action": f"/email/confirm/{secret}", "problem": problem}
    return _no_store(page(request, "accounts/confirm_email.html", context, status_code=status_code))


async def _token(secret: str) -> tuple[dict | None, str | None, str | None]:
    """(token row, pending address, problem reason)."""
    try:
        token = await tokens.check(secret, tokens.CONFIRM_EMAIL)
    except tokens.TokenProblem as problem:
        return None, None, problem.reason
    email = await pending_address(token["user"])
    if email:
        return token, email, None
    try:
        # Confirmed (or replaced) a moment ago by a parallel request: say so.
        await tokens.check(secret, tokens.CONFIRM_EMAIL)
    except tokens.TokenProblem as problem:
        return None, None, problem.reason
    return None, None, "invalid"


@get("/email/confirm/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def confirm_form(request: Request, secret: FromPath[str]) -> Response:
    _row, email, reason = await _token(secret)
    return _problem(request, reason) if reason else _confirm_page(request, secret, email)


@post("/email/confirm/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def confirm(request: Request, secret: FromPath[str]) -> Response:
    token, email, reason = await _token(secret)
    if reason:
        return _problem(request, reason)
    form = await read_form(request)
    command = Command(
        type="accounts.confirm_email", payload={"token_id": token["id"]}, actor_id=token["user"], id=command_id(form)
    )
    try:
        outcome = await execute(command)
    except Conflict:
        return _problem(request, "used")
    if not outcome.applied:
        if outcome.errors.get("_") == EMAIL_TAKEN_NOW:
            return _confirm_page(request, secret, email, _(EMAIL_TAKEN_NOW), 409)
        return _problem(request, link_problem(outcome.errors) or "invalid")
    flash_target = "/login"
    if session_user_id(request) == token["user"]:
        await start_session(request, token["user"])  # this browser stays signed in
        flash_target = "/home"
    elif session_user_id(request) is not None:
        flash_target = "/home"  # somebody else's browser: they stay who they are
    flash(request, _("Your e-mail address is changed. From now on you log in with %(email)s.", email=email), "success")
    return redirect(request, flash_target)


handlers = [confirm_form, confirm]
