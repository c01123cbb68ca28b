"""What happens at a table before its meeting, besides opening it and buying
a chair (app.domain.participation.tables): giving a chair back, cancelling
the table, inviting colleagues, the message thread, and turning a practice
table into a real one.

Rules (issue 11, seed 002 section 4.2):
- a chair holder gives their chair back until the meeting starts and gets
  its coins back; the opener cannot (they cancel the table instead);
- the opener, an ambassador or an organisation admin cancels a table until
  its meeting starts: every seat is refunded, the phase becomes cancelled;
- the opener and chair holders invite colleagues of the table's subgroup;
  only an ambassador invites across subgroups (others get not_visible). The
  invitee gets a mail at once when their invitations are instant (the
  default), one invitation per person per table;
- the moderator, the opener and chair holders write in the thread until the
  meeting starts; there is no chat during the meeting (the pilot removed it);
- a practice table (play coins) becomes a real one by its opener or an
  ambassador: play coins go back to the play wallets and the opener and each
  chair holder pay the real price from their real wallets. All or nothing:
  when someone cannot pay, nothing changes (not_enough_coins when it is the
  opener, chair_holder_short for others) — we chose that over dropping seats
  so nobody loses a chair without being asked.

Lock order, as everywhere in the area: the table row first, then wallets in
order of user id.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import load_user
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import declare
from app.domain.mail import queue_mail
from app.domain.participation.notify import frequency
from app.domain.participation.people import Member, member
from app.domain.participation.reasons import CODES as SHARED_CODES
from app.domain.participation.setup import settings_of
from app.domain.participation.tables import OPEN_PHASES, load_table, seat_of, visible_table
from app.domain.participation.visibility import sees_table
from app.domain.participation.wallet import open_wallet
from app.i18n import lazy
from app.storage.participation import ParticipationTable, Seat, TableInvite, TableMessage
from app.storage.tables import Organisation, User

CODES = declare(
    "participation",
    {
        "not_seated": lazy("You do not have a chair at this table."),
        "opener_keeps_seat": lazy("As the opener you keep your seat: cancel the table instead."),
        "not_opener": lazy("Only the opener of this table or an ambassador can do this."),
        "not_practice": lazy("This table is already a real one."),
        "chair_holder_short": lazy(
            "Not everyone at this table has enough real coins (%(count)d short). Nothing was changed."
        ),
        "invitee_unknown": lazy("Choose a colleague from the list."),
        "invitee_seated": lazy("This colleague already has a seat at this table."),
        "already_invited": lazy("This colleague is already invited to this table."),
        "message_missing": lazy("Write a message."),
    },
)

Message = Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)]


class TableRef(Payload, frozen=True, kw_only=True):
    """A command about one table."""

    table_id: Id


class Invite(Payload, frozen=True, kw_only=True):
    """participation.invite: invite a colleague to a table."""

    table_id: Id
    user_id: Id


class PostMessage(Payload, frozen=True, kw_only=True):
    """participation.post_message: a message in the table's thread."""

    table_id: Id
    body: Message


def kind_of(table: dict) -> str:
    return "play" if table["practice"] else "real"


async def active_seats(table_id: int) -> list[dict]:
    return await (
        Seat.select()
        .where((Seat.table == table_id) & Seat.refunded_at.is_null() & Seat.left_at.is_null())
        .order_by(Seat.id)
    )


async def _refund(table: dict, seats: list[dict], command: Command) -> int:
    """Gives the coins of `seats` back (wallets in user order) and marks them refunded."""
    now = utcnow()
    refunded = 0
    for seat in sorted(seats, key=lambda s: s["user"] or 0):
        if seat["user"] is not None and seat["coins"] > 0:
            wallet = await open_wallet(table["organisation"], seat["user"], kind_of(table))
            await wallet.credit(seat["coins"], "refund", table_id=table["id"], command_id=command.id)
            refunded += seat["coins"]
        await Seat.update({Seat.refunded_at: now}).where(Seat.id == seat["id"])
    return refunded


def _open(table: dict) -> None:
    if table["phase"] not in OPEN_PHASES:
        raise Rejected("table_closed", organisation_id=table["organisation"])


def _effect(table: dict, **ids) -> Effect:
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=table["organisation"],
        ids={"table_id": table["id"], **ids},
    )


@handler(
    "participation.give_back_chair", TableRef, codes=("not_seated", "opener_keeps_seat", "table_closed", "not_visible")
)
async def give_back_chair(command: Command[TableRef]) -> Effect:
    """Give back one's chair before the meeting starts; its coins come back."""
    table, me = await visible_table(command, command.payload.table_id, lock=True)
    _open(table)
    seat = await seat_of(table["id"], me.user_id)
    if seat is None or seat["role"] == "guest":
        raise Rejected("not_seated", organisation_id=table["organisation"])
    if seat["role"] == "opener":
        raise Rejected("opener_keeps_seat", organisation_id=table["organisation"])
    refunded = await _refund(table, [seat], command)
    return _effect(table, seat_id=seat["id"], refunded=refunded)


async def _manager(command: Command, table: dict) -> Member:
    """The actor as someone who may act on the table as a whole: a participant
    who sees it, or the organisation's admin (who does not take part)."""
    if command.actor_id is None:
        raise Rejected("not_allowed")
    user = await load_user(command.actor_id)
    if user is None:
        raise Rejected("not_allowed")
    me = await member(user.id, table["organisation"], user=user)
    if me is None or not (me.takes_part or me.is_admin):
        raise Rejected("not_found")
    seated = await seat_of(table["id"], me.user_id) is not None
    if not sees_table(me, table, seated=seated):
        raise Rejected("not_visible", organisation_id=table["organisation"])
    return me


@handler("participation.cancel_table", TableRef, codes=("not_opener", "table_closed", "not_visible"))
async def cancel_table(command: Command[TableRef]) -> Effect:
    """Cancel a table before its meeting starts: every seat is refunded."""
    table = await load_table(command.payload.table_id, lock=True)
    me = await _manager(command, table)
    if table["opener"] != me.user_id and not (me.is_ambassador or me.is_admin):
        raise Rejected("not_opener", organisation_id=table["organisation"])
    _open(table)
    refunded = await _refund(table, await active_seats(table["id"]), command)
    now = utcnow()
    await ParticipationTable.update(
        {
            ParticipationTable.phase: "cancelled",
            ParticipationTable.cancelled_at: now,
            ParticipationTable.updated_at: now,
        }
    ).where(ParticipationTable.id == table["id"])
    return _effect(table, refunded=refunded)


@handler(
    "participation.invite",
    Invite,
    codes=("not_participant", "invitee_unknown", "invitee_seated", "already_invited", "table_closed", "not_visible"),
)
async def invite(command: Command[Invite]) -> Effect:
    """Invite a colleague to a table (its opener, a chair holder or an ambassador)."""
    table, me = await visible_table(command, command.payload.table_id)
    organisation_id = table["organisation"]
    _open(table)
    seat = await seat_of(table["id"], me.user_id)
    if not me.is_ambassador and (seat is None or seat["role"] not in ("opener", "chair")):
        raise Rejected("not_participant", organisation_id=organisation_id)
    invitee_id = command.payload.user_id
    invitee = await member(invitee_id, organisation_id) if invitee_id != me.user_id else None
    if invitee is None or not invitee.takes_part:
        raise Rejected("invitee_unknown", "user_id", organisation_id=organisation_id)
    if await seat_of(table["id"], invitee_id) is not None:
        raise Rejected("invitee_seated", "user_id", organisation_id=organisation_id)
    if await TableInvite.exists().where((TableInvite.table == table["id"]) & (TableInvite.user == invitee_id)):
        raise Rejected("already_invited", "user_id", organisation_id=organisation_id)
    if not me.is_ambassador and not sees_table(invitee, table):
        # Only an ambassador invites across subgroups (seed 002, section 4.2).
        raise Rejected("not_visible", "user_id", organisation_id=organisation_id)
    rows = await TableInvite.insert(
        TableInvite(table=table["id"], user=invitee_id, invited_by=me.user_id, created_at=utcnow())
    )
    mailed = await _mail_invite(table, me.user_id, invitee_id)
    return _effect(table, invite_id=rows[0]["id"], user_id=invitee_id, mailed=mailed)


async def _mail_invite(table: dict, inviter_id: int, invitee_id: int) -> bool:
    """The invitee's mail, when their invitations are instant (the default)."""
    if await frequency(invitee_id, "invitation") != "instant":
        return False
    people = {
        row["id"]: row
        for row in await User.select(User.id, User.email, User.language, User.display_name).where(
            User.id.is_in([inviter_id, invitee_id])
        )
    }
    invitee = people.get(invitee_id)
    if invitee is None or not invitee["email"]:
        return False
    organisation = await Organisation.select(Organisation.name).where(Organisation.id == table["organisation"]).first()
    await queue_mail(
        to=invitee["email"],
        template="participation_table_invite",
        language=invitee["language"] or "nl",
        context={
            "name": invitee["display_name"],
            "inviter": people.get(inviter_id, {}).get("display_name", ""),
            "organisation": organisation["name"] if organisation else "",
            "title": table["title"],
            "about": table["about"][:500],
            "practice": table["practice"],
            "path": f"/participation/tables/{table['id']}",
        },
    )
    return True


@handler(
    "participation.post_message",
    PostMessage,
    codes=("not_participant", "message_missing", "table_closed", "not_visible"),
)
async def post_message(command: Command[PostMessage]) -> Effect:
    """Write in the table's thread before the meeting (agreeing on a date)."""
    table, me = await visible_table(command, command.payload.table_id)
    organisation_id = table["organisation"]
    _open(table)
    seat = await seat_of(table["id"], me.user_id)
    seated = seat is not None and seat["role"] in ("opener", "chair")
    if not seated and table["moderator"] != me.user_id:
        raise Rejected("not_participant", organisation_id=organisation_id)
    body = command.payload.body.strip()
    if not body:
        raise Rejected("message_missing", "body", organisation_id=organisation_id)
    rows = await TableMessage.insert(TableMessage(table=table["id"], user=me.user_id, body=body, created_at=utcnow()))
    return _effect(table, message_id=rows[0]["id"])


@handler(
    "participation.make_real",
    TableRef,
    codes=("not_opener", "not_practice", "not_enough_coins", "chair_holder_short", "table_closed", "not_visible"),
)
async def make_real(command: Command[TableRef]) -> Effect:
    """Turn a practice table into a real one: play coins back, real coins paid."""
    table, me = await visible_table(command, command.payload.table_id, lock=True)
    organisation_id = table["organisation"]
    if table["opener"] != me.user_id and not me.is_ambassador:
        raise Rejected("not_opener", organisation_id=organisation_id)
    if not table["practice"]:
        raise Rejected("not_practice", organisation_id=organisation_id)
    _open(table)
    settings = await settings_of(organisation_id)
    seats = [seat for seat in await active_seats(table["id"]) if seat["user"] is not None and seat["role"] != "guest"]
    now = utcnow()
    short = 0
    opener_short: dict | None = None
    for seat in sorted(seats, key=lambda s: s["user"]):
        price = settings.table_price if seat["role"] == "opener" else settings.chair_price
        play = await open_wallet(organisation_id, seat["user"], "play")
        await play.credit(seat["coins"], "refund", table_id=table["id"], command_id=command.id)
        real = await open_wallet(organisation_id, seat["user"], "real")
        if real.balance < price:
            short += 1
            if seat["role"] == "opener":
                opener_short = {"balance": real.balance, "price": price}
            continue
        await real.spend(
            price, seat["role"] if seat["role"] == "chair" else "table", table_id=table["id"], command_id=command.id
        )
        await Seat.update({Seat.coins: price}).where(Seat.id == seat["id"])
    if opener_short is not None and table["opener"] == me.user_id:
        # Raising rolls every write of this command back: nothing changes.
        raise Rejected("not_enough_coins", organisation_id=organisation_id, **opener_short)
    if short:
        raise Rejected("chair_holder_short", organisation_id=organisation_id, count=short)
    await ParticipationTable.update(
        {
            ParticipationTable.practice: False,
            ParticipationTable.table_price: settings.table_price,
            ParticipationTable.chair_price: settings.chair_price,
            ParticipationTable.updated_at: now,
        }
    ).where(ParticipationTable.id == table["id"])
    return _effect(table, seats=len(seats))


__all__ = ["CODES", "SHARED_CODES", "active_seats", "kind_of"]
