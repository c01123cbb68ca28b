"""The counters behind the rate limits (app/domain/limits.py), in the
rate_limit table or in Redis. Each step is one atomic operation, so parallel
requests, and the processes of several servers, cannot both take the last
place under a limit."""

from __future__ import annotations

import asyncio
import weakref

from app.storage.tables import RateLimit

# One statement: insert the key, or count one more in its current window, or
# start a new window once the old one has ended. The WHERE of DO UPDATE
# leaves a full key untouched and then RETURNING gives no row. PostgreSQL
# locks the row, so a parallel claim waits and re-reads it; SQLite runs
# writes one at a time. (SET expressions all see the row before the update.)
CLAIM = """
INSERT INTO rate_limit ("key", hits, reset_at) VALUES ({}, 1, {})
ON CONFLICT ("key") DO UPDATE SET
    hits = CASE WHEN rate_limit.reset_at <= {} THEN 1 ELSE rate_limit.hits + 1 END,
    reset_at = CASE WHEN rate_limit.reset_at <= {} THEN excluded.reset_at ELSE rate_limit.reset_at END
WHERE rate_limit.reset_at <= {} OR rate_limit.hits < {}
RETURNING hits, reset_at
"""
GIVE_BACK = 'UPDATE rate_limit SET hits = hits - 1 WHERE "key" = {} AND reset_at = {} AND hits > 0'
WINDOW_END = 'SELECT reset_at FROM rate_limit WHERE "key" = {}'
HITS = 'SELECT hits FROM rate_limit WHERE "key" = {} AND reset_at > {}'
RESET = 'DELETE FROM rate_limit WHERE "key" = {}'
PRUNE = "DELETE FROM rate_limit WHERE reset_at <= {}"


class DatabaseCounters:
    """Counters in the rate_limit table: used when REDIS_URL is not set."""

    def __init__(self, prune_every: int = 1000):
        # Keys of ended windows mean nothing: every `prune_every` claims of
        # this process remove them, so one-off keys do not pile up.
        self.prune_every = prune_every
        self._claims = 0

    async def claim(self, key: str, limit: int, window: float, now: float) -> tuple[bool, float]:
        await self._prune(now)
        for _ in range(2):
            rows = await RateLimit.raw(CLAIM, key, now + window, now, now, now, limit)
            if rows:
                return True, float(rows[0]["reset_at"])
            rows = await RateLimit.raw(WINDOW_END, key)
            if rows:
                return False, float(rows[0]["reset_at"])
            # Reset in between: claim again.
        return False, now + 1

    async def give_back(self, key: str, reset_at: float) -> None:
        await RateLimit.raw(GIVE_BACK, key, reset_at)

    async def reset(self, key: str) -> None:
        await RateLimit.raw(RESET, key)

    async def hits(self, key: str, now: float) -> int:
        rows = await RateLimit.raw(HITS, key, now)
        return int(rows[0]["hits"]) if rows else 0

    async def _prune(self, now: float) -> None:
        self._claims += 1
        if self._claims % self.prune_every == 0:
            await RateLimit.raw(PRUNE, now)


# Redis: a hash per key with the hits and the end of the window (whole
# milliseconds, of the caller's clock, so tests can move time). The key also
# expires in Redis itself once its window is over, so nothing piles up.
REDIS_CLAIM = """
local now, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local hits = tonumber(redis.call('HGET', KEYS[1], 'hits')) or 0
local reset_at = tonumber(redis.call('HGET', KEYS[1], 'reset_at')) or 0
if reset_at <= now then
    hits = 0
    reset_at = now + window
    redis.call('HSET', KEYS[1], 'hits', 0, 'reset_at', reset_at)
end
if hits >= limit then
    return {0, reset_at}
end
redis.call('HINCRBY', KEYS[1], 'hits', 1)
redis.call('PEXPIRE', KEYS[1], reset_at - now + 1000)
return {1, reset_at}
"""
REDIS_GIVE_BACK = """
if tonumber(redis.call('HGET', KEYS[1], 'reset_at')) == tonumber(ARGV[1])
        and (tonumber(redis.call('HGET', KEYS[1], 'hits')) or 0) > 0 then
    redis.call('HINCRBY', KEYS[1], 'hits', -1)
end
return 0
"""


class RedisCounters:
    """Counters in Redis (REDIS_URL): for several machines."""

    def __init__(self, url: str, prefix: str = "werkpas:limits:"):
        self.url = url
        self.prefix = prefix
        # A client per event loop: a Redis connection belongs to the loop
        # that opened it (tests and servers may run several loops).
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _client(self):
        loop = asyncio.get_running_loop()
        found = self._clients.get(loop)
        if found is None:
            import redis.asyncio

            client = redis.asyncio.Redis.from_url(self.url)
            found = self._clients[loop] = (
                client,
                client.register_script(REDIS_CLAIM),
                client.register_script(REDIS_GIVE_BACK),
            )
        return found

    async def claim(self, key: str, limit: int, window: float, now: float) -> tuple[bool, float]:
        _client, claim, _give_back = self._client()
        counted, reset_at = await claim(keys=[self.prefix + key], args=[int(now * 1000), limit, int(window * 1000)])
        return bool(counted), int(reset_at) / 1000

    async def give_back(self, key: str, reset_at: float) -> None:
        _client, _claim, give_back = self._client()
        await give_back(keys=[self.prefix + key], args=[round(reset_at * 1000)])

    async def reset(self, key: str) -> None:
        client, _claim, _give_back = self._client()
        await client.delete(self.prefix + key)

    async def hits(self, key: str, now: float) -> int:
        client, _claim, _give_back = self._client()
        hits, reset_at = await client.hmget(self.prefix + key, ["hits", "reset_at"])
        if hits is None or reset_at is None or int(reset_at) <= int(now * 1000):
            return 0
        return int(hits)

    async def forget_all(self) -> None:
        """Remove every key under this prefix (tests)."""
        client, _claim, _give_back = self._client()
        async for key in client.scan_iter(match=self.prefix + "*"):
            await client.delete(key)

    async def close(self) -> None:
        found = self._clients.pop(asyncio.get_running_loop(), None)
        if found is not None:
            await found[0].aclose()
