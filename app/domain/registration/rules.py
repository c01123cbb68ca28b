"""Rules of registration that need no database: reading a typed birth date,
the identity proof, PIN rules and the privacy notice version."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.config import get_settings
from app.i18n import lazy

PRIVACY_NOTICE = "privacy_notice"
# The version of the privacy notice (templates/system/privacy.html) a consent
# receipt records: raised whenever the notice's content changes.
PRIVACY_VERSION = "2026-12"
PIN_RESET = "pin_reset"  # SecretToken purpose and short-code kind
MAX_FAILED_ATTEMPTS = 5
LOCK_TIME = timedelta(minutes=15)
PIN_MIN, PIN_MAX = 4, 6

_DATE = re.compile(
    r"^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})$", re.ASCII
)  # ASCII digits only: \d also matches Arabic-Indic digits
_DIGITS = re.compile(r"^[0-9]+$")
OLDEST_YEAR = 1900
PARTS = ("day", "month", "year")


@dataclass(frozen=True)
class DateProblem:
    """Why a typed birth date is not one, for a message that says exactly
    what to fix: `reason`, the part to point at, and the typed numbers that
    could be read (to name "31 February")."""

    reason: str  # missing | missing_part | not_number | day_range | month_range | year_short | year_range | no_such_day
    part: str  # day | month | year
    day: int | None = None
    month: int | None = None
    year: int | None = None


def read_birth_date(day: str, month: str = "", year: str = "", today: date | None = None) -> date | DateProblem:
    """Three fields (the whole date typed as dd/mm/yyyy, also with - or .,
    in the first one is read too), or the first thing to fix."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    whole = _DATE.match(parts["day"]) if not parts["month"] and not parts["year"] else None
    if whole:
        parts = dict(zip(PARTS, (whole.group(1), whole.group(2), whole.group(3)), strict=True))
    if not any(parts.values()):
        return DateProblem("missing", "day")
    for part in PARTS:
        if not parts[part]:
            return DateProblem("missing_part", part)
        if not _DIGITS.match(parts[part]):
            return DateProblem("not_number", part)
    d, m, y = (int(parts[part]) for part in PARTS)
    return _checked(d, m, y, len(parts["year"].lstrip("0")) or 1, today or date.today())


def _checked(d: int, m: int, y: int, year_digits: int, today: date) -> date | DateProblem:
    if not 1 <= d <= 31:
        return DateProblem("day_range", "day", d, m, y)
    if not 1 <= m <= 12:
        return DateProblem("month_range", "month", d, m, y)
    if year_digits < 4:
        return DateProblem("year_short", "year", d, m, y)
    if not OLDEST_YEAR <= y <= today.year:
        return DateProblem("year_range", "year", d, m, y)
    try:
        typed = date(y, m, d)
    except ValueError:
        return DateProblem("no_such_day", "day", d, m, y)
    if typed > today:
        return DateProblem("year_range", "year", d, m, y)
    return typed


def parse_birth_date(day: str, month: str = "", year: str = "") -> date | None:
    """The typed birth date, or None when it is not a real date."""
    typed = read_birth_date(day, month, year)
    return typed if isinstance(typed, date) else None


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
