"""/passport: the worker's passport, one card per category (what is filled
in, each value's source, numbers masked), with a short, skippable
introduction. "Done" and "skip" are remembered on the account (a command),
not in the session: a kiosk is shared by many people.

The worker reads their own data here (app.domain.passport.mine): no
access-log entry, that log is for everyone else."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app import i18n
from app.domain.core.pagination import page_number
from app.domain.passport.mine import mine
from app.web.core.commands import run
from app.web.core.context import signed_in_user
from app.web.core.forms import read_form
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.passport.views import cards, size_text

STEPS = 3


def _step(request: Request, seen: bool) -> int | None:
    """The introduction step to show, or None when it was finished or skipped
    (asking for a step shows it again)."""
    wanted = request.query_params.get("step")
    if seen and wanted is None:
        return None
    return min(max(page_number(wanted), 1), STEPS)  # ASCII digits only; anything else is step 1


@get("/passport", opt=permission("passport.view"), include_in_schema=False)
async def passport(request: Request) -> Response:
    user = signed_in_user(request)
    found = await mine(user.id)
    step = _step(request, found.overview.introduction_seen)
    all_cards = [] if step else cards(found)
    context = {
        "overview": found.overview,
        "language_name": i18n.LANGUAGE_NAMES.get(found.overview.language, found.overview.language),
        "step": step,
        "steps": STEPS,
        "cards": all_cards,
        "empty": not any(card.filled for card in all_cards),
        "size_text": size_text,
    }
    return page(request, "passport/index.html", context)


@post("/passport/onboarding", opt=permission("passport.view"), include_in_schema=False)
async def finish_onboarding(request: Request) -> Response:
    user = signed_in_user(request)
    data = await read_form(request)
    # Refused only for an account that changed meanwhile; the page is shown either way.
    await run(request, "accounts.finish_introduction", {"user_id": user.id}, data)
    return redirect(request, "/passport")


handlers: list = [passport, finish_onboarding]
