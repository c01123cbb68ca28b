"""The checks several admin forms share, answering reason codes
(app.domain.admin.reasons)."""

from __future__ import annotations

from app.domain.core.text import EMAIL

MAX_NAME = 200
MAX_EMAIL = 254


def name_code(name: str) -> str | None:
    if not name:
        return "name_missing"
    if len(name) > MAX_NAME:
        return "name_too_long"
    return None


def email_code(email: str) -> str | None:
    if not email:
        return "email_missing"
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        return "email_invalid"
    return None
