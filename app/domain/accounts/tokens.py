"""Single-use secret links (set password, reset password, confirm a new
e-mail address).

The secret in a link is HMAC(server key, purpose|row id|salt): the database
holds only the salt, so a copy of it can neither reveal nor forge a link, and
a queued mail can carry the row id instead of the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from app.config import get_settings
from app.storage.tables import SecretToken

SET_PASSWORD = "set_password"
RESET_PASSWORD = "reset_password"
CONFIRM_EMAIL = "confirm_email"
LIFETIME = {SET_PASSWORD: timedelta(days=7), RESET_PASSWORD: timedelta(hours=2), CONFIRM_EMAIL: timedelta(days=2)}
# Links that act on the account through its e-mail address: retired when the
# address changes or a new password is chosen (a PIN reset code is not one).
MAIL_LINKS = (SET_PASSWORD, RESET_PASSWORD, CONFIRM_EMAIL)


class TokenProblem(Exception):
    """`reason` is one of: invalid, expired, used."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _signature(purpose: str, token_id: int, salt: str) -> str:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, f"{purpose}|{token_id}|{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def link_secret(token_id: int, purpose: str, salt: str) -> str:
    return f"{token_id}.{_signature(purpose, token_id, salt)}"


async def issue(user_id: int, purpose: str) -> int:
    """Create a token row (inside the caller's transaction); returns its id."""
    now = datetime.now(UTC)
    rows = await SecretToken.insert(
        SecretToken(
            user=user_id,
            purpose=purpose,
            salt=secrets.token_hex(16),
            expires_at=now + LIFETIME[purpose],
            created_at=now,
        )
    )
    return rows[0]["id"]


async def secret_for(token_id: int) -> str | None:
    row = (
        await SecretToken.select(SecretToken.id, SecretToken.purpose, SecretToken.salt)
        .where(SecretToken.id == token_id)
        .first()
    )
    return link_secret(row["id"], row["purpose"], row["salt"]) if row else None


async def check(secret: str, purpose: str) -> dict:
    """The token row for a secret from a link, or TokenProblem."""
    token_id, _sep, signature = (secret or "").partition(".")
    # isdigit() alone accepts "²" (int() fails) and ids beyond the integer
    # column would make PostgreSQL raise: both must read as "invalid".
    if not (token_id.isascii() and token_id.isdigit()) or len(token_id) > 9 or not signature or len(secret) > 200:
        raise TokenProblem("invalid")
    row = await SecretToken.select().where(SecretToken.id == int(token_id)).first()
    if row is None or row["purpose"] != purpose:
        raise TokenProblem("invalid")
    if not hmac.compare_digest(signature, _signature(purpose, row["id"], row["salt"])):
        raise TokenProblem("invalid")
    if row["used_at"] is not None:
        raise TokenProblem("used")
    if row["expires_at"] <= datetime.now(UTC):
        raise TokenProblem("expired")
    return row


async def mark_used(token_id: int) -> None:
    await SecretToken.update({SecretToken.used_at: datetime.now(UTC)}).where(SecretToken.id == token_id)


async def retire(user_id: int, purposes: tuple[str, ...] = MAIL_LINKS) -> None:
    """Mark every open link of the account with one of `purposes` as used."""
    await SecretToken.update({SecretToken.used_at: datetime.now(UTC)}).where(
        (SecretToken.user == user_id) & SecretToken.used_at.is_null() & SecretToken.purpose.is_in(list(purposes))
    )
