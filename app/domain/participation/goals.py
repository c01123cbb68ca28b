"""The collective goal: coins earned back through completed meetings between
two dates, with a reward text (seed 002: a shared goal keeps a group going).

Progress counts the coins returned to the opener and chair holders when a
meeting is completed (CoinEntry reason "returned", real coins only) inside
the goal's dates, Brussels time. The goal of today is the one whose dates
hold today (the latest one started, when goals overlap).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from piccolo.query.methods.select import Sum

from app.domain.core.commands import utcnow
from app.i18n import TIMEZONE
from app.storage.participation import CoinEntry, Goal


@dataclass(frozen=True)
class Progress:
    goal_id: int
    title: str
    reward: str
    target: int
    earned: int
    starts_on: date
    ends_on: date

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 100
        return min(100, round(100 * self.earned / self.target))

    @property
    def reached(self) -> bool:
        return self.earned >= self.target


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TIMEZONE)


async def earned(organisation_id: int, starts_on: date, ends_on: date) -> int:
    row = await (
        CoinEntry.select(Sum(CoinEntry.amount).as_alias("total"))
        .where(
            (CoinEntry.wallet.organisation == organisation_id)
            & (CoinEntry.wallet.kind == "real")
            & (CoinEntry.reason == "returned")
            & (CoinEntry.created_at >= _start(starts_on))
            & (CoinEntry.created_at < _start(ends_on + timedelta(days=1)))
        )
        .first()
    )
    return int((row or {}).get("total") or 0)


async def progress_of(goal: dict) -> Progress:
    return Progress(
        goal_id=goal["id"],
        title=goal["title"],
        reward=goal["reward"],
        target=goal["target_coins"],
        earned=await earned(goal["organisation"], goal["starts_on"], goal["ends_on"]),
        starts_on=goal["starts_on"],
        ends_on=goal["ends_on"],
    )


async def current_progress(organisation_id: int, today: date | None = None) -> Progress | None:
    """The progress of the goal that holds today, or None."""
    today = today or utcnow().astimezone(TIMEZONE).date()
    goal = await (
        Goal.select()
        .where((Goal.organisation == organisation_id) & (Goal.starts_on <= today) & (Goal.ends_on >= today))
        .order_by(Goal.starts_on, ascending=False)
        .first()
    )
    return await progress_of(goal) if goal else None
