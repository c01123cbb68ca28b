"""Rate limits that hold under parallel requests.

An attempt is CLAIMED before its secret is checked: one atomic step on the
shared counters adds it to its key unless that key is already at its limit.
Checking first and counting the failure afterwards let 150 parallel
passwords through a limit of 5; a claim cannot be overtaken. What the
attempt turns out to be decides the rest: a failure keeps its claim, a
success (or a try that checked nothing) gives it back, and some limits reset
their key on success (a correct password clears its account's counter).

Windows are fixed: a key's first claim opens a window of `Rule.window`
seconds; up to `Rule.limit` claims fit in it, later ones are refused until
it ends (refusals are not counted and do not extend it). So `limit` also
bounds the attempts in flight at once.

The counters live in Redis when REDIS_URL is set, otherwise in the
rate_limit table (app/storage/rate_limits.py); both are shared by every
server process.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv6Address, IPv6Network, ip_address
from typing import Protocol

from app.config import get_settings

WINDOW_SECONDS = 15 * 60
KEY_LENGTH = 200  # rate_limit.key


@dataclass(frozen=True)
class Rule:
    """`limit` attempts per `window` seconds, per subject, under `name`."""

    name: str
    limit: int
    window: int = WINDOW_SECONDS

    def key(self, subject: str) -> str:
        key = f"{self.name}:{subject}"
        if len(key) <= KEY_LENGTH:
            return key
        # Cutting would let two long subjects share a counter.
        return f"{self.name}:#{hashlib.sha256(subject.encode()).hexdigest()}"


def address_subject(address: str) -> str:
    """The subject of a per-client-address limit: an IPv4 address as it is,
    an IPv6 address as its /64 (one client, a home or a phone, holds a whole
    /64 and can send every try from a new address in it)."""
    try:
        ip = ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(frozen=True)
class Claim:
    key: str
    reset_at: float  # the end of the window it was counted in (Unix seconds)


@dataclass(frozen=True)
class Attempt:
    """The outcome of claiming: every claim held, or none held and `wait`
    seconds (at least 1) until the refusing key has room again."""

    claims: tuple[Claim, ...] = ()
    wait: int = 0

    @property
    def refused(self) -> bool:
        return self.wait > 0


class Counters(Protocol):
    async def claim(self, key: str, limit: int, window: float, now: float) -> tuple[bool, float]:
        """Atomically count one more for `key` unless it is at `limit` in its
        current window (a new window starts once `now` reaches its end).
        Returns (counted, end of the window)."""

    async def give_back(self, key: str, reset_at: float) -> None:
        """Take one back, only in the window that ends at `reset_at`, never below 0."""

    async def reset(self, key: str) -> None: ...

    async def hits(self, key: str, now: float) -> int:
        """How many claims `key` holds in its current window (0 once it ended)."""
        ...


@dataclass
class Limiter:
    counters: Counters
    clock: Callable[[], float] = time.time

    async def claim(self, *rules: tuple[Rule, str]) -> Attempt:
        """Claims one attempt under each (rule, subject), in order; when one
        is refused, the claims already made are given back."""
        held: list[Claim] = []
        now = self.clock()
        for rule, subject in rules:
            key = rule.key(subject)
            counted, reset_at = await self.counters.claim(key, rule.limit, rule.window, now)
            if not counted:
                await self.give_back(Attempt(tuple(held)))
                return Attempt(wait=max(1, math.ceil(reset_at - now)))
            held.append(Claim(key, reset_at))
        return Attempt(tuple(held))

    async def give_back(self, attempt: Attempt) -> None:
        for claim in attempt.claims:
            await self.counters.give_back(claim.key, claim.reset_at)

    async def reset(self, rule: Rule, subject: str) -> None:
        await self.counters.reset(rule.key(subject))

    async def left(self, rule: Rule, subject: str) -> int:
        """Attempts still free under `rule` for `subject`, never below 0. Only
        for telling the person ("2 tries left"): parallel claims may take
        them meanwhile, and only `claim` decides."""
        return max(0, rule.limit - await self.counters.hits(rule.key(subject), self.clock()))


_counters: dict[str | None, Counters] = {}


def limiter() -> Limiter:
    """The limiter of this process: Redis when REDIS_URL is set, else the database."""
    url = get_settings().redis_url
    counters = _counters.get(url)
    if counters is None:
        from app.storage.rate_limits import DatabaseCounters, RedisCounters

        counters = _counters[url] = RedisCounters(url) if url else DatabaseCounters()
    return Limiter(counters)


def minutes(seconds: int) -> int:
    """Whole minutes to show ("try again in 3 minutes"), never 0."""
    return max(1, math.ceil(seconds / 60))
