"""The job queue lives in the database (like Rails' Solid Queue).

`enqueue()` adds a row; the worker (app.domain.jobs.worker) claims due rows
with a lease and runs the handler registered for their kind. Handlers must be
idempotent: a job may run again after a crash or a lost lease.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

import msgspec

from app.storage.tables import Job

JobHandler = Callable[[dict[str, Any], int], Awaitable[None]]
_handlers: dict[str, JobHandler] = {}


def job_handler(kind: str):
    """Register `async def handler(payload, job_id)` for a job kind."""

    def register(fn: JobHandler) -> JobHandler:
        if kind in _handlers:
            raise RuntimeError(f"two handlers for job {kind}")
        _handlers[kind] = fn
        return fn

    return register


def handler_for(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_handlers)


async def enqueue(kind: str, payload: dict[str, Any] | None = None, *, due_at: datetime | None = None, unique_key: str | None = None, max_attempts: int = 5) -> int | None:
    """Add a job. With `unique_key`, a second enqueue of the same key is a
    no-op (returns None), which makes scheduling idempotent."""
    now = datetime.now(timezone.utc)
    if unique_key is not None:
        existing = await Job.select(Job.id).where(Job.unique_key == unique_key).first()
        if existing is not None:
            return None
    rows = await Job.insert(
        Job(
            kind=kind,
            payload=msgspec.json.encode(payload or {}).decode(),
            status="queued",
            due_at=due_at or now,
            attempts=0,
            max_attempts=max_attempts,
            unique_key=unique_key,
            created_at=now,
        )
    )
    return rows[0]["id"]
