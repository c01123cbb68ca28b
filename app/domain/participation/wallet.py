"""The coin ledger. A person's coins in one organisation are the sum of
their CoinEntry rows, per kind: real coins (refilled every period, spent on
tables and chairs) and play coins (for practice tables in introduction
sessions). The two never mix: a wallet holds one kind.

Spending takes turns on the Wallet row (`open_wallet` locks it on
PostgreSQL; SQLite's write transactions are serial already) and checks the
balance after taking the lock, so parallel purchases cannot overdraw it.

Refill rule, per organisation (setup.Settings): at the start of each period
(month or quarter, Brussels time) a wallet gets `coins_per_period`, either
topped up to that amount ("top_up", the default: unspent coins do not pile
up) or added to what is left ("add"). Play wallets are topped up to
`practice_coins` the same way. The refill is written when the wallet is
next used in a command (or by the daily job); pages show the balance the
refill would give (`balance_now`), so nobody sees an empty wallet on the
first day of a month.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from piccolo.query.methods.select import Sum

from app.domain.core.commands import Rejected, utcnow
from app.domain.participation.setup import Settings, settings_of
from app.i18n import TIMEZONE
from app.storage import db
from app.storage.participation import CoinEntry, Wallet

KINDS = ("real", "play")


def period_of(moment: datetime, period: str) -> str:
    local = moment.astimezone(TIMEZONE)
    if period == "quarter":
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    return f"{local.year}-{local.month:02d}"


def refill_amount(settings: Settings, kind: str, balance: int) -> int:
    """What the period's refill adds to a wallet holding `balance`."""
    if kind == "play":
        return max(0, settings.practice_coins - balance)
    if settings.refill == "add":
        return settings.coins_per_period
    return max(0, settings.coins_per_period - balance)


async def _wallet_id(organisation_id: int, user_id: int, kind: str) -> int | None:
    row = await (
        Wallet.select(Wallet.id)
        .where((Wallet.organisation == organisation_id) & (Wallet.user == user_id) & (Wallet.kind == kind))
        .first()
    )
    return row["id"] if row else None


async def _sum(wallet_id: int) -> int:
    row = await CoinEntry.select(Sum(CoinEntry.amount).as_alias("total")).where(CoinEntry.wallet == wallet_id).first()
    return int((row or {}).get("total") or 0)


async def _refilled(wallet_id: int, period: str) -> bool:
    return await CoinEntry.exists().where(
        (CoinEntry.wallet == wallet_id) & (CoinEntry.reason == "refill") & (CoinEntry.period == period)
    )


@dataclass(frozen=True)
class Balance:
    kind: str
    coins: int
    # The refill of this period is included but not written yet.
    pending_refill: int = 0


async def balance_now(organisation_id: int, user_id: int, kind: str = "real") -> Balance:
    """The balance as the person sees it, the period's refill included."""
    settings = await settings_of(organisation_id)
    wallet_id = await _wallet_id(organisation_id, user_id, kind)
    stored = await _sum(wallet_id) if wallet_id else 0
    period = period_of(utcnow(), settings.period)
    if wallet_id and await _refilled(wallet_id, period):
        return Balance(kind, stored)
    pending = refill_amount(settings, kind, stored)
    return Balance(kind, stored + pending, pending)


@dataclass
class OpenWallet:
    """A wallet held for the current transaction (locked, refilled)."""

    id: int
    kind: str
    organisation_id: int
    user_id: int
    balance: int

    async def spend(self, amount: int, reason: str, *, table_id: int | None, command_id: uuid.UUID) -> None:
        """Takes `amount` coins out, or refuses with not_enough_coins and writes nothing."""
        if amount <= 0:
            return
        if self.balance < amount:
            raise Rejected("not_enough_coins", balance=self.balance, price=amount)
        await _entry(self.id, -amount, reason, table_id, command_id)
        self.balance -= amount

    async def credit(self, amount: int, reason: str, *, table_id: int | None, command_id: uuid.UUID | None) -> None:
        if amount <= 0:
            return
        await _entry(self.id, amount, reason, table_id, command_id)
        self.balance += amount


async def _entry(wallet_id: int, amount: int, reason: str, table_id: int | None, command_id, period=None) -> None:
    await CoinEntry.insert(
        CoinEntry(
            wallet=wallet_id,
            amount=amount,
            reason=reason,
            table_id=table_id,
            period=period,
            command_id=command_id,
            created_at=utcnow(),
        )
    )


async def open_wallet(organisation_id: int, user_id: int, kind: str = "real") -> OpenWallet:
    """The person's wallet of this kind, created when missing, locked until
    the transaction ends and refilled for the current period. Call inside a
    command (its transaction)."""
    if kind not in KINDS:
        raise ValueError(kind)
    wallet_id = await _wallet_id(organisation_id, user_id, kind)
    if wallet_id is None:
        rows = await Wallet.insert(Wallet(organisation=organisation_id, user=user_id, kind=kind, created_at=utcnow()))
        wallet_id = rows[0]["id"]
    await db.lock(Wallet, wallet_id)
    settings = await settings_of(organisation_id)
    balance = await _sum(wallet_id)
    period = period_of(utcnow(), settings.period)
    if not await _refilled(wallet_id, period):
        amount = refill_amount(settings, kind, balance)
        # A zero refill is written too: it marks the period as done.
        await _entry(wallet_id, amount, "refill", None, None, period=period)
        balance += amount
    return OpenWallet(wallet_id, kind, organisation_id, user_id, balance)


async def history(organisation_id: int, user_id: int, kind: str = "real", limit: int = 50) -> list[dict]:
    """The person's latest coin movements, newest first."""
    wallet_id = await _wallet_id(organisation_id, user_id, kind)
    if wallet_id is None:
        return []
    return await (
        CoinEntry.select(CoinEntry.amount, CoinEntry.reason, CoinEntry.table_id, CoinEntry.created_at)
        .where((CoinEntry.wallet == wallet_id) & ((CoinEntry.amount != 0) | (CoinEntry.reason != "refill")))
        .order_by(CoinEntry.id, ascending=False)
        .limit(limit)
    )
