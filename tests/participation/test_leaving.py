"""Leaving participation: open chairs refunded, seats left, a departure
written, names replaced by "a former participant"; an admin's removal and
the follow-up of a revoked role."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from piccolo.query.methods.select import Sum

from app.domain.participation.names import display_names, seat_name
from app.domain.participation.people import member, members_of
from app.storage.participation import CoinEntry, Departure, ParticipationSettings, ParticipationTable, Seat
from app.storage.tables import RoleGrant, User
from tests.support.factories import grant as add_grant
from tests.support.participation import do, open_table, person, world


async def _coins(org: int, user: int, kind: str = "real") -> int:
    row = await (
        CoinEntry.select(Sum(CoinEntry.amount).as_alias("total"))
        .where(
            (CoinEntry.wallet.organisation == org) & (CoinEntry.wallet.user == user) & (CoinEntry.wallet.kind == kind)
        )
        .first()
    )
    return int(row["total"] or 0)


async def _held(table_id: int) -> None:
    await ParticipationTable.update({ParticipationTable.phase: "held"}).where(ParticipationTable.id == table_id)


async def test_leaving_refunds_open_seats_keeps_held_ones_and_replaces_the_name():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early, display_name="Ann Peeters")
    bob = await person("bob@example.be", w.org, w.early, display_name="Bob Maes")
    open_one = (await open_table(ann, w.room)).ids["table_id"]
    held_one = (await open_table(ann, w.room, title="Gehouden")).ids["table_id"]
    practice = (await open_table(ann, w.room, title="Oefenen", practice=True)).ids["table_id"]
    for table in (open_one, held_one, practice):
        assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    await _held(held_one)
    assert await _coins(w.org, bob) == 8 and await _coins(w.org, bob, "play") == 9

    outcome = await do("participation.leave", {"organisation_id": w.org}, bob)
    assert outcome.applied, outcome.errors
    assert outcome.ids == {"user_id": bob, "seats": 3, "refunded": 1, "refunded_play": 1}
    assert await _coins(w.org, bob) == 9  # the held table's chair is not refunded
    assert await _coins(w.org, bob, "play") == 10
    seats = await Seat.select().where(Seat.user == bob).order_by(Seat.table)
    assert all(seat["left_at"] is not None for seat in seats)
    assert [seat["refunded_at"] is not None for seat in seats] == [True, False, True]
    assert await Departure.count().where((Departure.user == bob) & (Departure.organisation == w.org)) == 1

    # Bob no longer takes part: no commands, not listed, named as a former participant.
    found = await member(bob, w.org)
    assert found is not None and found.departed and not found.takes_part
    assert (await do("participation.buy_chair", {"table_id": open_one}, bob)).code() == "not_found"
    assert bob not in {m["user_id"] for m in await members_of(w.org)}
    from app import i18n

    i18n.set_language("en")  # the words of the current language; other tests may leave another one set
    names = await display_names([ann, bob, None, 999999], w.org)
    assert names == {ann: "Ann Peeters", bob: "a former participant", 999999: "a former participant"}
    assert seat_name(seats[1], names) == "a former participant"
    i18n.set_language("nl")
    assert (await display_names([bob], w.org))[bob] == "een voormalige deelnemer"
    # Leaving twice: refused, nothing changes.
    assert (await do("participation.leave", {"organisation_id": w.org}, bob)).code() == "already_left"

    # Taking part again: the left seats stay left, the name comes back.
    assert (await do("participation.rejoin", {"organisation_id": w.org}, bob)).applied
    assert (await member(bob, w.org)).takes_part
    assert (await display_names([bob], w.org)) == {bob: "Bob Maes"}
    assert (await do("participation.buy_chair", {"table_id": open_one}, bob)).applied
    assert (await do("participation.rejoin", {"organisation_id": w.org}, bob)).code() == "not_left"


async def test_an_admin_removes_someone_of_their_own_organisation_with_fewer_rights_only():
    w = await world()
    other = await world(slug="elders")
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    ann = await person("ann@example.be", w.org, w.early)
    outsider = await person("out@example.be", other.org, other.early)
    assert (await open_table(ann, w.room)).applied
    assert await _coins(w.org, ann) == 7

    # A worker removes nobody; someone of another organisation is not found.
    assert (await do("participation.leave", {"organisation_id": w.org, "user_id": amb}, ann)).code() == "not_found"
    assert (await do("participation.leave", {"organisation_id": w.org, "user_id": outsider}, admin)).code() == (
        "not_found"
    )
    assert (await do("participation.leave", {"organisation_id": other.org, "user_id": outsider}, admin)).code() == (
        "not_found"
    )
    # An ambassador does not remove the organisation's admin.
    assert (await do("participation.leave", {"organisation_id": w.org, "user_id": admin}, amb)).code("user_id") == (
        "more_rights"
    )
    outcome = await do("participation.leave", {"organisation_id": w.org, "user_id": ann}, amb)
    assert outcome.applied and outcome.ids["refunded"] == 3
    assert await _coins(w.org, ann) == 10
    [departure] = await Departure.select()
    assert departure["user"] == ann and departure["by"] == amb
    assert await Departure.count().where(Departure.user == outsider) == 0


async def test_revoking_the_worker_role_makes_the_person_leave_participation():
    w = await world()
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    ann = await person("ann@example.be", w.org, w.early)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    await add_grant(amb, "worker", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    await User.update({User.organisation: w.org}, force=True)  # staff and workers of this employer
    table = (await open_table(ann, w.room)).ids["table_id"]
    await do("participation.buy_chair", {"table_id": table}, bob)
    await do("participation.buy_chair", {"table_id": table}, amb)

    grant = await RoleGrant.select().where((RoleGrant.user == bob) & (RoleGrant.role == "worker")).first()
    outcome = await do("admin.revoke_role", {"grant_id": grant["id"]}, admin)
    assert outcome.applied, outcome.errors
    assert await _coins(w.org, bob) == 10
    assert await Seat.count().where((Seat.user == bob) & Seat.left_at.is_null()) == 0
    assert await Departure.count().where(Departure.user == bob) == 1

    # Revoking one of two roles: the person still takes part, nothing left.
    grant = await RoleGrant.select().where((RoleGrant.user == amb) & (RoleGrant.role == "ambassador")).first()
    assert (await do("admin.revoke_role", {"grant_id": grant["id"]}, admin)).applied
    assert await Departure.count().where(Departure.user == amb) == 0
    assert await Seat.count().where((Seat.user == amb) & Seat.left_at.is_null()) == 1


async def test_leaving_while_others_buy_and_the_opener_cancels_loses_no_coin():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    people = [await person(f"p{n}@example.be", w.org, w.early) for n in range(12)]
    tables = [(await open_table(ann, w.room, title=f"T{n}")).ids["table_id"] for n in range(3)]
    for user in people[:6]:
        for table in tables:
            await do("participation.buy_chair", {"table_id": table}, user)
    jobs = [do("participation.leave", {"organisation_id": w.org}, user) for user in people[:6]]
    jobs += [do("participation.buy_chair", {"table_id": t}, user) for user in people[6:] for t in tables]
    jobs += [do("participation.cancel_table", {"table_id": tables[0]}, ann)]
    outcomes = await asyncio.gather(*jobs)
    assert all(o.applied or o.code() in ("table_closed", "table_full") for o in outcomes), [o.errors for o in outcomes]
    for user in [ann, *people]:
        held = await Seat.select(Seat.coins).where(
            (Seat.user == user) & Seat.refunded_at.is_null() & Seat.left_at.is_null()
        )
        given = await CoinEntry.select(CoinEntry.amount).where(
            (CoinEntry.wallet.user == user) & (CoinEntry.reason == "refill")
        )
        assert await _coins(w.org, user) + sum(s["coins"] for s in held) == sum(g["amount"] for g in given)
        assert await _coins(w.org, user) >= 0
    for user in people[:6]:
        assert await _coins(w.org, user) == 10


async def test_leaving_while_giving_back_chairs_refunds_each_chair_once():
    """30 at once by one person: 10 chairs given back and 20 leave requests.
    One leave applies; every chair's coin comes back exactly once."""
    w = await world()
    await ParticipationSettings.insert(
        ParticipationSettings(organisation=w.org, coins_per_period=40, updated_at=datetime.now(UTC))
    )
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    tables = [(await open_table(ann, w.room, title=f"T{n}")).ids["table_id"] for n in range(10)]
    for table in tables:
        assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    assert await _coins(w.org, bob) == 30
    jobs = [do("participation.give_back_chair", {"table_id": t}, bob) for t in tables]
    for n in range(20):
        jobs.insert(n, do("participation.leave", {"organisation_id": w.org}, bob))
    outcomes = await asyncio.gather(*jobs)
    leaves = [o for o in outcomes if o.type == "participation.leave"]
    assert sum(o.applied for o in leaves) == 1
    assert {o.code() for o in leaves if not o.applied} <= {"already_left"}
    assert {o.code() for o in outcomes if o.type != "participation.leave" and not o.applied} <= {"not_found"}
    assert await _coins(w.org, bob) == 40
    assert await Seat.count().where((Seat.user == bob) & Seat.refunded_at.is_null()) == 0
    assert await Departure.count().where(Departure.user == bob) == 1
