"""Accounts: logins, passwords and PINs, single-use links, (de)activation,
sessions, the own account and inactivity.

This module is the area's public face: other areas import from here, never
from the area's modules (registration builds accounts with these).
"""

from app.domain.accounts.passwords import hash_secret, password_problem, verify_secret
from app.domain.accounts.queries import is_registered_worker, user_by_email
from app.domain.core.access import ROLES
from app.domain.core.areas import Area
from app.storage.tables import SecretToken, User

AREA = Area(
    "accounts",
    handlers=("app.domain.accounts.handlers",),
    # Every role has a start page, and so has a signed-in user without one.
    permissions={role: {"account.home"} for role in ROLES if role != "platform_admin"},
    signed_in=frozenset({"account.home"}),
    tables=(User, SecretToken),
)

__all__ = ["AREA", "hash_secret", "is_registered_worker", "password_problem", "user_by_email", "verify_secret"]
