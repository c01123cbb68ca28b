"""Passwords and PINs: argon2id hashes, and the rules for choosing one."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from app.i18n import lazy

MIN_LENGTH = 10
MAX_LENGTH = 200


def _hasher() -> PasswordHasher:
    # The test suite hashes hundreds of passwords; a cheap profile keeps it
    # fast. Production uses RFC 9106's low-memory profile (64 MiB, t=3).
    if os.environ.get("WERKPAS_ARGON2_PROFILE") == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


_HASHER: PasswordHasher | None = None


def hasher() -> PasswordHasher:
    global _HASHER
    if _HASHER is None:
        _HASHER = _hasher()
    return _HASHER


def hash_secret(secret: str) -> str:
    return hasher().hash(secret)


def verify_secret(hashed: str | None, secret: str) -> bool:
    if not hashed:
        # Same cost as a real check, so timing does not reveal unknown accounts.
        hasher().hash(secret)
        return False
    try:
        return hasher().verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, email: str | None = None) -> str | None:
    """A message id when the password is not acceptable, else None."""
    if len(password) < MIN_LENGTH:
        return lazy("Use at least 10 characters.")
    if len(password) > MAX_LENGTH:
        return lazy("Use at most 200 characters.")
    if password.strip() != password or not password.strip():
        return lazy("The password cannot start or end with a space.")
    if len(set(password)) < 4:
        return lazy("This password is too easy to guess.")
    if email and password.lower() == email.lower():
        return lazy("The password cannot be your e-mail address.")
    return None
