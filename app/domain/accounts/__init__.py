"""Accounts: logins, passwords and PINs, single-use links, (de)activation,
sessions, the own account and inactivity.

This module is the area's public face: other areas import from here, never
from the area's modules (registration builds accounts with these; admin issues
set-password links and starts or cancels an e-mail change with these).
"""

from app.domain.accounts.email_change import cancel as cancel_email_change
from app.domain.accounts.email_change import request_change as request_email_change
from app.domain.accounts.passwords import hash_secret, password_problem, verify_secret
from app.domain.accounts.queries import is_registered_worker, user_by_email
from app.domain.accounts.tokens import SET_PASSWORD
from app.domain.accounts.tokens import issue as issue_token
from app.domain.accounts.tokens import secret_for as token_secret
from app.domain.core.access import ROLES
from app.domain.core.areas import Area
from app.i18n import lazy
from app.storage.tables import SecretToken, User

AREA = Area(
    "accounts",
    title=lazy("accounts"),
    handlers=("app.domain.accounts.handlers",),
    # Every role has a start page, and so has a signed-in user without one.
    permissions={role: {"account.home"} for role in ROLES if role != "platform_admin"},
    signed_in=frozenset({"account.home"}),
    tables=(User, SecretToken),
)

__all__ = [
    "AREA",
    "SET_PASSWORD",
    "cancel_email_change",
    "hash_secret",
    "is_registered_worker",
    "issue_token",
    "password_problem",
    "request_email_change",
    "token_secret",
    "user_by_email",
    "verify_secret",
]
