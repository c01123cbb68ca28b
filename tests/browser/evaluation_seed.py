"""Held meetings on the live server for the evaluation browser test: a room
of the seeded agency, a worker at a held table still to evaluate, and five
earlier meetings with answers (so the barometer has scores to draw).

Run as `python -m tests.browser.evaluation_seed <data dir>`; prints the ids as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.config import load_settings, set_settings
from app.storage import db
from app.storage.participation import Evaluation, ParticipationTable, Room, Seat
from app.storage.tables import Organisation, RoleGrant, Unit, User

EMAIL = "eva.evaluatie@noord.test"
NAME = "Eva Evaluatie"
SENTENCES = ["Vlot en to the point.", "Iedereen kwam aan het woord.", "Te lang over de planning.", "Goed begin."]


async def _user(email: str, name: str, org: int, unit: int, password_hash: str, now: datetime) -> int:
    row = (
        await User.insert(
            User(
                email=email,
                display_name=name,
                password_hash=password_hash,
                language="nl",
                organisation=org,
                created_at=now - timedelta(days=200),
                onboarded_at=now,
            )
        ).returning(User.id)
    )[0]
    await RoleGrant.insert(RoleGrant(user=row["id"], role="worker", organisation=org, unit=unit, created_at=now))
    return row["id"]


async def _table(org, room, unit, title, people, closed) -> int:
    table = (
        await ParticipationTable.insert(
            ParticipationTable(
                organisation=org,
                room=room,
                unit=unit,
                opener=people[0],
                opened_by=people[0],
                title=title,
                about="Over het werk.",
                phase="held",
                starts_at=closed - timedelta(hours=1),
                started_at=closed - timedelta(hours=1),
                closed_at=closed,
                created_at=closed - timedelta(days=14),
                updated_at=closed,
            )
        ).returning(ParticipationTable.id)
    )[0]["id"]
    for index, user in enumerate(people):
        role = "opener" if index == 0 else "chair"
        await Seat.insert(Seat(table=table, user=user, role=role, coins=1, created_at=closed - timedelta(days=7)))
    return table


async def _seed(data_dir: Path) -> dict:
    settings = load_settings(
        {
            "WERKPAS_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'browser.db'}",
            "WERKPAS_SECRET_KEY": "browser-test-secret-key-0123456789abcdefghij",
        }
    )
    set_settings(settings)
    db.configure(settings)
    await db.connect()
    now = datetime.now(UTC)
    try:
        async with db.transaction():
            org = (await Organisation.select(Organisation.id).where(Organisation.slug == "noord").first())["id"]
            unit = (await Unit.select(Unit.id).where(Unit.organisation == org).order_by(Unit.id).first())["id"]
            password_hash = (await User.select(User.password_hash).where(User.password_hash.is_not_null()).first())[
                "password_hash"
            ]
            room = (
                await Room.insert(
                    Room(organisation=org, name="Werkplek en veiligheid", position=0, created_at=now)
                ).returning(Room.id)
            )[0]["id"]
            second = (
                await Room.insert(
                    Room(organisation=org, name="Planning en uurroosters", position=1, created_at=now)
                ).returning(Room.id)
            )[0]["id"]
            eva = await _user(EMAIL, NAME, org, unit, password_hash, now)
            colleagues = [
                await _user(f"collega{n}@noord.test", f"Collega {n}", org, unit, password_hash, now) for n in range(5)
            ]
            table = await _table(
                org, room, unit, "Een grotere pauzeruimte", [colleagues[0], eva], now - timedelta(hours=2)
            )
            for month in range(5):
                closed = now - timedelta(days=30 * month + 3)
                earlier = await _table(
                    org, room if month % 2 else second, unit, f"Overleg {month + 1}", colleagues, closed
                )
                for index, user in enumerate(colleagues[: 3 + month % 3]):
                    await Evaluation.insert(
                        Evaluation(
                            table=earlier,
                            user=user,
                            organisation=org,
                            process=50 + 10 * ((index + month) % 5),
                            satisfaction=2 + (index + month) % 4,
                            sentence=SENTENCES[(index + month) % len(SENTENCES)],
                            heard=(index + month) % 3 != 0,
                            opinion=True,
                            expected=index % 2 == 0,
                            drifted=index == 1,
                            drift_helped=True if index == 1 else None,
                            duration=40 + 5 * index,
                            created_at=closed + timedelta(hours=1),
                            updated_at=closed + timedelta(hours=1),
                        )
                    )
    finally:
        await db.disconnect()
        db.dispose()
    return {"organisation": org, "table": table, "user": eva}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_seed(Path(sys.argv[1])))))
