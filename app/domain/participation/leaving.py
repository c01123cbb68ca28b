"""Leaving participation (issue 11, point 10).

A worker leaves participation in an organisation themselves, or the
organisation's admin (or an ambassador: participation.manage) removes
someone who left the job. Revoking a worker or ambassador role in the admin
area runs the same command as a follow-up (app.domain.admin.grants).

What happens, in one transaction:
- the person's chairs and opener seats at tables whose meeting has not
  started (proposed, planned) are refunded: the coins go back to their
  wallet as ledger entries (reason "refund");
- every current seat of theirs gets `left_at` (a table that was held keeps
  its seat: the minutes and evaluations keep their content, the pages name
  the person "a former participant", app.domain.participation.names);
- a Departure row is written. The person no longer takes part there
  (people.member says departed) until they rejoin (participation.rejoin) or
  are granted a worker or ambassador role again.

Rules of the removal: same organisation only (another one's person is not
found), and never someone with more rights than the remover (ranks:
worker < ambassador < organisation admin < platform admin).

Lock order: the person's account row (one leave at a time), the tables
(by id), then the person's wallets.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import load_user
from app.domain.core.payloads import Id, Payload
from app.domain.core.reasons import declare
from app.domain.participation.people import member
from app.domain.participation.tables import OPEN_PHASES
from app.domain.participation.wallet import open_wallet
from app.i18n import lazy
from app.storage import db
from app.storage.participation import CoinEntry, Departure, ParticipationTable, Seat, Wallet
from app.storage.tables import RoleGrant, User

MANAGE = "participation.manage"
RANKS = {"worker": 1, "ambassador": 2, "org_admin": 3}

CODES = declare(
    "participation",
    {
        "already_left": lazy("This person has already left participation here."),
        "more_rights": lazy("You cannot remove someone who has more rights than you."),
        "not_left": lazy("You take part here already."),
    },
)


class Leave(Payload, frozen=True, kw_only=True):
    """participation.leave: leave participation in an organisation; with
    `user_id`, an admin removes that person (who left the job)."""

    organisation_id: Id
    user_id: Id | None = None


class Rejoin(Payload, frozen=True, kw_only=True):
    """participation.rejoin: take part again after leaving."""

    organisation_id: Id


async def _rank(user_id: int, organisation_id: int, is_platform_admin: bool = False) -> int:
    if is_platform_admin:
        return 4
    rows = await RoleGrant.select(RoleGrant.role, RoleGrant.organisation).where(RoleGrant.user == user_id)
    ranks = [0]
    for row in rows:
        if row["role"] == "platform_admin":
            ranks.append(4)
        elif row["organisation"] == organisation_id:
            ranks.append(RANKS.get(row["role"], 0))
    return max(ranks)


async def _belongs(user_id: int, organisation_id: int) -> bool:
    """The person has (or had, for a removal after a revoked role) a place here."""
    if await RoleGrant.exists().where((RoleGrant.user == user_id) & (RoleGrant.organisation == organisation_id)):
        return True
    if await Wallet.exists().where((Wallet.user == user_id) & (Wallet.organisation == organisation_id)):
        return True
    return await Seat.exists().where((Seat.user == user_id) & (Seat.table.organisation == organisation_id))


async def _target(command: Command[Leave]) -> tuple[int, int | None]:
    """(the person who leaves, who removes them or None when they leave themselves)."""
    organisation_id = command.payload.organisation_id
    if command.actor_id is None:
        raise Rejected("not_allowed")
    actor = await load_user(command.actor_id)
    if actor is None:
        raise Rejected("not_allowed")
    target = command.payload.user_id
    if target is None or target == actor.id:
        me = await member(actor.id, organisation_id, user=actor)
        if me is None or not (me.takes_part or me.departed):
            raise Rejected("not_found")
        if me.departed:
            raise Rejected("already_left", organisation_id=organisation_id)
        return actor.id, None
    scope = actor.organisations_with(MANAGE)
    if scope is not None and organisation_id not in scope:
        raise Rejected("not_found")
    if not await _belongs(target, organisation_id):
        raise Rejected("not_found")
    if await _rank(target, organisation_id) > await _rank(actor.id, organisation_id, actor.is_platform_admin):
        raise Rejected("more_rights", "user_id", organisation_id=organisation_id)
    found = await member(target, organisation_id)
    if found is not None and found.departed:
        raise Rejected("already_left", "user_id", organisation_id=organisation_id)
    return target, actor.id


async def _current_seats(user_id: int, organisation_id: int) -> list[dict]:
    return await (
        Seat.select(Seat.id, Seat.table, Seat.coins, Seat.role)
        .where(
            (Seat.user == user_id)
            & (Seat.table.organisation == organisation_id)
            & Seat.refunded_at.is_null()
            & Seat.left_at.is_null()
        )
        .order_by(Seat.table)
    )


@handler("participation.leave", Leave, codes=(*CODES, "not_allowed"))
async def leave(command: Command[Leave]) -> Effect:
    """Leave participation in an organisation (or remove someone who left the job)."""
    organisation_id = command.payload.organisation_id
    # Everything is checked before anything is written: this command also
    # runs as a follow-up inside the admin's revoke_role transaction.
    target = command.payload.user_id or command.actor_id
    if target is not None:
        # One leave per person at a time (the person's row first, then the tables, then the wallets).
        await db.lock(User, target)
    user_id, removed_by = await _target(command)
    seats = await _current_seats(user_id, organisation_id)
    tables: dict[int, dict] = {}
    for table_id in sorted({seat["table"] for seat in seats}):
        await db.lock(ParticipationTable, table_id)  # tables first, then wallets
        row = await (
            ParticipationTable.select(ParticipationTable.id, ParticipationTable.phase, ParticipationTable.practice)
            .where(ParticipationTable.id == table_id)
            .first()
        )
        if row is not None:
            tables[table_id] = row
    # Read again under the locks: a chair given back meanwhile is not refunded twice.
    seats = [seat for seat in await _current_seats(user_id, organisation_id) if seat["table"] in tables]
    now = utcnow()
    refunds = {"play": 0, "real": 0}
    for seat in seats:
        table = tables.get(seat["table"])
        if table is None:
            continue
        values: dict[Column | str, Any] = {Seat.left_at: now}
        if table["phase"] in OPEN_PHASES and seat["role"] != "guest":
            refunds["play" if table["practice"] else "real"] += seat["coins"]
            values[Seat.refunded_at] = now
        await Seat.update(values).where(Seat.id == seat["id"])
    for kind in ("play", "real"):  # wallets in a fixed order
        if refunds[kind]:
            wallet = await open_wallet(organisation_id, user_id, kind)
            await wallet.credit(refunds[kind], "refund", table_id=None, command_id=command.id)
    await Departure.insert(Departure(organisation=organisation_id, user=user_id, by=removed_by or user_id, at=now))
    return Effect(
        target_type="user",
        target_id=user_id,
        organisation_id=organisation_id,
        ids={"user_id": user_id, "seats": len(seats), "refunded": refunds["real"], "refunded_play": refunds["play"]},
        detail="removed" if removed_by else "left",
    )


@handler("participation.rejoin", Rejoin, codes=("not_left",))
async def rejoin(command: Command[Rejoin]) -> Effect:
    """Take part again after leaving (seats that were left stay left)."""
    organisation_id = command.payload.organisation_id
    if command.actor_id is None:
        raise Rejected("not_allowed")
    actor = await load_user(command.actor_id)
    if actor is None:
        raise Rejected("not_allowed")
    await db.lock(User, actor.id)
    me = await member(actor.id, organisation_id, user=actor)
    if me is None or not (me.takes_part or me.departed):
        raise Rejected("not_found")
    if not me.departed:
        raise Rejected("not_left", organisation_id=organisation_id)
    await Departure.delete().where((Departure.user == actor.id) & (Departure.organisation == organisation_id))
    return Effect(target_type="user", target_id=actor.id, organisation_id=organisation_id, ids={"user_id": actor.id})


async def refunds_of(organisation_id: int, user_id: int) -> int:
    """Real coins refunded to the person so far (tests and support)."""
    rows = await CoinEntry.select(CoinEntry.amount).where(
        (CoinEntry.wallet.organisation == organisation_id)
        & (CoinEntry.wallet.user == user_id)
        & (CoinEntry.wallet.kind == "real")
        & (CoinEntry.reason == "refund")
    )
    return sum(row["amount"] for row in rows)


__all__ = ["CODES", "leave", "refunds_of", "rejoin"]
