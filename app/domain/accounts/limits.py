"""Login and password-reset limits: per account and per client address,
claimed before anything is checked (see app/domain/limits.py).

The per-account counter belongs to the account, not to the typed text: the
ways of typing one phone number, an e-mail address in any case, and the
e-mail and phone of one account all count together. Text that reaches no
account is counted under its normalised form, exactly like an account, so
the limits tell nothing about which accounts exist.
"""

from __future__ import annotations

import hashlib

from app.domain.accounts.queries import normalise_email
from app.domain.core.limits import Attempt, Limiter, Rule, limiter
from app.domain.core.limits import address_subject as address_subject
from app.domain.core.text import normalise_phone

ACCOUNT = Rule("login:account", 5)
ADDRESS = Rule("login:address", 20)
# A reset request sends a mail: limited per target account and per address,
# in front of the command's own cap on links per hour.
FORGOT_ACCOUNT = Rule("forgot:account", 5)
FORGOT_ADDRESS = Rule("forgot:address", 10)

ACCOUNT_LIMIT, ADDRESS_LIMIT = ACCOUNT.limit, ADDRESS.limit
FORGOT_ACCOUNT_LIMIT, FORGOT_ADDRESS_LIMIT = FORGOT_ACCOUNT.limit, FORGOT_ADDRESS.limit


def _hashed(text: str) -> str:
    # The counters hold no e-mail addresses or phone numbers.
    return hashlib.sha256(text.encode()).hexdigest()


def typed_subject(typed: str) -> str:
    """The counter of text that reached no account: an e-mail address
    without case or spaces, a phone number in E.164 when it is one."""
    text = (typed or "").strip()
    if "@" in text:
        return "typed:" + _hashed(normalise_email(text))
    return "typed:" + _hashed(normalise_phone(text) or "".join(text.split()).lower())


def account_subject(typed: str, user_id: int | None) -> str:
    return f"user:{user_id}" if user_id is not None else typed_subject(typed)


async def claim_forgot(email: str, address: str, limits: Limiter | None = None) -> Attempt:
    """Claims one reset request for a normalised e-mail address. Each request
    counts (there is no "success" to give back: the answer is always the same)."""
    limits = limits or limiter()
    return await limits.claim((FORGOT_ADDRESS, address_subject(address)), (FORGOT_ACCOUNT, typed_subject(email)))
