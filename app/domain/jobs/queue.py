"""The job queue lives in the database (like Rails' Solid Queue).

`enqueue()` adds a row; the worker (app.domain.jobs.worker) claims due rows
with a lease and runs the handler registered for their kind. Handlers must be
idempotent: a job may run again after a crash or a lost lease.

Periodic work registers with `@periodic(kind, schedule)`: the worker keeps the
next occurrence of every periodic kind enqueued, under a unique key derived
from its due date, so several workers or server processes never create it
twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from app.domain.jobs.schedule import Schedule
from app.storage import db
from app.storage.tables import Job

JobHandler = Callable[[dict[str, Any], int], Awaitable[None]]
_handlers: dict[str, JobHandler] = {}


@dataclass(frozen=True)
class Periodic:
    kind: str
    schedule: Schedule

    def unique_key(self, due_at: datetime) -> str:
        return f"{self.kind}:{self.schedule.key(due_at)}"


_periodic: dict[str, Periodic] = {}


class PermanentFailure(Exception):
    """Raised by a handler when trying again cannot help (say, a mail server
    that says the recipient does not exist): the job fails at once instead
    of being retried."""


def job_handler(kind: str):
    """Register `async def handler(payload, job_id)` for a job kind."""

    def register(fn: JobHandler) -> JobHandler:
        if kind in _handlers:
            raise RuntimeError(f"two handlers for job {kind}")
        _handlers[kind] = fn
        return fn

    return register


def periodic(kind: str, schedule: Schedule):
    """Register a handler that runs on a schedule, e.g.
    `@periodic("accounts.deactivate_inactive", daily(3, 0))`."""

    def register(fn: JobHandler) -> JobHandler:
        job_handler(kind)(fn)
        _periodic[kind] = Periodic(kind, schedule)
        return fn

    return register


def handler_for(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_handlers)


def periodic_jobs() -> list[Periodic]:
    return [_periodic[kind] for kind in sorted(_periodic)]


async def enqueue(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    due_at: datetime | None = None,
    unique_key: str | None = None,
    max_attempts: int = 5,
) -> int | None:
    """Add a job and return its id. With `unique_key`, a second enqueue of the
    same key is a no-op (returns None), which makes scheduling idempotent.

    Joins the caller's transaction when there is one, so a job enqueued by a
    command exists only if the command commits."""
    now = datetime.now(UTC)
    row = Job(
        kind=kind,
        payload=msgspec.json.encode(payload or {}).decode(),
        status="queued",
        due_at=(due_at or now).astimezone(UTC),
        attempts=0,
        max_attempts=max_attempts,
        unique_key=unique_key,
        created_at=now,
    )
    # ON CONFLICT DO NOTHING instead of select-then-insert: two processes
    # scheduling the same key at once must not fail (nor abort a PostgreSQL
    # transaction with a unique violation).
    query = Job.insert(row).on_conflict(target=Job.unique_key, action="DO NOTHING").returning(Job.id)
    async with db.transaction():
        rows = await query
    return rows[0]["id"] if rows else None


async def requeue(job_id: int) -> bool:
    """Give a failed job a fresh set of attempts, due now. Returns False when
    there is no such failed job (a queued one may be running right now, so
    its lease is left alone)."""
    async with db.transaction():
        rows = (
            await Job.update(
                {
                    Job.status: "queued",
                    Job.attempts: 0,
                    Job.due_at: datetime.now(UTC),
                    Job.lease_until: None,
                    Job.leased_by: None,
                    Job.finished_at: None,
                }
            )
            .where((Job.id == job_id) & (Job.status == "failed"))
            .returning(Job.id)
        )
    return bool(rows)
