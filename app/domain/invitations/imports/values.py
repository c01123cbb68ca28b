"""One spreadsheet cell -> a value: birth dates in every shape an Excel list
has them (date cells, serial numbers of unformatted cells, text), postcodes
as numbers or text, and languages by code or name."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from app.domain.invitations.people import clean_text

# Excel's day 0 (its 1900 leap-year bug makes 1899-12-30 the right origin for
# every date after February 1900).
EXCEL_EPOCH = date(1899, 12, 30)
MAX_SERIAL = 2958465  # 9999-12-31
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
SERIAL = re.compile(r"^\d{1,7}(?:[.,]0+)?$")

LANGUAGE_NAMES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "neerlandais": "nl",
    "vlaams": "nl",
    "fr": "fr",
    "frans": "fr",
    "francais": "fr",
    "french": "fr",
    "en": "en",
    "engels": "en",
    "anglais": "en",
    "english": "en",
}


class Unreadable:
    """A birth date cell that holds something, but not a date."""


UNREADABLE = Unreadable()


def birth_date(cell: object) -> date | None | Unreadable:
    """A date, None for an empty cell, UNREADABLE for anything else."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return UNREADABLE
    if isinstance(cell, (int, float)):
        return _serial(cell)
    text = clean_text(cell)
    if not text:
        return None
    if match := DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
        return _date(year, month, day)
    if match := YEAR_FIRST.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _date(year, month, day)
    if SERIAL.match(text):  # an unformatted date cell exported to CSV
        return _serial(float(text.replace(",", ".")))
    return UNREADABLE


def _serial(number: float) -> date | Unreadable:
    if number != int(number) or not 1 <= number <= MAX_SERIAL:
        return UNREADABLE
    return EXCEL_EPOCH + timedelta(days=int(number))


def _date(year: int, month: int, day: int) -> date | Unreadable:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/1990
        return UNREADABLE


def postcode(cell: object) -> str:
    """Text of four digits when it is one (1000 or 1000.0 or "B-1000")."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, int) and not isinstance(cell, bool):
        return str(cell)
    text = clean_text(cell)
    upper = text.upper()
    for prefix in ("BE-", "BE ", "B-", "B "):
        if upper.startswith(prefix) and upper[len(prefix) :].strip().isdigit():
            return upper[len(prefix) :].strip()
    return text


def text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return clean_text(cell)


def language(cell: object, fold) -> str:
    """A language code for a cell like "NL", "Frans" or "English"; anything
    else is passed on as typed, so validation reports it."""
    raw = clean_text(cell)
    return LANGUAGE_NAMES.get(fold(raw), raw.lower())
