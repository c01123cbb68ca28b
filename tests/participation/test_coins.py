"""The coin ledger: a balance is the sum of entries, refilled once per
period, never below zero (also with parallel purchases), and play coins
never mix with real ones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from piccolo.query.methods.select import Sum

from app.domain.participation import wallet
from app.domain.participation.setup import Settings
from app.storage.participation import CoinEntry, ParticipationSettings, Seat, Wallet
from tests.support.participation import do, open_table, person, world


async def _sum(org: int, user: int, kind: str = "real") -> int:
    row = await (
        CoinEntry.select(Sum(CoinEntry.amount).as_alias("total"))
        .where(
            (CoinEntry.wallet.organisation == org) & (CoinEntry.wallet.user == user) & (CoinEntry.wallet.kind == kind)
        )
        .first()
    )
    return int(row["total"] or 0)


def test_refill_rules():
    settings = Settings(1, coins_per_period=10, refill="top_up")
    assert wallet.refill_amount(settings, "real", 3) == 7
    assert wallet.refill_amount(settings, "real", 12) == 0
    assert wallet.refill_amount(Settings(1, coins_per_period=10, refill="add"), "real", 3) == 10
    assert wallet.refill_amount(Settings(1, practice_coins=5), "play", 2) == 3


def test_periods_are_brussels_months_and_quarters():
    # 31 December 23:30 UTC is already January in Brussels.
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert wallet.period_of(moment, "month") == "2027-01"
    assert wallet.period_of(moment, "quarter") == "2027-Q1"
    assert wallet.period_of(datetime(2026, 5, 2, tzinfo=UTC), "quarter") == "2026-Q2"


async def test_opening_a_table_pays_the_price_from_the_ledger():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    assert (await wallet.balance_now(w.org, ann)).coins == 10  # the month's refill, not written yet
    outcome = await open_table(ann, w.room)
    assert outcome.applied, outcome.errors
    assert outcome.ids["balance"] == 7
    assert await _sum(w.org, ann) == 7
    reasons = [row["reason"] for row in await CoinEntry.select(CoinEntry.reason).order_by(CoinEntry.id)]
    assert reasons == ["refill", "table"]
    assert (await wallet.balance_now(w.org, ann)).coins == 7


async def test_not_enough_coins_changes_nothing():
    w = await world()
    await ParticipationSettings.insert(
        ParticipationSettings(organisation=w.org, coins_per_period=2, table_price=3, updated_at=datetime.now(UTC))
    )
    ann = await person("ann@example.be", w.org, w.early)
    outcome = await open_table(ann, w.room)
    assert outcome.code() == "not_enough_coins"
    assert outcome.reasons[0].params == {"balance": 2, "price": 3}
    assert await CoinEntry.count() == 0  # the refill was rolled back with the rest


async def test_thirty_parallel_chairs_never_overdraw_a_wallet():
    """One buyer with 10 coins and a chair price of 3 tries 30 tables at once:
    exactly 3 purchases succeed, the balance ends at 1, never below zero."""
    w = await world()
    await ParticipationSettings.insert(
        ParticipationSettings(
            organisation=w.org, coins_per_period=100, chair_price=3, table_price=1, updated_at=datetime.now(UTC)
        )
    )
    opener = await person("opener@example.be", w.org, w.early)
    tables = [(await open_table(opener, w.room, title=f"Tafel {n}")).ids["table_id"] for n in range(30)]
    await ParticipationSettings.update({ParticipationSettings.coins_per_period: 10}, force=True)
    buyer = await person("buyer@example.be", w.org, w.early)
    outcomes = await asyncio.gather(*[do("participation.buy_chair", {"table_id": t}, buyer) for t in tables])
    applied = [o for o in outcomes if o.applied]
    assert len(applied) == 3
    assert {o.code() for o in outcomes if not o.applied} == {"not_enough_coins"}
    assert await _sum(w.org, buyer) == 1
    assert await Seat.count().where(Seat.user == buyer) == 3
    assert await Wallet.count().where(Wallet.user == buyer) == 1


async def test_thirty_parallel_buyers_fill_a_table_to_its_maximum_only():
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    table = (await open_table(opener, w.room)).ids["table_id"]
    buyers = [await person(f"b{n}@example.be", w.org, w.early) for n in range(30)]
    outcomes = await asyncio.gather(*[do("participation.buy_chair", {"table_id": table}, b) for b in buyers])
    assert sum(o.applied for o in outcomes) == 10  # the default maximum
    assert {o.code() for o in outcomes if not o.applied} == {"table_full"}
    assert await Seat.count().where((Seat.table == table) & (Seat.role == "chair")) == 10


async def test_play_coins_never_pay_for_a_real_table():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    practice = await open_table(ann, w.room, practice=True)
    assert practice.applied
    assert await _sum(w.org, ann, "play") == 7
    assert await _sum(w.org, ann, "real") == 0  # no real wallet touched
    bob = await person("bob@example.be", w.org, w.early)
    assert (await do("participation.buy_chair", {"table_id": practice.ids["table_id"]}, bob)).applied
    assert await _sum(w.org, bob, "play") == 9
    assert await _sum(w.org, bob, "real") == 0
