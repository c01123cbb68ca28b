"""/passport: the worker's passport (empty for now) with a short, skippable
onboarding. "Done" or "skip" is remembered in the session."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app.domain.core.pagination import page_number
from app.domain.registration import worker_organisations
from app.web.core.context import signed_in_user
from app.web.core.forms import read_form
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

ONBOARDING_DONE = "onboarding_done"
STEPS = 3


def _step(request: Request) -> int | None:
    """The onboarding step to show, or None when it is done or skipped."""
    wanted = request.query_params.get("step")
    if (request.session or {}).get(ONBOARDING_DONE) and wanted is None:
        return None
    return min(max(page_number(wanted), 1), STEPS)  # ASCII digits only; anything else is step 1


@get("/passport", opt=permission("passport.view"), include_in_schema=False)
async def passport(request: Request) -> Response:
    user = signed_in_user(request)
    context = {"organisations": await worker_organisations(user.id), "step": _step(request), "steps": STEPS}
    return page(request, "passport/index.html", context)


@post("/passport/onboarding", opt=permission("passport.view"), include_in_schema=False)
async def finish_onboarding(request: Request) -> Response:
    await read_form(request)
    request.set_session({**(request.session or {}), ONBOARDING_DONE: True})
    return redirect(request, "/passport")


handlers: list = [passport, finish_onboarding]
