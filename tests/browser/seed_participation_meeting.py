"""A running meeting for the minutes browser test, built through the
participation commands against the live server's database: an opener, a
moderator and a note-taker (both chair holders) in the seeded organisation.
Run as `python -m tests.browser.seed_participation_meeting` with the
server's environment; prints the ids of a running and a planned table."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

from app.config import load_settings, set_settings
from app.domain.accounts.passwords import hash_secret
from app.domain.core.commands import Command, execute
from app.domain.participation.setup import add_default_rooms
from app.domain.registry import load_handlers
from app.storage import db
from app.storage.participation import Room
from app.storage.tables import Organisation, RoleGrant, User
from tests.browser.seed import ORGANISATION, PASSWORD

PEOPLE = {
    "opener": ("piet.opener@noord.test", "Piet Opener"),
    "moderator": ("mona.moderator@noord.test", "Mona Moderator"),
    "note_taker": ("nora.notulist@noord.test", "Nora Notulist"),
}


async def _do(type: str, payload: dict, actor: int) -> dict:
    outcome = await execute(Command(type=type, payload=payload, actor_id=actor, channel="web", id=uuid.uuid4()))
    if not outcome.applied:
        raise RuntimeError(f"{type}: {outcome.errors}")
    return outcome.ids


async def _seed() -> tuple[int, int]:
    now = datetime.now(UTC)
    org = (await Organisation.select(Organisation.id).where(Organisation.name == ORGANISATION).first())["id"]
    ids = {}
    password_hash = hash_secret(PASSWORD)
    for key, (email, name) in PEOPLE.items():
        row = await User.select(User.id).where(User.email == email).first()
        if row is None:
            row = (
                await User.insert(
                    User(
                        email=email,
                        display_name=name,
                        password_hash=password_hash,
                        language="en",
                        organisation=org,
                        created_at=now,
                        onboarded_at=now,
                    )
                ).returning(User.id)
            )[0]
            await RoleGrant.insert(
                RoleGrant(user=row["id"], role="worker", organisation=org, unit=None, created_at=now)
            )
        ids[key] = row["id"]
    await add_default_rooms(org)
    room = (await Room.select(Room.id).where(Room.organisation == org).order_by(Room.position).first())["id"]
    table = (
        await _do(
            "participation.open_table",
            {"room_id": room, "title": "Pauzeruimte te klein", "about": "Met twintig in een kleine ruimte."},
            ids["opener"],
        )
    )["table_id"]
    for key in ("moderator", "note_taker"):
        await _do("participation.buy_chair", {"table_id": table}, ids[key])
    await _do(
        "participation.choose_roles",
        {"table_id": table, "moderator_id": ids["moderator"], "note_taker_id": ids["note_taker"]},
        ids["opener"],
    )
    starts = (now + timedelta(minutes=5)).replace(second=0, microsecond=0)
    await _do(
        "participation.schedule_meeting",
        {"table_id": table, "starts_at": starts.isoformat(), "place": "Kantine, eerste verdieping"},
        ids["moderator"],
    )
    for text in ("Hoeveel mensen tegelijk pauze nemen", "Een tweede ruimte?"):
        await _do("participation.add_agenda_point", {"table_id": table, "text": text}, ids["opener"])
    await _do("participation.start_meeting", {"table_id": table}, ids["moderator"])
    # A second table, planned and not started: the page before the meeting.
    planned = (
        await _do(
            "participation.open_table",
            {"room_id": room, "title": "Parking voor fietsen", "about": "Te weinig plaats."},
            ids["opener"],
        )
    )["table_id"]
    await _do("participation.buy_chair", {"table_id": planned}, ids["moderator"])
    await _do("participation.choose_roles", {"table_id": planned, "moderator_id": ids["moderator"]}, ids["opener"])
    await _do(
        "participation.schedule_meeting",
        {"table_id": planned, "starts_at": (starts + timedelta(days=7)).isoformat(), "place": "Refter"},
        ids["moderator"],
    )
    await _do("participation.add_agenda_point", {"table_id": planned, "text": "Overdekte rekken"}, ids["opener"])
    return table, planned


async def main() -> None:
    settings = load_settings()
    set_settings(settings)
    db.configure(settings)
    load_handlers()
    await db.connect()
    try:
        async with db.transaction():
            table, planned = await _seed()
    finally:
        await db.disconnect()
        db.dispose()
    print(json.dumps({"table_id": table, "planned_id": planned}))


if __name__ == "__main__":
    asyncio.run(main())
