"""Schedules for periodic jobs, in local (Europe/Brussels) wall-clock time.

A schedule answers two questions: when is the next occurrence strictly after
a moment (in UTC), and which key names that occurrence. The key is the local
date, so moving a daily job from 03:00 to 04:00 in a deploy does not run it
twice that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


class Schedule(Protocol):
    def next_after(self, moment: datetime) -> datetime: ...

    def key(self, due_at: datetime) -> str: ...


@dataclass(frozen=True)
class AtLocalTime:
    """Every day (or only on `weekdays`, Monday = 0) at hour:minute local time."""

    hour: int
    minute: int = 0
    weekdays: frozenset[int] | None = None
    zone: ZoneInfo = BRUSSELS

    def __post_init__(self):
        if not (0 <= self.hour < 24 and 0 <= self.minute < 60):
            raise ValueError("hour must be 0-23 and minute 0-59")
        if self.weekdays is not None and (not self.weekdays or not self.weekdays <= set(range(7))):
            raise ValueError("weekdays must be a non-empty set of 0 (Monday) to 6")

    def _at(self, day: date) -> datetime:
        # Building the local time per date (instead of adding 24 hours) keeps
        # 03:00 at 03:00 across daylight-saving changes. A time that does not
        # exist that day (spring forward) falls an hour later; an ambiguous
        # one (fall back) takes its first occurrence: either way it runs once.
        return datetime.combine(day, time(self.hour, self.minute), tzinfo=self.zone).astimezone(UTC)

    def next_after(self, moment: datetime) -> datetime:
        moment = moment.astimezone(UTC)
        day = moment.astimezone(self.zone).date()
        for offset in range(8):
            candidate_day = day + timedelta(days=offset)
            if self.weekdays is not None and candidate_day.weekday() not in self.weekdays:
                continue
            candidate = self._at(candidate_day)
            if candidate > moment:
                return candidate
        raise AssertionError("a weekly schedule always has an occurrence within 8 days")

    def key(self, due_at: datetime) -> str:
        return due_at.astimezone(self.zone).date().isoformat()


def daily(hour: int, minute: int = 0) -> AtLocalTime:
    return AtLocalTime(hour, minute)


def weekly(weekday: int, hour: int, minute: int = 0) -> AtLocalTime:
    """`weekday`: 0 = Monday ... 6 = Sunday."""
    return AtLocalTime(hour, minute, frozenset({weekday}))
