"""Login rate limits: per account and per client address.

A sliding window of failure times is kept under an expiring key in a Litestar
Store (FileStore on one machine, RedisStore across several), so every process
sees the same counters. Only the newest `limit` failures are kept: when there
are `limit` of them inside the window, the oldest one says when the next
attempt is allowed again.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import msgspec
from litestar.stores.base import Store

WINDOW_SECONDS = 15 * 60
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


def account_key(email: str) -> str:
    # Hashed: the store holds no e-mail addresses, and unknown addresses are
    # limited exactly like known ones (nothing to enumerate).
    return "login:account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def address_key(address: str) -> str:
    return "login:address:" + address[:64]


@dataclass
class LoginLimiter:
    store: Store
    clock: Callable[[], float] = time.time

    async def _failures(self, key: str) -> list[float]:
        raw = await self.store.get(key)
        if not raw:
            return []
        try:
            stamps = msgspec.json.decode(raw, type=list[float])
        except msgspec.DecodeError:
            return []
        now = self.clock()
        return [stamp for stamp in stamps if now - stamp < WINDOW_SECONDS]

    async def wait(self, key: str, limit: int) -> int:
        """Seconds until `key` may try again (0: now), with `limit` failures per window."""
        failures = await self._failures(key)
        if len(failures) < limit:
            return 0
        return max(1, math.ceil(failures[-limit] + WINDOW_SECONDS - self.clock()))

    async def seconds_to_wait(self, email: str, address: str) -> int:
        """0 when a login attempt may go ahead, else seconds until it may."""
        return max(
            await self.wait(account_key(email), ACCOUNT_LIMIT),
            await self.wait(address_key(address), ADDRESS_LIMIT),
        )

    async def add_failure(self, key: str, limit: int) -> None:
        failures = [*await self._failures(key), self.clock()][-limit:]
        await self.store.set(key, msgspec.json.encode(failures), expires_in=WINDOW_SECONDS)

    async def record_failure(self, email: str, address: str) -> None:
        await self.add_failure(account_key(email), ACCOUNT_LIMIT)
        await self.add_failure(address_key(address), ADDRESS_LIMIT)

    async def reset_account(self, email: str) -> None:
        await self.store.delete(account_key(email))


def minutes(seconds: int) -> int:
    """Whole minutes to show ("try again in 3 minutes"), never 0."""
    return max(1, math.ceil(seconds / 60))
