"""The two counter backends behind every limit: the rate_limit table (one
atomic upsert) and Redis (one Lua script). Same behaviour, same tests; the
clock is injected so windows can end without waiting."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from app.domain.core.limits import Limiter, Rule
from app.storage.rate_limits import DatabaseCounters, RedisCounters
from app.storage.tables import RateLimit

REDIS_URL = "redis://127.0.0.1:6379/0"
RULE = Rule("test:thing", 3, window=600)
OTHER = Rule("test:other", 2, window=600)


class Clock:
    def __init__(self, now: float = 1_700_000_000.25):
        self.now = now

    def __call__(self) -> float:
        return self.now


async def _redis_reachable() -> bool:
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        return bool(await client.ping())
    except (OSError, redis.exceptions.RedisError):
        return False
    finally:
        await client.aclose()


async def redis_counters() -> RedisCounters:
    if not await _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: the Redis backend is not tested in this run")
    # A random prefix: parallel test runs on one Redis never share a key.
    return RedisCounters(REDIS_URL, prefix=f"werkpas-test:{uuid.uuid4().hex}:")


@pytest.fixture(params=["database", "redis"])
async def counters(request):
    if request.param == "database":
        yield DatabaseCounters()
        return
    backend = await redis_counters()
    yield backend
    await backend.forget_all()
    await backend.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def limiter(counters, clock):
    return Limiter(counters, clock)


async def test_claims_up_to_the_limit_then_refuses_with_the_time_left(limiter, clock):
    for _ in range(RULE.limit):
        assert not (await limiter.claim((RULE, "a"))).refused
    clock.now += 100
    refused = await limiter.claim((RULE, "a"))
    assert refused.refused and refused.wait == 500 and refused.claims == ()
    clock.now += 499.5
    assert (await limiter.claim((RULE, "a"))).wait == 1  # never 0 while refused


async def test_the_window_ends_and_a_new_one_starts(limiter, clock):
    for _ in range(RULE.limit):
        await limiter.claim((RULE, "a"))
    clock.now += RULE.window
    fresh = await limiter.claim((RULE, "a"))
    assert not fresh.refused
    # The new window started with that claim: two more fit, then it waits a full window.
    for _ in range(RULE.limit - 1):
        assert not (await limiter.claim((RULE, "a"))).refused
    assert (await limiter.claim((RULE, "a"))).wait == RULE.window


async def test_refused_claims_do_not_extend_the_window(limiter, clock):
    for _ in range(RULE.limit):
        await limiter.claim((RULE, "a"))
    for _ in range(10):
        clock.now += 50
        await limiter.claim((RULE, "a"))
    clock.now += 100
    assert not (await limiter.claim((RULE, "a"))).refused


async def test_a_claim_given_back_frees_its_place(limiter):
    held = [await limiter.claim((RULE, "a")) for _ in range(RULE.limit)]
    await limiter.give_back(held[0])
    assert not (await limiter.claim((RULE, "a"))).refused
    assert (await limiter.claim((RULE, "a"))).refused


async def test_giving_back_a_claim_of_an_ended_window_frees_nothing_in_the_next(limiter, clock):
    old = await limiter.claim((RULE, "a"))
    clock.now += RULE.window
    for _ in range(RULE.limit):
        await limiter.claim((RULE, "a"))
    await limiter.give_back(old)
    assert (await limiter.claim((RULE, "a"))).refused


async def test_giving_back_never_goes_below_zero(limiter):
    claim = await limiter.claim((RULE, "a"))
    for _ in range(3):
        await limiter.give_back(claim)
    for _ in range(RULE.limit):
        assert not (await limiter.claim((RULE, "a"))).refused
    assert (await limiter.claim((RULE, "a"))).refused


async def test_reset_clears_a_key_and_only_that_key(limiter):
    for _ in range(RULE.limit):
        await limiter.claim((RULE, "a"))
        await limiter.claim((RULE, "b"))
    await limiter.reset(RULE, "a")
    assert not (await limiter.claim((RULE, "a"))).refused
    assert (await limiter.claim((RULE, "b"))).refused


async def test_rules_and_subjects_have_their_own_counters(limiter):
    for _ in range(RULE.limit):
        await limiter.claim((RULE, "a"))
    assert not (await limiter.claim((OTHER, "a"))).refused
    assert not (await limiter.claim((RULE, "b"))).refused


async def test_a_refused_rule_gives_back_the_claims_made_before_it(limiter):
    for _ in range(OTHER.limit):
        await limiter.claim((OTHER, "full"))
    refused = await limiter.claim((RULE, "a"), (OTHER, "full"))
    assert refused.refused
    # RULE/a was claimed first and given back: all three places are free.
    for _ in range(RULE.limit):
        assert not (await limiter.claim((RULE, "a"))).refused


async def test_parallel_claims_never_pass_the_limit(limiter):
    results = await asyncio.gather(*(limiter.claim((RULE, "a")) for _ in range(30)))
    assert sum(not result.refused for result in results) == RULE.limit


async def test_two_separate_clients_share_the_counters(counters, clock):
    # Two server processes each have their own client (connection pool).
    other = await redis_counters() if isinstance(counters, RedisCounters) else DatabaseCounters()
    if isinstance(other, RedisCounters):
        other.prefix = counters.prefix
    first, second = Limiter(counters, clock), Limiter(other, clock)
    results = await asyncio.gather(*(limiter.claim((RULE, "a")) for _ in range(15) for limiter in (first, second)))
    assert sum(not result.refused for result in results) == RULE.limit
    if isinstance(other, RedisCounters):
        await other.close()


async def test_subjects_are_cut_to_fit_the_key_column(limiter):
    long = "x" * 1000
    for _ in range(RULE.limit):
        assert not (await limiter.claim((RULE, long))).refused
    assert (await limiter.claim((RULE, long))).refused


async def test_the_table_forgets_ended_windows(clock):
    counters = DatabaseCounters(prune_every=5)
    limiter = Limiter(counters, clock)
    for n in range(4):
        await limiter.claim((RULE, f"old{n}"))
    clock.now += RULE.window + 1
    await limiter.claim((RULE, "new"))
    assert [row["key"] for row in await RateLimit.select(RateLimit.key)] == [RULE.key("new")]
