"""Fixed consultation moments: recurring slots such as "every first Tuesday
at 14:00, canteen" (ConsultationMoment rows), and when they next occur.

A moment names a weekday (0 = Monday .. 6 = Sunday), which of those days of
the month (`nth` 1..4 = the first to fourth, 5 = the last, 0 = every week),
a time of day (HH:MM, Brussels time: a moment at 14:00 stays at 14:00 across
the change to summer time) and a duration. `next_occurrences` is pure: the
set-up page lists the next three, the meetings engineer offers them when a
moderator takes a fixed moment for a meeting.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from app.i18n import TIMEZONE

TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
LAST = 5
EVERY_WEEK = 0
NTHS = (0, 1, 2, 3, 4, 5)
WEEKDAYS = tuple(range(7))


def parse_time(text: str) -> time | None:
    """HH:MM (24 hours) as a time, else None."""
    found = TIME.fullmatch(text or "")
    return time(int(found.group(1)), int(found.group(2))) if found else None


def _field(moment: Mapping[str, Any] | Any, name: str) -> Any:
    return moment[name] if isinstance(moment, Mapping) else getattr(moment, name)


def day_in_month(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1..4) or last (5) `weekday` of the month; None when the month
    has no such day (it always has, for 1..4 and the last)."""
    days = [
        day for day in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, day).weekday() == weekday
    ]
    if nth == LAST:
        return date(year, month, days[-1])
    if 1 <= nth <= len(days):
        return date(year, month, days[nth - 1])
    return None


def _days_from(start: date, weekday: int, nth: int):
    """The days the moment falls on, from `start` on (inclusive), in order."""
    if nth == EVERY_WEEK:
        day = start + timedelta(days=(weekday - start.weekday()) % 7)
        while True:
            yield day
            day += timedelta(days=7)
    year, month = start.year, start.month
    while True:
        found = day_in_month(year, month, weekday, nth)
        if found is not None and found >= start:
            yield found
        month += 1
        if month > 12:
            year, month = year + 1, 1


def next_occurrences(moment: Mapping[str, Any] | Any, after: datetime, count: int = 3) -> list[datetime]:
    """The next `count` starts of the moment strictly after `after` (an aware
    datetime), as Brussels datetimes. `moment` is a ConsultationMoment row (a
    dict) or anything with weekday, nth and time. A moment with an invalid
    weekday, nth or time has no occurrences."""
    weekday, nth = _field(moment, "weekday"), _field(moment, "nth")
    at = parse_time(_field(moment, "time"))
    if at is None or weekday not in WEEKDAYS or nth not in NTHS or count <= 0:
        return []
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    local_after = after.astimezone(TIMEZONE)
    found: list[datetime] = []
    for day in _days_from(local_after.date(), weekday, nth):
        start = datetime.combine(day, at, tzinfo=TIMEZONE)
        if start > local_after:
            found.append(start)
            if len(found) == count:
                return found
    return found  # pragma: no cover (the generator never ends)


__all__ = ["EVERY_WEEK", "LAST", "NTHS", "day_in_month", "next_occurrences", "parse_time"]
