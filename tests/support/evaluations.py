"""Helpers for evaluation, barometer and impact tests: held meetings set up
as rows (the phase, the closing time and the seats), and answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.storage.participation import Evaluation, ParticipationTable, Seat

GOOD = {
    "process": 80,
    "satisfaction": 4,
    "sentence": "Goed overleg.",
    "heard": True,
    "opinion": True,
    "expected": True,
    "drifted": False,
    "duration": 50,
    "other": "",
}


def now() -> datetime:
    return datetime.now(UTC)


async def held_table(
    org: int,
    room: int,
    opener: int,
    chairs: list[int] = (),
    *,
    unit: int | None = None,
    guests: list[int] = (),
    title: str = "Pauzeruimte",
    closed_at: datetime | None = None,
    phase: str = "held",
    practice: bool = False,
) -> int:
    """A table whose meeting was held (closed), with the opener's seat and chairs."""
    closed = closed_at or now() - timedelta(hours=1)
    rows = await ParticipationTable.insert(
        ParticipationTable(
            organisation=org,
            room=room,
            unit=unit,
            opener=opener,
            opened_by=opener,
            title=title,
            about="Te klein.",
            phase=phase,
            practice=practice,
            starts_at=closed - timedelta(hours=1),
            started_at=closed - timedelta(hours=1) if phase in ("running", "held") else None,
            closed_at=closed if phase == "held" else None,
            created_at=closed - timedelta(days=10),
            updated_at=closed,
        )
    )
    table = rows[0]["id"]
    seats = [("opener", opener)] + [("chair", user) for user in chairs] + [("guest", user) for user in guests]
    for role, user in seats:
        await Seat.insert(Seat(table=table, user=user, role=role, coins=1, created_at=closed - timedelta(days=5)))
    return table


async def answer_row(table: int, org: int, user: int | None, at: datetime | None = None, **answers) -> int:
    """An evaluation inserted directly (for barometer tests)."""
    values = {**GOOD, **answers}
    moment = at or now()
    rows = await Evaluation.insert(
        Evaluation(table=table, user=user, organisation=org, created_at=moment, updated_at=moment, **values)
    )
    return rows[0]["id"]
