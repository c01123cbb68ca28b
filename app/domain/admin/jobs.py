"""The job queue as the platform admin sees it: failures stay visible and
a failed job can be queued again."""

from __future__ import annotations

from app.domain.admin.payloads import RetryJob
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.pagination import Page, clamp
from app.storage.tables import Job

STATUSES = ("queued", "done", "failed")
PER_PAGE = 25


@handler("admin.retry_job", RetryJob, codes=("job_not_failed",))
async def retry_job(command: Command[RetryJob]) -> Effect:
    await acting(command, "admin.jobs")
    job = await Job.select(Job.id, Job.status).where(Job.id == command.payload.job_id).first()
    if job is None:
        raise Rejected("not_found")
    if job["status"] != "failed":
        raise Rejected("job_not_failed")
    # A fresh series of attempts; last_error stays until the next run so the
    # cause remains visible.
    await Job.update(
        {
            Job.status: "queued",
            Job.due_at: utcnow(),
            Job.attempts: 0,
            Job.lease_until: None,
            Job.leased_by: None,
            Job.finished_at: None,
        }
    ).where(Job.id == job["id"])
    return Effect(target_type="job", target_id=job["id"], ids={"job_id": job["id"]})


async def list_jobs(status: str, number: int) -> Page:
    columns = (
        Job.id,
        Job.kind,
        Job.status,
        Job.due_at,
        Job.attempts,
        Job.max_attempts,
        Job.last_error,
        Job.created_at,
        Job.finished_at,
    )
    query, count = Job.select(*columns), Job.count()
    if status in STATUSES:
        query, count = query.where(Job.status == status), count.where(Job.status == status)
    total = await count
    number = clamp(number, total, PER_PAGE)
    rows = (
        await query.order_by(Job.due_at, ascending=False)
        .order_by(Job.id, ascending=False)
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    return Page(items=rows, number=number, per_page=PER_PAGE, total=total)
