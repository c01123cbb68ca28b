"""Rate limits of the API (app.domain.core.limits): every request of a key
counts against that key, claimed before anything is read; a request with a
key that is no key counts against its client address."""

from __future__ import annotations

from app.domain.core.limits import Attempt, Rule, address_subject, limiter

# Our own numbers: a system that syncs pages of 200 workers needs a few
# requests a second at most; a loop gone wild is stopped within a minute.
PER_KEY = Rule("api.key", limit=300, window=60)
BAD_KEYS_PER_ADDRESS = Rule("api.bad_key", limit=30)  # per 15 minutes


async def claim_for_key(api_key_id: int) -> Attempt:
    return await limiter().claim((PER_KEY, str(api_key_id)))


async def claim_bad_key(address: str) -> Attempt:
    return await limiter().claim((BAD_KEYS_PER_ADDRESS, address_subject(address)))
