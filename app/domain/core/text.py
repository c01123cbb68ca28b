"""Text values of payloads and the checks many forms share."""

from __future__ import annotations

import re

import phonenumbers

from app.i18n import lazy


def text(payload: dict, key: str) -> str:
    """A payload value as trimmed text; NUL characters (which PostgreSQL
    refuses in text) are dropped whatever channel the command came from."""
    value = payload.get(key)
    return ("" if value is None else str(value)).replace("\x00", "").strip()


EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def email_problem(email: str) -> str | None:
    if not email:
        return lazy("Enter an e-mail address.")
    if len(email) > 254 or not EMAIL.match(email):
        return lazy("Enter a valid e-mail address, like name@example.be.")
    return None


def name_problem(name: str) -> str | None:
    if not name:
        return lazy("Enter a name.")
    if len(name) > 200:
        return lazy("Use at most 200 characters.")
    return None


def normalise_phone(value: str) -> str | None:
    """E.164 (+32...) for a valid number, Belgian numbers without prefix too."""
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return None
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number)
        else None
    )
