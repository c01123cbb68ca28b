"""Rules of registration that need no database: reading a typed birth date,
the identity proof, PIN rules and the privacy notice version."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
from datetime import date, timedelta

from app.config import get_settings
from app.i18n import lazy

PRIVACY_NOTICE = "privacy_notice"
PRIVACY_VERSION = "2026-11"
PIN_RESET = "pin_reset"  # SecretToken purpose and short-code kind
MAX_FAILED_ATTEMPTS = 5
LOCK_TIME = timedelta(minutes=15)
PIN_MIN, PIN_MAX = 4, 6

_DATE = re.compile(
    r"^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})$", re.ASCII
)  # ASCII digits only: \d also matches Arabic-Indic digits


def parse_birth_date(day: str, month: str = "", year: str = "") -> date | None:
    """Three fields, or the whole date typed as dd/mm/yyyy (also with - or .)
    in the first field. None when it is not a real date."""
    day, month, year = (day or "").strip(), (month or "").strip(), (year or "").strip()
    text = day if not month and not year else f"{day}/{month}/{year}"
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def birth_date_proof(invitation_id: int, birth_date: date) -> str:
    """A keyed digest of the typed birth date: commands carry this instead of
    the date, so the command log (which hashes payloads) holds nothing that
    can be turned back into a birth date without the server key."""
    key = get_settings().secret_key.encode()
    message = f"registration-birth-date|{invitation_id}|{birth_date.isoformat()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _is_run(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {9})


def _birth_date_forms(birth_date: date) -> set[str]:
    d, m, y = f"{birth_date.day:02d}", f"{birth_date.month:02d}", f"{birth_date.year:04d}"
    return {d + m, m + d, m + y[2:], y[2:] + m, y, d + m + y[2:], y[2:] + m + d, m + d + y[2:]}


def pin_problem(pin: str, birth_date: date | None = None) -> str | None:
    """A message id when the PIN is not acceptable, else None."""
    if not (pin.isascii() and pin.isdigit()) or not PIN_MIN <= len(pin) <= PIN_MAX:
        return lazy("A PIN has 4 to 6 digits.")
    if len(set(pin)) == 1 or _is_run(pin) or pin == (pin[:2] * 3)[: len(pin)]:
        return lazy("This PIN is too easy to guess. Do not use the same digit, a row like 1234, or a repeated pair.")
    if birth_date is not None and pin in _birth_date_forms(birth_date):
        return lazy("Do not use your birth date as PIN.")
    return None
