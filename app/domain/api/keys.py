"""API keys: their form, their hash, and finding the key a request carries.

A key reads `wpk_<prefix>_<secret>`: `prefix` is 12 random hex characters,
stored as it is (unique) to find the row; `secret` is 32 random bytes in
URL-safe base64. The row keeps HMAC-SHA256 of the whole key under a key
derived from the server key: a copy of the database can neither reveal nor
forge a key, and, the keys being long and random, no slow hash is needed.

The key exists in clear only in the answer to the command that made it: the
handler hands it to the caller through `revealing()` (a box on the running
task), never through the command's outcome, which is stored. The same
command sent again answers the first outcome without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from app.config import get_settings
from app.domain.core.commands import utcnow
from app.storage.api import ApiKey

PREFIX_HEX = 12
SECRET_BYTES = 32
SHAPE = re.compile(r"^wpk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
MAX_KEY = 100  # anything longer is no key of ours: not even looked at
# last_used_at is written at most this often per key, not on every request.
TOUCH_EVERY = timedelta(seconds=60)

_revealed: ContextVar[dict[int, str] | None] = ContextVar("werkpas_api_key_revealed", default=None)


def _mac_key() -> bytes:
    # A key of its own, derived from the server key, so this HMAC can never
    # be mistaken for another one the server makes (links, cookies, codes).
    return hmac.new(get_settings().secret_key.encode(), b"werkpas-api-key", hashlib.sha256).digest()


def digest(key: str) -> str:
    return hmac.new(_mac_key(), key.encode(), hashlib.sha256).hexdigest()


def new_key() -> tuple[str, str]:
    """(prefix, key)."""
    prefix = secrets.token_hex(PREFIX_HEX // 2)
    return prefix, f"wpk_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"


def prefix_of(key: str) -> str | None:
    """The lookup prefix of something shaped like a key, else None."""
    if len(key) > MAX_KEY or not key.isascii():
        return None
    match = SHAPE.match(key)
    return match.group(1) if match else None


@contextmanager
def revealing() -> Iterator[dict[int, str]]:
    """Collects the keys made by the commands run inside: {key id: key}."""
    box: dict[int, str] = {}
    token = _revealed.set(box)
    try:
        yield box
    finally:
        _revealed.reset(token)


def reveal(api_key_id: int, key: str) -> None:
    box = _revealed.get()
    if box is not None:
        box[api_key_id] = key


@dataclass(frozen=True)
class Caller:
    """The key a request was made with, and its organisation."""

    id: int
    name: str
    organisation_id: int
    organisation_name: str


@dataclass(frozen=True)
class Refusal:
    """Why a request carries no usable key: "missing", "invalid" or "revoked"."""

    reason: str


async def authenticate(key: str | None) -> Caller | Refusal:
    """The key's caller, or why there is none. Unknown and forged keys are
    told apart from revoked ones (the caller held a real key)."""
    if not key:
        return Refusal("missing")
    prefix = prefix_of(key)
    if prefix is None:
        return Refusal("invalid")
    row = (
        await ApiKey.select(
            ApiKey.id,
            ApiKey.name,
            ApiKey.secret_hash,
            ApiKey.revoked_at,
            ApiKey.last_used_at,
            ApiKey.organisation.id,
            ApiKey.organisation.name,
        )
        .where(ApiKey.prefix == prefix)
        .first()
    )
    if row is None or not hmac.compare_digest(row["secret_hash"], digest(key)):
        return Refusal("invalid")
    if row["revoked_at"] is not None:
        return Refusal("revoked")
    now = utcnow()
    if row["last_used_at"] is None or now - row["last_used_at"] >= TOUCH_EVERY:
        await ApiKey.update({ApiKey.last_used_at: now}).where(ApiKey.id == row["id"])
    return Caller(row["id"], row["name"], row["organisation.id"], row["organisation.name"])
