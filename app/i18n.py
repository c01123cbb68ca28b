"""Languages: gettext catalogs (Babel), the current locale, formatting.

Message ids are English; Dutch is the default language. Catalogs are read
from the .po files at start-up (no compiled .mo files in the repository).
The current locale lives in a context variable set per request, so the
template globals and domain messages translate without passing it around.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
TIMEZONE = ZoneInfo("Europe/Brussels")
LOCALE_DIR = Path(__file__).parent / "locale"
# Babel locales with the Belgian region: dates and numbers as Belgians write them.
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_BE"}

_current: ContextVar[str] = ContextVar("werkpas_language", default=DEFAULT_LANGUAGE)
_catalogs: dict[str, _gettext.NullTranslations] = {}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def _load(language: str) -> _gettext.NullTranslations:
    path = po_path(language)
    if not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def translations(language: str) -> _gettext.NullTranslations:
    if language not in _catalogs:
        _catalogs[language] = _load(language)
    return _catalogs[language]


def reload() -> None:
    _catalogs.clear()


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current.get()


def gettext(message: str, **values) -> str:
    text = translations(_current.get()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


_ = gettext


def lazy(message: str) -> str:
    """Marks a message for extraction where it is translated later."""
    return message


def pick_language(candidates: list[str | None], accept_language: str | None) -> str:
    for candidate in candidates:
        if candidate in LANGUAGES:
            return candidate
    for tag in _parse_accept_language(accept_language or ""):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def _parse_accept_language(header: str) -> list[str]:
    weighted = []
    for index, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, index, tag.strip().lower().split("-")[0]))
    return [tag for _q, _i, tag in sorted(weighted) if _q < 0]


def month_name(month: int) -> str:
    """The month's name as written in a date ("februari", "février", "February")."""
    return babel_dates.format_date(date(2000, month, 1), "MMMM", locale=_babel_locale())


@cache
def _locale_for(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[language])


def _babel_locale() -> Locale:
    return _locale_for(_current.get())


def local_time(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TIMEZONE)


@cache
def _datetime_patterns(language: str, format: str):
    """(date pattern, time pattern, how the locale joins them), parsed once:
    list pages format a date-time on every row."""
    locale = _locale_for(language)
    return locale.date_formats[format], locale.time_formats["short"], locale.datetime_formats[format]


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    """Date in the given width, time to the minute (seconds are noise)."""
    if value is None:
        return ""
    language = _current.get()
    date_pattern, time_pattern, joiner = _datetime_patterns(language, format)
    moment = local_time(value)
    locale = _locale_for(language)
    return joiner.replace("{1}", date_pattern.apply(moment, locale)).replace("{0}", time_pattern.apply(moment, locale))


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value).date()
    return babel_dates.format_date(value, format=format, locale=_babel_locale())


def format_number(value: int | float) -> str:
    return babel_numbers.format_decimal(value, locale=_babel_locale())
