"""Languages: complete catalogs, no untranslated template text, language
negotiation, and Brussels time across daylight-saving changes."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.checkers import python_format

from app import i18n
from app.i18n_catalog import extract, read

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Text that is the same in every language.
UNTRANSLATABLE = {"Werkpas", "·", "×", "→", "←", "|", "/", ":", "-", "—", "…", "QR", "PIN", "OK", "HTMX"}  # noqa: RUF001


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalog_translates_every_message(language):
    extracted = extract()
    catalog = read(language)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if (
            entry is None
            or not entry.string
            or (isinstance(entry.string, tuple) and not all(entry.string))
            or entry.fuzzy
        ):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert missing == [], f"{language}: {len(missing)} messages without translation, e.g. {missing[:10]}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_keep_placeholders(language):
    problems = []
    catalog = read(language)
    for message in catalog:
        if not message.id or not message.string:
            continue
        try:
            python_format(catalog, message)
        except Exception as error:  # babel raises TranslationError
            problems.append(f"{message.id!r}: {error}")
    assert problems == []


_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_TAGS = re.compile(r"<!--.*?-->|<script.*?</script>|<style.*?</style>|<[^>]*>", re.S)
_ATTRS = re.compile(r"""\b(?:title|aria-label|placeholder|alt)\s*=\s*"([^"{]*[A-Za-z][^"{]*)\"""")


def _untranslated(source: str) -> list[str]:
    found = [m.group(1) for m in _ATTRS.finditer(source)]
    text = _TAGS.sub(" ", _JINJA.sub(" ", source))
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    for chunk in re.split(r"\s{2,}|\n", text):
        chunk = chunk.strip()
        words = [word for word in chunk.split() if word not in UNTRANSLATABLE]
        if re.search(r"[A-Za-zÀ-ÿ]", " ".join(words)):
            found.append(chunk)
    return found


def test_templates_contain_no_untranslated_text():
    problems = {}
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        found = _untranslated(path.read_text())
        if found:
            problems[str(path.relative_to(TEMPLATES))] = found
    assert problems == {}


def test_detector_finds_bare_text():
    assert _untranslated("<p>Hallo {{ name }}</p>") == ["Hallo"]
    assert _untranslated('<input placeholder="Search">') == ["Search"]
    assert _untranslated('<p>{{ _("Hello") }}</p>') == []


@pytest.mark.parametrize(
    "header, expected",
    [
        ("fr-BE,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("en;q=0.2, nl;q=0.9", "nl"),
        ("", "nl"),
        ("*", "nl"),
        ("xx;q=abc", "nl"),
    ],
)
def test_accept_language(header, expected):
    assert i18n.pick_language([], header) == expected


def test_remembered_choice_wins_over_header():
    assert i18n.pick_language(["en"], "fr") == "en"
    assert i18n.pick_language(["de", None], "fr") == "fr"


def test_brussels_time_across_daylight_saving():
    i18n.set_language("nl")
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST.
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert i18n.local_time(before).strftime("%H:%M") == "01:30"
    assert i18n.local_time(after).strftime("%H:%M") == "03:30"
    # 25 October 2026: back from CEST to CET.
    assert i18n.local_time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)).strftime("%H:%M") == "02:30"
    assert i18n.local_time(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)).strftime("%H:%M") == "02:30"


def test_dates_and_numbers_in_the_users_locale():
    moment = datetime(2026, 7, 14, 10, 5, tzinfo=UTC)
    i18n.set_language("nl")
    assert i18n.format_date(moment, "long") == "14 juli 2026"
    assert i18n.format_number(1234.5) == "1.234,5"
    i18n.set_language("fr")
    assert i18n.format_date(moment, "long") == "14 juillet 2026"
    assert i18n.format_number(1234.5).replace("\u202f", " ").replace("\xa0", " ") == "1 234,5"
    i18n.set_language("en")
    assert i18n.format_date(moment, "long") == "14 July 2026"
    i18n.set_language("nl")


def test_date_times_to_the_minute_in_brussels_time():
    moment = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    i18n.set_language("nl")
    assert i18n.format_datetime(moment) == "30 nov 2026, 11:00"
    i18n.set_language("fr")
    assert i18n.format_datetime(moment) == "30 nov. 2026, 11:00"
    i18n.set_language("nl")
