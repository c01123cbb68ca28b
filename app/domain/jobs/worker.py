"""Running due jobs (first cut: in-process, one at a time)."""

from __future__ import annotations

import traceback
from datetime import datetime, timedelta, timezone

import msgspec

from app.domain.jobs.queue import handler_for
from app.storage.tables import Job


async def run_due_jobs(limit: int = 100) -> int:
    """Run the jobs that are due now; returns how many ran."""
    now = datetime.now(timezone.utc)
    rows = await Job.select().where((Job.status == "queued") & (Job.due_at <= now)).order_by(Job.due_at).limit(limit)
    for row in rows:
        fn = handler_for(row["kind"])
        try:
            if fn is None:
                raise LookupError(f"no handler for job {row['kind']}")
            await fn(msgspec.json.decode(row["payload"]), row["id"])
        except Exception:
            attempts = row["attempts"] + 1
            failed = attempts >= row["max_attempts"]
            await Job.update(
                {
                    Job.attempts: attempts,
                    Job.last_error: traceback.format_exc(limit=5)[-2000:],
                    Job.status: "failed" if failed else "queued",
                    Job.due_at: now + timedelta(seconds=30 * 2**attempts),
                }
            ).where(Job.id == row["id"])
            continue
        await Job.update({Job.status: "done", Job.attempts: row["attempts"] + 1, Job.finished_at: datetime.now(timezone.utc)}).where(Job.id == row["id"])
    return len(rows)
