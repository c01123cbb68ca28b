"""/participation/impact: the numbers of seed 002's impact evaluation per
subgroup and in total for a period, and the people who registered but never
came back, with a reminder ("nudge") for the ambassador to send."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.participation import impact
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.participation.barometer import REPORT, period_of, report_organisation

MANAGE = "participation.manage"


async def _page(request: Request, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    organisation_id, organisations = await report_organisation(request)
    period, values, period_errors = period_of(request)
    rows, total = await impact.figures(organisation_id, period, whole=_("Whole organisation"))
    user = signed_in_user(request)
    manages = user.organisations_with(MANAGE)
    context = {
        "organisation_id": organisation_id,
        "organisations": organisations,
        "period": period,
        "values": values,
        "errors": period_errors,
        "nudge_errors": errors or {},
        "rows": rows,
        "total": total,
        "dormant": await impact.never_came_back(organisation_id),
        "may_nudge": manages is None or organisation_id in manages,
        "nudge_days": impact.NUDGE_DAYS,
    }
    return page(
        request,
        "participation/impact/index.html",
        context,
        partial="participation/impact/_impact.html",
        status_code=422 if period_errors else status_code,
    )


@get("/participation/impact", opt=permission(REPORT), include_in_schema=False)
async def impact_page(request: Request) -> Response:
    return await _page(request)


@post("/participation/impact/nudge/{user_id:int}", opt=permission(MANAGE), include_in_schema=False)
async def nudge(request: Request, user_id: FromPath[int]) -> Response:
    user_id = path_id(user_id)
    organisation_id, _organisations = await report_organisation(request)
    data = await form_data(request)
    payload = {"user_id": user_id, "organisation_id": organisation_id}
    outcome = await run(request, "participation.nudge", payload, data)
    if not outcome.applied:
        return await _page(request, messages(outcome), status_code=422)
    flash(request, _("Reminder sent. Thank you for reaching out."), "success")
    return redirect(request, f"/participation/impact?organisation={organisation_id}")


handlers: list = [impact_page, nudge]
