"""Accounts: login, passwords and links, sessions, own account, inactivity."""

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
