"""The job queue as the platform admin sees it: failures stay visible and
a failed job can be queued again."""

from __future__ import annotations

import msgspec

from app.domain.admin.audit_names import Names, Part
from app.domain.admin.payloads import RetryJob
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.pagination import Page, clamp
from app.domain.jobs import job_label_values
from app.i18n import lazy
from app.storage.tables import Job

STATUSES = ("queued", "done", "failed")
# What a job's payload may name, as the audit log's target kinds.
PAYLOAD_TARGETS = (("invitation_id", "invitation"), ("user_id", "user"))
ABOUT = lazy("%(job)s, for %(target)s")
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
        Job.payload,
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
    await _describe(rows)
    return Page(items=rows, number=number, per_page=PER_PAGE, total=total)


def _target(payload: str) -> tuple[str, str]:
    try:
        data = msgspec.json.decode(payload or "{}")
    except msgspec.DecodeError:
        return "", ""
    if isinstance(data, dict):
        for key, kind in PAYLOAD_TARGETS:
            if isinstance(data.get(key), int):
                return kind, str(data[key])
    return "", ""


async def _describe(rows: list[dict]) -> None:
    """Each job's "sentence" and "parts" (as in the audit log): its kind in
    words and, when its payload names one, the person it is for. The payload
    itself (a mail's context) is not shown."""
    targets = []
    for row in rows:
        kind, target_id = _target(row.pop("payload"))
        targets.append(
            {"actor_id": None, "organisation_id": None, "type": "", "target_type": kind, "target_id": target_id}
        )
    names = await Names(None).load(targets)
    for row, target in zip(rows, targets, strict=True):
        label, values = job_label_values(row["kind"])
        parts = {"job": Part(label, translate=True, values=values)}
        about = names.target(target)
        if about is not None:
            parts["target"] = about
        row["sentence"], row["parts"] = (ABOUT if about is not None else "%(job)s"), parts
