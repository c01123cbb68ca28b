"""Claiming due jobs with a lease, and settling them afterwards.

A claim is one UPDATE that stamps `lease_until` and `leased_by` on due,
unleased rows and returns them. On PostgreSQL its inner SELECT takes the rows
`FOR UPDATE SKIP LOCKED`, so concurrent workers pass each other by instead of
queueing on the same row; on SQLite the IMMEDIATE write transaction already
serialises every writer. A lease that runs out (its worker died) makes the
job claimable again. Settling checks that the lease is still ours, so a worker
that lost its lease cannot overwrite the outcome of the one that took over.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from app.storage import db
from app.storage.tables import Job

LEASE = timedelta(minutes=5)
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600

_CLAIM = (
    "UPDATE job SET lease_until = {}, leased_by = {} WHERE id IN ("
    "SELECT id FROM job WHERE status = 'queued' AND due_at <= {} "
    "AND (lease_until IS NULL OR lease_until < {}) "
    "ORDER BY due_at, id LIMIT {}%s) "
    "RETURNING id, kind, payload, attempts, max_attempts"
)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    payload: str
    attempts: int
    max_attempts: int


def utcnow() -> datetime:
    return datetime.now(UTC)


async def claim(
    worker_id: str, limit: int = 1, *, now: datetime | None = None, engine: Engine | None = None
) -> list[ClaimedJob]:
    """Lease up to `limit` due jobs for `worker_id` (the ones due first; the
    list itself comes in no particular order).
    `engine` lets tests claim through a second, independent connection pool."""
    engine = engine or db.engine()
    now = now or utcnow()
    lock = " FOR UPDATE SKIP LOCKED" if isinstance(engine, PostgresEngine) else ""
    query = QueryString(_CLAIM % lock, now + LEASE, worker_id, now, now, limit)
    async with engine.transaction():
        rows = await engine.run_querystring(query)
    return [ClaimedJob(row["id"], row["kind"], row["payload"], row["attempts"], row["max_attempts"]) for row in rows]


def retry_delay(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s ... after the 1st, 2nd, 3rd failure, at most an hour.
    Up to 10% is taken off at random so jobs that failed together (an SMTP
    outage) do not all come back in the same second."""
    base = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * random.uniform(0.9, 1.0))


async def _settle(job: ClaimedJob, worker_id: str, values: dict) -> bool:
    # leased_by stays as a record of who ran it last; lease_until is cleared.
    values = {**values, Job.lease_until: None}
    async with db.transaction():
        rows = await Job.update(values).where((Job.id == job.id) & (Job.leased_by == worker_id)).returning(Job.id)
    return bool(rows)


async def mark_done(job: ClaimedJob, worker_id: str) -> bool:
    return await _settle(
        job, worker_id, {Job.status: "done", Job.attempts: job.attempts + 1, Job.finished_at: utcnow()}
    )


async def mark_failed(job: ClaimedJob, worker_id: str, error: str, *, final: bool = False) -> bool:
    """Record a failed attempt: retry later with backoff, or give up when the
    attempts are used up (or `final`, e.g. nobody handles this kind)."""
    attempts = job.attempts + 1
    now = utcnow()
    values = {Job.attempts: attempts, Job.last_error: error}
    if final or attempts >= job.max_attempts:
        values.update({Job.status: "failed", Job.finished_at: now})
    else:
        values.update({Job.status: "queued", Job.due_at: now + retry_delay(attempts)})
    return await _settle(job, worker_id, values)
