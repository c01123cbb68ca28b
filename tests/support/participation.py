"""Helpers for participation tests: an organisation with subgroups, workers
with a place in a subgroup, rooms, tables and commands."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.domain.core.commands import Command, Outcome, execute
from app.domain.participation.setup import add_default_rooms
from app.domain.registry import load_handlers
from app.storage.participation import Room
from tests.support.factories import grant, make_org, make_unit, make_user

load_handlers()  # domain tests run commands without starting the app


async def do(type: str, payload: dict, actor_id: int | None, channel: str = "web") -> Outcome:
    return await execute(Command(type=type, payload=payload, actor_id=actor_id, channel=channel, id=uuid.uuid4()))


@dataclass
class World:
    org: int
    site: int
    department: int
    early: int  # subgroup Ploeg Vroeg
    late: int  # subgroup Ploeg Laat
    room: int


async def world(slug: str = "de-klok", language: str = "nl") -> World:
    """An employer with Gent > Productie > {Ploeg Vroeg, Ploeg Laat} and its default rooms."""
    org = await make_org(kind="employer", slug=slug, name="Brouwerij De Klok", language=language)
    site = await make_unit(org, "Gent", "site")
    department = await make_unit(org, "Productie", "department", parent=site)
    early = await make_unit(org, "Ploeg Vroeg", "subgroup", parent=department)
    late = await make_unit(org, "Ploeg Laat", "subgroup", parent=department)
    await add_default_rooms(org)
    room = (await Room.select(Room.id).where(Room.organisation == org).order_by(Room.position).first())["id"]
    return World(org, site, department, early, late, room)


async def person(email: str, org: int, unit: int | None = None, role: str = "worker", **columns) -> int:
    """A worker (or ambassador) of `org`, placed in `unit`."""
    user_id = await make_user(email, **columns)
    await grant(user_id, role, org, unit)
    return user_id


async def open_table(actor: int, room: int, title: str = "Pauzeruimte", **extra) -> Outcome:
    return await do("participation.open_table", {"room_id": room, "title": title, "about": "Te klein.", **extra}, actor)
