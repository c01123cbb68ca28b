"""Rooms (themes) an organisation's tables are opened in: add, rename,
describe, reorder, archive. A room that has tables is archived, never
deleted (its tables keep their room); a room without tables is removed.
The last open room cannot go: a worker must always have a room to open a
table in. Every room costs the same (the pilot dropped per-room prices)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import declare
from app.domain.participation.setup import manager_of
from app.i18n import lazy
from app.storage import db
from app.storage.participation import ParticipationTable, Room
from app.storage.tables import Organisation

Name = Annotated[str, msgspec.Meta(max_length=100, pattern=NO_NUL)]
Description = Annotated[str, msgspec.Meta(max_length=1000, pattern=NO_NUL)]

ROOM_CODES = declare(
    "participation",
    {
        "room_name_missing": lazy("Give the room a name."),
        "room_name_taken": lazy("There already is a room with this name."),
        "last_room": lazy("This is the last open room: add another room before you archive this one."),
    },
)


class AddRoom(Payload, frozen=True, kw_only=True):
    organisation_id: Id
    name: Name
    description: Description = ""


class UpdateRoom(Payload, frozen=True, kw_only=True):
    room_id: Id
    name: Name
    description: Description = ""


class RoomId(Payload, frozen=True, kw_only=True):
    room_id: Id


class MoveRoom(Payload, frozen=True, kw_only=True):
    room_id: Id
    direction: Literal["up", "down"]


async def _room(command: Command, room_id: int) -> dict:
    row = await Room.select().where(Room.id == room_id).first()
    if row is None:
        raise Rejected("not_found")
    await manager_of(command, row["organisation"])
    return row


async def _check_name(organisation_id: int, name: str, room_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise Rejected("room_name_missing", "name", organisation_id=organisation_id)
    # Writers of one organisation's rooms take turns, so two rooms never get one name.
    await db.lock(Organisation, organisation_id)
    rows = await Room.select(Room.id, Room.name).where(
        (Room.organisation == organisation_id) & (Room.archived == False)  # noqa: E712
    )
    if any(row["name"].casefold() == name.casefold() and row["id"] != room_id for row in rows):
        raise Rejected("room_name_taken", "name", organisation_id=organisation_id)
    return name


def _effect(room: dict, **ids) -> Effect:
    return Effect(
        target_type="room",
        target_id=room["id"],
        organisation_id=room["organisation"],
        ids={"room_id": room["id"], **ids},
    )


@handler("participation.add_room", AddRoom, codes=tuple(ROOM_CODES))
async def add_room(command: Command[AddRoom]) -> Effect:
    """Add a room (theme) at the end of the organisation's list."""
    organisation_id = command.payload.organisation_id
    await manager_of(command, organisation_id)
    name = await _check_name(organisation_id, command.payload.name)
    last = (
        await Room.select(Room.position)
        .where(Room.organisation == organisation_id)
        .order_by(Room.position, ascending=False)
        .first()
    )
    rows = await Room.insert(
        Room(
            organisation=organisation_id,
            name=name,
            description=command.payload.description.strip(),
            position=(last["position"] + 1) if last else 0,
            created_at=utcnow(),
        )
    )
    return _effect({"id": rows[0]["id"], "organisation": organisation_id})


@handler("participation.update_room", UpdateRoom, codes=tuple(ROOM_CODES))
async def update_room(command: Command[UpdateRoom]) -> Effect:
    """Rename a room or change its description (its tables stay in it)."""
    room = await _room(command, command.payload.room_id)
    name = await _check_name(room["organisation"], command.payload.name, room["id"])
    await Room.update({"name": name, "description": command.payload.description.strip()}).where(Room.id == room["id"])
    return _effect(room)


@handler("participation.move_room", MoveRoom, codes=tuple(ROOM_CODES))
async def move_room(command: Command[MoveRoom]) -> Effect:
    """Move a room one place up or down in the list."""
    room = await _room(command, command.payload.room_id)
    rooms = await rooms_of(room["organisation"])
    ids = [row["id"] for row in rooms]
    index = ids.index(room["id"])
    other = index - 1 if command.payload.direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        for position, room_id in enumerate(ids):
            await Room.update({"position": position}).where(Room.id == room_id)
    return _effect(room)


@handler("participation.archive_room", RoomId, codes=tuple(ROOM_CODES))
async def archive_room(command: Command[RoomId]) -> Effect:
    """Take a room out of use: archived when it has tables (they keep it),
    removed when it has none."""
    room = await _room(command, command.payload.room_id)
    if room["archived"]:
        return _effect(room, archived=True)
    open_rooms = await Room.count().where(
        (Room.organisation == room["organisation"]) & (Room.archived == False)  # noqa: E712
    )
    if open_rooms <= 1:
        raise Rejected("last_room", organisation_id=room["organisation"])
    if await ParticipationTable.exists().where(ParticipationTable.room == room["id"]):
        await Room.update({"archived": True}).where(Room.id == room["id"])
        return _effect(room, archived=True)
    await Room.delete().where(Room.id == room["id"])
    return _effect(room, archived=False, removed=True)


@handler("participation.restore_room", RoomId, codes=tuple(ROOM_CODES))
async def restore_room(command: Command[RoomId]) -> Effect:
    """Put an archived room back in use."""
    room = await _room(command, command.payload.room_id)
    await _check_name(room["organisation"], room["name"], room["id"])
    await Room.update({"archived": False}).where(Room.id == room["id"])
    return _effect(room)


async def rooms_of(organisation_id: int, *, archived: bool | None = None) -> list[dict]:
    """The organisation's rooms in their order, with how many tables each has."""
    query = Room.select().where(Room.organisation == organisation_id)
    if archived is not None:
        query = query.where(Room.archived == archived)
    rooms = await query.order_by(Room.archived).order_by(Room.position).order_by(Room.id)
    for room in rooms:
        room["tables"] = await ParticipationTable.count().where(ParticipationTable.room == room["id"])
    return rooms
