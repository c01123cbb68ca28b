"""Opening a table and taking a chair: the two commands that move coins in.

Rules (issue 11, seed 002):
- a worker opens a table in a room of their organisation and pays the
  table price (one price for every room: the pilot dropped per-room prices);
- the table belongs to the opener's subgroup; only an ambassador opens a
  table for another subgroup, or on behalf of a colleague who brought the
  idea on paper, by SMS or at a kiosk (the table records the real author
  and the channel; the author pays, it is their table);
- a practice table is paid with play coins, a real one with real coins;
- a chair can be bought until the meeting starts (also after the date is
  fixed), once per person, while chairs are left.

Parallel purchases take turns: first on the table row (chairs left), then
on the buyer's wallet (coins left), always in that order.
"""

from __future__ import annotations

from typing import Any

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.reasons import declare
from app.domain.participation.calendar import send_invitation
from app.domain.participation.payloads import BuyChair, OpenTable
from app.domain.participation.people import Member, member
from app.domain.participation.reasons import CODES
from app.domain.participation.setup import settings_of
from app.domain.participation.text import one_line
from app.domain.participation.visibility import sees_table
from app.domain.participation.wallet import open_wallet
from app.i18n import lazy
from app.storage import db
from app.storage.participation import ParticipationTable, Room, Seat, TableInvite
from app.storage.tables import Unit

TAKE_PART = "participation.take_part"
OPEN_PHASES = ("proposed", "planned")

OPEN_CODES = declare(
    "participation",
    {
        "title_missing": lazy("Give the table a title."),
        "about_missing": lazy("Say what the table is about."),
        "author_unknown": lazy("Choose the colleague who brought the idea."),
        "on_behalf_needs_ambassador": lazy("Only an ambassador opens a table on behalf of a colleague."),
        "unit_unknown": lazy("Choose a subgroup of this organisation."),
        "other_subgroup_needs_ambassador": lazy("Only an ambassador opens a table for another subgroup."),
    },
)


async def participant(command: Command, organisation_id: int) -> Member:
    """The acting person's place in the organisation; not_visible when they
    do not take part in it (the organisation stays unnamed)."""
    actor = await acting(command, TAKE_PART)
    if actor.user is None:
        raise Rejected("not_allowed")
    found = await member(actor.user.id, organisation_id, user=actor.user)
    if found is None or not found.takes_part:
        raise Rejected("not_found")
    return found


async def load_table(table_id: int, *, lock: bool = False) -> dict[str, Any]:
    if lock:
        await db.lock(ParticipationTable, table_id)
    row = await ParticipationTable.select().where(ParticipationTable.id == table_id).first()
    if row is None:
        raise Rejected("not_found")
    return row


async def seat_of(table_id: int, user_id: int) -> dict[str, Any] | None:
    return await (
        Seat.select()
        .where((Seat.table == table_id) & (Seat.user == user_id) & Seat.refunded_at.is_null() & Seat.left_at.is_null())
        .first()
    )


async def invited(table_id: int, user_id: int) -> bool:
    """Whether the person was invited to the table (an ambassador may invite
    across subgroups: the invitee then sees the table)."""
    return await TableInvite.exists().where((TableInvite.table == table_id) & (TableInvite.user == user_id))


async def visible_table(command: Command, table_id: int, *, lock: bool = False) -> tuple[dict, Member]:
    """The table and the actor's place, refused like a missing table when the
    actor is of another organisation, and with not_visible when the table
    belongs to a subgroup the actor cannot see."""
    table = await load_table(table_id, lock=lock)
    me = await participant(command, table["organisation"])
    seated = await seat_of(table_id, me.user_id) is not None or await invited(table_id, me.user_id)
    if not sees_table(me, table, seated=seated):
        raise Rejected("not_visible", organisation_id=table["organisation"])
    return table, me


async def _room(room_id: int, organisation_id: int | None = None) -> dict:
    row = await Room.select().where(Room.id == room_id).first()
    if row is None or row["archived"] or (organisation_id is not None and row["organisation"] != organisation_id):
        raise Rejected("room_unknown", "room_id")
    return row


async def _unit_of_table(me: Member, author: Member, unit_id: int | None) -> int | None:
    if unit_id is None or unit_id == author.unit_id:
        return author.unit_id
    if not me.is_ambassador:
        raise Rejected("other_subgroup_needs_ambassador", "unit_id", organisation_id=me.organisation_id)
    unit = await Unit.select(Unit.organisation).where(Unit.id == unit_id).first()
    if unit is None or unit["organisation"] != me.organisation_id:
        raise Rejected("unit_unknown", "unit_id", organisation_id=me.organisation_id)
    return unit_id


@handler(
    "participation.open_table",
    OpenTable,
    codes=(*OPEN_CODES, "room_unknown", "not_enough_coins", "not_visible"),
)
async def open_table(command: Command[OpenTable]) -> Effect:
    """Open a table in a room, paying the table price (real or play coins)."""
    payload = command.payload
    room = await _room(payload.room_id)
    organisation_id = room["organisation"]
    me = await participant(command, organisation_id)
    title = one_line(payload.title)
    errors = {}
    if not title:
        errors["title"] = "title_missing"
    if not payload.about.strip():
        errors["about"] = "about_missing"
    if errors:
        raise Rejected.each(errors, organisation_id=organisation_id)
    author = me
    if payload.author_id is not None and payload.author_id != me.user_id:
        if not me.is_ambassador:
            raise Rejected("on_behalf_needs_ambassador", "author_id", organisation_id=organisation_id)
        found = await member(payload.author_id, organisation_id)
        if found is None or not found.takes_part:
            raise Rejected("author_unknown", "author_id", organisation_id=organisation_id)
        author = found
    elif payload.channel != "web" and not me.is_ambassador:
        # The channel names how an idea reached an ambassador.
        raise Rejected("on_behalf_needs_ambassador", "channel", organisation_id=organisation_id)
    unit_id = await _unit_of_table(me, author, payload.unit_id)
    settings = await settings_of(organisation_id)
    now = utcnow()
    rows = await ParticipationTable.insert(
        ParticipationTable(
            organisation=organisation_id,
            room=room["id"],
            unit=unit_id,
            opener=author.user_id,
            opened_by=me.user_id,
            channel=payload.channel,
            title=title,
            about=payload.about.strip(),
            why=payload.why.strip(),
            preferred_moments=payload.preferred_moments.strip(),
            practice=payload.practice,
            phase="proposed",
            min_chairs=settings.min_chairs,
            max_chairs=settings.max_chairs,
            table_price=settings.table_price,
            chair_price=settings.chair_price,
            created_at=now,
            updated_at=now,
        )
    )
    table_id = rows[0]["id"]
    wallet = await open_wallet(organisation_id, author.user_id, "play" if payload.practice else "real")
    await wallet.spend(settings.table_price, "table", table_id=table_id, command_id=command.id)
    await Seat.insert(
        Seat(table=table_id, user=author.user_id, role="opener", coins=settings.table_price, created_at=now)
    )
    detail = f"author={author.user_id} channel={payload.channel}" + (" practice" if payload.practice else "")
    return Effect(
        target_type="participation_table",
        target_id=table_id,
        organisation_id=organisation_id,
        ids={"table_id": table_id, "balance": wallet.balance},
        detail=detail,
    )


@handler(
    "participation.buy_chair",
    BuyChair,
    codes=(
        "not_enough_coins",
        "table_closed",
        "table_full",
        "already_seated",
        "not_visible",
        "play_coins_on_real_table",
    ),
)
async def buy_chair(command: Command[BuyChair]) -> Effect:
    """Take a chair at a table, paying the chair price (until the meeting starts)."""
    # Table first, then the wallet: parallel buyers of one table take turns.
    table, me = await visible_table(command, command.payload.table_id, lock=True)
    organisation_id = table["organisation"]
    if command.payload.practice and not table["practice"]:
        # Play coins never pay for a real table (it may have been made real
        # since the page was drawn): nothing is charged.
        raise Rejected("play_coins_on_real_table", organisation_id=organisation_id)
    if table["phase"] not in OPEN_PHASES:
        raise Rejected("table_closed", organisation_id=organisation_id)
    if await seat_of(table["id"], me.user_id) is not None:
        raise Rejected("already_seated", organisation_id=organisation_id)
    taken = await Seat.count().where(
        (Seat.table == table["id"]) & (Seat.role == "chair") & Seat.refunded_at.is_null() & Seat.left_at.is_null()
    )
    if taken >= table["max_chairs"]:
        raise Rejected("table_full", organisation_id=organisation_id, max=table["max_chairs"])
    wallet = await open_wallet(organisation_id, me.user_id, "play" if table["practice"] else "real")
    await wallet.spend(table["chair_price"], "chair", table_id=table["id"], command_id=command.id)
    rows = await Seat.insert(
        Seat(table=table["id"], user=me.user_id, role="chair", coins=table["chair_price"], created_at=utcnow())
    )
    await send_invitation(table["id"], me.user_id)  # a date is already fixed: the current invitation
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=organisation_id,
        ids={"table_id": table["id"], "seat_id": rows[0]["id"], "balance": wallet.balance},
    )


__all__ = ["CODES", "OPEN_PHASES", "invited", "load_table", "participant", "seat_of", "visible_table"]
