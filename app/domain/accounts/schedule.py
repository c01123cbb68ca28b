"""When the daily inactivity run happens.

The job handler is registered with `@periodic(KIND, DAILY)` (inactivity.py),
so the worker keeps the next run queued by itself. `schedule_daily_jobs()`
queues tomorrow's run explicitly (CLI, tests, a worker that is not running);
both use the key "<kind>:<local date>", so they never create a run twice.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from app.domain.jobs import daily, enqueue
from app.i18n import TIMEZONE

KIND = "accounts.deactivate_inactive"
RUN_AT = time(3, 0)
DAILY = daily(RUN_AT.hour, RUN_AT.minute)


def next_run(now: datetime) -> datetime:
    """03:00 Europe/Brussels on the day after `now` (aware, any timezone)."""
    tomorrow = now.astimezone(TIMEZONE).date() + timedelta(days=1)
    return datetime.combine(tomorrow, RUN_AT, TIMEZONE)


def unique_key(due: datetime) -> str:
    return f"{KIND}:{due.astimezone(TIMEZONE).date().isoformat()}"


async def schedule_daily_jobs(now: datetime | None = None) -> int | None:
    """Queue tomorrow's run; None when it is already queued."""
    due = next_run(now or datetime.now(TIMEZONE))
    return await enqueue(KIND, {}, due_at=due, unique_key=unique_key(due))
