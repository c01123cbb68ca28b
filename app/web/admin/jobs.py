"""The job queue (platform admin only): failures and retries."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.admin import jobs as domain
from app.domain.core.pagination import page_number
from app.i18n import _
from app.web.admin.sentences import render
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import form_data, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect, safe_next

PERMISSION = "admin.jobs"


def _statuses() -> list[tuple[str, str]]:
    return [("", _("All")), ("queued", _("Waiting")), ("done", _("Done")), ("failed", _("Failed"))]


@get("/admin/jobs", opt=permission(PERMISSION), include_in_schema=False)
async def list_jobs(request: Request) -> Response:
    status = request.query_params.get("status", "")
    status = status if status in domain.STATUSES else ""
    result = await domain.list_jobs(status, page_number(request.query_params.get("page")))
    statuses = _statuses()
    for job in result.items:
        job["html"] = render(job["sentence"], job["parts"])
        job["name"] = render("%(job)s", job["parts"]).striptags()
    context = {
        "page": result,
        "query": {"status": status},
        "statuses": statuses,
        "statuses_by_value": dict(statuses[1:]),
    }
    return page(request, "admin/jobs.html", context, partial="admin/_jobs_table.html")


@post("/admin/jobs/{job_id:int}/retry", opt=permission(PERMISSION), include_in_schema=False)
async def retry_job(request: Request, job_id: FromPath[int]) -> Response:
    data = await form_data(request)
    outcome = await run(request, "admin.retry_job", {"job_id": path_id(job_id)}, data)
    if outcome.applied:
        flash(request, _("The job will be tried again shortly."), "success")
    else:
        for message in messages(outcome).values():
            flash(request, message, "error")
    target = safe_next(data.get("next"), "/admin/jobs")
    return redirect(request, target if target.startswith("/admin/jobs") else "/admin/jobs")


handlers = [list_jobs, retry_job]
