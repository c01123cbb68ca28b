"""Accounts: logins, passwords and PINs, single-use links, (de)activation
and sessions.

This module is the area's public face: other areas import from here, never
from the area's modules (registration builds accounts with these).
"""

from app.domain.accounts.passwords import hash_secret, password_problem, verify_secret
from app.domain.accounts.queries import is_registered_worker, user_by_email

__all__ = ["hash_secret", "is_registered_worker", "password_problem", "user_by_email", "verify_secret"]
