"""Rate limit on typed codes (invitation codes, PIN reset codes) and on
wrong invitation links, per client address.

A try is claimed before the code is looked up (see app/domain/limits.py),
so parallel guesses cannot pass the limit. Only an unknown code keeps its
claim: a typo, an empty field or a code that exists gives it back.
"""

from __future__ import annotations

from app.domain.core.limits import Attempt, Limiter, Rule, address_subject, limiter

CODES = Rule("register:address", 10)
CODE_LIMIT = CODES.limit


async def claim_code(address: str, limits: Limiter | None = None) -> Attempt:
    """Claims one code lookup for this client address (refused: attempt.wait)."""
    return await (limits or limiter()).claim((CODES, address_subject(address)))


async def give_back(attempt: Attempt, limits: Limiter | None = None) -> None:
    """The try turned out not to be a wrong guess: it does not count."""
    await (limits or limiter()).give_back(attempt)
