"""Reads for the signed-in user's own account page: whether they have a
password, and checking the current one before a change."""

from __future__ import annotations

import asyncio

from app.domain.accounts.passwords import verify_secret
from app.storage.tables import User


async def has_password(user_id: int) -> bool:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return bool(row and row["password_hash"])


async def verify_current(user_id: int, password: str) -> str | None:
    """The stored hash when `password` is the account's current password,
    else None. The change command applies only while this hash is still the
    stored one. argon2 runs off the event loop."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    hashed = row["password_hash"] if row else None
    correct = await asyncio.to_thread(verify_secret, hashed, password)
    return hashed if correct and hashed else None
