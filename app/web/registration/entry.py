"""The ways in: the link (or QR) from the invitation, and the short code
typed on /register. Both lead to the birth date check."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.commands import Command
from app.domain.invitations import secrets
from app.domain.registration.limits import CodeLimiter
from app.domain.registration.queries import invitation_by_code, invitation_by_token, problem_of
from app.i18n import _
from app.web.context import client_address
from app.web.forms import command_id, read_form
from app.web.guards import PUBLIC
from app.web.pages import page, redirect
from app.web.registration import flow


def _limiter(request: Request) -> CodeLimiter:
    return CodeLimiter(request.app.stores.get("limits"))


def _code_page(request: Request, code: str = "", error: str | None = None, status_code: int = 200) -> Response:
    context = {"code": code, "errors": {"code": error} if error else {}, "summary": _("Check the code.") if error else None}
    response = page(request, "registration/code.html", context, status_code=status_code)
    flow.no_store(response)
    return response


async def _open(request: Request, row: dict, form_command_id=None) -> Response:
    """Marks the invitation opened and goes on to the birth date check."""
    problem = problem_of(row)
    if problem:
        return flow.problem_page(request, problem, row["locked_until"])
    command = Command(type="registration.open", payload={"invitation_id": row["id"]}, actor_id=None)
    if form_command_id is not None:
        command = Command(type=command.type, payload=command.payload, actor_id=None, id=form_command_id)
    outcome = await flow.run(command)
    if not outcome.applied:
        return flow.problem_page(request, outcome.errors.get("_", "unknown"))
    flow.begin(request, row["id"])
    return flow.no_store(redirect(request, "/register/identity"))


@get("/i/{token:str}", opt=PUBLIC, include_in_schema=False)
async def open_link(request: Request, token: FromPath[str]) -> Response:
    limiter, address = _limiter(request), client_address(request)
    if await limiter.seconds_to_wait(address):
        return flow.problem_page(request, "limited")
    row = await invitation_by_token(token)
    if row is None:
        await limiter.record_failure(address)
        return flow.problem_page(request, "bad_link")
    # Redirecting right away keeps the secret link out of the address bar.
    return await _open(request, row)


@get("/register", opt=PUBLIC, include_in_schema=False)
async def code_form(request: Request) -> Response:
    return _code_page(request)


@post("/register", opt=PUBLIC, include_in_schema=False)
async def code_submit(request: Request) -> Response:
    form = await read_form(request)
    typed = form.get("code", "").strip()
    limiter, address = _limiter(request), client_address(request)
    if await limiter.seconds_to_wait(address):
        return flow.problem_page(request, "limited")
    if not typed:
        return _code_page(request, typed, _("Type the code from your letter or e-mail."), 422)
    try:
        code = secrets.normalise(typed)
    except secrets.CodeProblem as problem:
        # A typo or a wrong length tells nothing about existing codes, so
        # only unknown codes count towards the limit.
        if problem.reason == "typo":
            return _code_page(request, typed, _("There is a typing mistake in the code. Check each character."), 422)
        return _code_page(request, typed, _("A code has 9 letters and digits, for example K7P-4QX-9MA."), 422)
    row = await invitation_by_code(code)
    if row is None:
        await limiter.record_failure(address)
        return _code_page(request, typed, flow.problem_message("unknown"), 422)
    return await _open(request, row, command_id(form))
