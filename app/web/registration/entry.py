"""The ways in: the link (or QR) from the invitation, and the short code
typed on /register. Both lead to the birth date check."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain import invitations
from app.domain.registration import limits
from app.domain.registration.queries import invitation_by_code, invitation_by_token, problem_of
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import client_address
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect
from app.web.registration import flow


def _code_page(request: Request, code: str = "", error: str | None = None, status_code: int = 200) -> Response:
    context = {
        "code": code,
        "errors": {"code": error} if error else {},
        "summary": _("Check the code.") if error else None,
        "language_choices": flow.language_choices(),
    }
    response = page(request, "registration/code.html", context, status_code=status_code)
    flow.no_store(response)
    return response


async def _open(request: Request, row: dict, form: dict | None = None) -> Response:
    """Marks the invitation opened and goes on to the birth date check. A
    link has no form: its command gets a fresh id. From here on the pages
    speak the invitation's language, unless the person chose one."""
    language = flow.adopt_language(request, row)
    return flow.keep_language(request, await _opened(request, row, form), language)


async def _opened(request: Request, row: dict, form: dict | None) -> Response:
    problem = problem_of(row)
    if problem:
        return flow.problem_page(request, problem, row["locked_until"])
    outcome = await run(request, "registration.open", {"invitation_id": row["id"]}, form or {})
    if not outcome.applied:
        if outcome.code() == "resent" and form is not None:
            return _code_page(request, form.get("code", "").strip(), messages(outcome)["_"], 422)
        return flow.problem_page(request, outcome.code() or "unknown")
    flow.begin(request, row["id"], by_link=form is None)
    return flow.no_store(redirect(request, "/register/identity"))


@get("/i/{token:str}", opt=PUBLIC, include_in_schema=False)
async def open_link(request: Request, token: FromPath[str]) -> Response:
    attempt = await limits.claim_code(client_address(request))
    if attempt.refused:
        return flow.problem_page(request, "limited")
    row = await invitation_by_token(token)
    if row is None:
        return flow.problem_page(request, "bad_link")
    await limits.give_back(attempt)
    # Redirecting right away keeps the secret link out of the address bar.
    return await _open(request, row)


@get("/register", opt=PUBLIC, include_in_schema=False)
async def code_form(request: Request) -> Response:
    return _code_page(request)


@post("/register", opt=PUBLIC, include_in_schema=False)
async def code_submit(request: Request) -> Response:
    form = await read_form(request)
    typed = flow.typed_code(form.get("code", ""))
    attempt = await limits.claim_code(client_address(request))
    if attempt.refused:
        return flow.problem_page(request, "limited")
    row, error = await _find(typed)
    if row is None and error is None:
        # Only unknown codes count towards the limit.
        return _code_page(request, typed, flow.problem_message("unknown"), 422)
    await limits.give_back(attempt)
    if error is not None or row is None:
        return _code_page(request, typed, error, 422)
    return await _open(request, row, form)


async def _find(typed: str) -> tuple[dict | None, str | None]:
    """The invitation of a typed code, or the message for a code that cannot
    be one (empty, a typo, a wrong length: nothing about existing codes)."""
    if not typed:
        return None, _("Type the code from your letter or e-mail.")
    try:
        code = invitations.secrets.normalise(typed)
    except invitations.secrets.CodeProblem as problem:
        if problem.reason == "typo":
            return None, _("There is a typing mistake in the code. Check each character.")
        if problem.reason == "badge_code":
            # A badge code (or a scanned badge) here: the worker mixed up their papers.
            return None, _(
                "This is the code of a badge, not of an invitation. With a badge you log in at /badge "
                "(“Log in with your badge”). An invitation code has 9 characters, for example K7P-4QX-9MA."
            )
        return None, _("A code has 9 letters and digits, for example K7P-4QX-9MA.")
    return await invitation_by_code(code), None
