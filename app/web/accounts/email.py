"""/email/confirm/<secret>: confirming a new e-mail address from the link
mailed to it. Opening the link only shows a button (mail scanners open
links too); the change happens on the POST."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.accounts import tokens
from app.domain.accounts.email_change import pending_address
from app.i18n import _
from app.web.accounts.links import LINK_STATUS, NO_STORE, link_reason
from app.web.accounts.sessions import session_user_id, start_session
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect


def _no_store(response: Response) -> Response:
    for name, value in NO_STORE.items():
        response.headers[name] = value
    return response


def _problem(request: Request, reason: str) -> Response:
    return _no_store(
        page(request, "accounts/confirm_email_problem.html", {"reason": reason}, status_code=LINK_STATUS[reason])
    )


def _confirm_page(
    request: Request,
    secret: str,
    email: str,
    problem: str | None = None,
    status_code: int = 200,
    *,
    again: bool = False,
) -> Response:
    """`problem`: why the address was not changed; `again`: the form is shown
    once more under it (a form sent before with other values)."""
    context = {"email": email, "action": f"/email/confirm/{secret}", "problem": problem, "again": again}
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
    # _token gives an address exactly when it gives no reason.
    if reason or email is None:
        return _problem(request, reason or "invalid")
    return _confirm_page(request, secret, email)


@post("/email/confirm/{secret:str}", opt=PUBLIC, include_in_schema=False)
async def confirm(request: Request, secret: FromPath[str]) -> Response:
    token, email, reason = await _token(secret)
    # _token gives a token and an address exactly when it gives no reason.
    if reason or token is None or email is None:
        return _problem(request, reason or "invalid")
    form = await read_form(request)
    # The account the link was mailed to acts, whoever is signed in here.
    outcome = await run(request, "accounts.confirm_email", {"token_id": token["id"]}, form, actor_id=token["user"])
    if not outcome.applied:
        code = outcome.code()
        if code == "email_taken_now":
            return _confirm_page(request, secret, email, messages(outcome)["_"], 409)
        if code == "resent":
            return _confirm_page(request, secret, email, messages(outcome)["_"], 422, again=True)
        return _problem(request, link_reason(outcome) or "invalid")
    flash_target = "/login"
    if session_user_id(request) == token["user"]:
        await start_session(request, token["user"])  # this browser stays signed in
        flash_target = "/home"
    elif session_user_id(request) is not None:
        flash_target = "/home"  # somebody else's browser: they stay who they are
    flash(request, _("Your e-mail address is changed. From now on you log in with %(email)s.", email=email), "success")
    return redirect(request, flash_target)


handlers = [confirm_form, confirm]
