"""The worker's own access log: who looked at which categories of their data,
for which organisation, when and why (purpose and legal basis), newest
first, in the worker's language; and the same as a CSV or PDF download.

Only the worker's own entries: every query here filters on
`AccessLogEntry.subject_id == user_id`, the id of the signed-in account.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app import i18n
from app.domain.core.pagination import Page, clamp
from app.domain.passport import pdf
from app.domain.passport.categories import BY_CODE
from app.domain.passport.consent import PURPOSES
from app.i18n import _, lazy
from app.storage.passport import AccessLogEntry

PER_PAGE = 25
# A download holds at most this many entries (the newest); far more than a
# worker's log holds in years.
MAX_DOWNLOAD = 50_000

BASES = {
    "consent": lazy("Your consent"),
    "contract": lazy("Your work contract"),
}
CHANNELS = {
    "web": lazy("Website"),
    "kiosk": lazy("Kiosk"),
    "api": lazy("Connected system (API)"),
    "cli": lazy("Command line"),
    "job": lazy("Automatic"),
}
# Formula-like text in a spreadsheet cell is shown, never run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Entry:
    at: datetime
    viewer: str
    by_api_key: bool
    organisation: str
    categories: tuple[str, ...]
    purpose: str
    legal_basis: str
    channel: str


@dataclass(frozen=True)
class Described:
    """An entry in words, in the current language."""

    when: str
    who: str
    organisation: str
    categories: str
    purpose: str
    basis: str
    channel: str


COLUMNS = (
    AccessLogEntry.at,
    AccessLogEntry.viewer_name,
    AccessLogEntry.api_key_id,
    AccessLogEntry.organisation_name,
    AccessLogEntry.categories,
    AccessLogEntry.purpose,
    AccessLogEntry.legal_basis,
    AccessLogEntry.channel,
)


def _entry(row: dict) -> Entry:
    return Entry(
        at=row["at"],
        viewer=row["viewer_name"],
        by_api_key=row["api_key_id"] is not None,
        organisation=row["organisation_name"],
        categories=tuple(code for code in row["categories"].split(",") if code),
        purpose=row["purpose"],
        legal_basis=row["legal_basis"],
        channel=row["channel"],
    )


def _newest_first(query):
    return query.order_by(AccessLogEntry.at, ascending=False).order_by(AccessLogEntry.id, ascending=False)


async def page_of(user_id: int, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of the worker's own entries, newest first."""
    mine = AccessLogEntry.subject_id == user_id
    total = await AccessLogEntry.count().where(mine)
    number = clamp(number, total, per_page)
    rows = (
        await _newest_first(AccessLogEntry.select(*COLUMNS).where(mine)).limit(per_page).offset((number - 1) * per_page)
    )
    return Page(items=[_entry(row) for row in rows], number=number, per_page=per_page, total=total)


async def all_entries(user_id: int, limit: int = MAX_DOWNLOAD) -> list[Entry]:
    """The worker's own entries for a download, newest first."""
    rows = await _newest_first(AccessLogEntry.select(*COLUMNS).where(AccessLogEntry.subject_id == user_id)).limit(limit)
    return [_entry(row) for row in rows]


class Describer:
    """Puts entries into words in the current language. Labels are translated
    once per describer, not once per row; dates use the cached patterns of
    i18n.format_datetime."""

    def __init__(self) -> None:
        self.categories = {code: _(category.label) for code, category in BY_CODE.items()}
        # The contract basis also reads the account's name (reads.CONTRACT_CATEGORIES).
        self.categories["name"] = _("Name")
        self.purposes = {code: _(label) for code, label in PURPOSES.items()}
        self.bases = {code: _(label) for code, label in BASES.items()}
        self.channels = {code: _(label) for code, label in CHANNELS.items()}
        self.api_key = _("API key %(name)s")
        self.someone = _("Someone of this organisation")

    def who(self, entry: Entry) -> str:
        if entry.by_api_key:
            return self.api_key % {"name": entry.viewer or "?"}
        return entry.viewer or self.someone

    def purpose(self, code: str) -> str:
        # A purpose this version has no words for is shown as its code.
        return self.purposes.get(code) or code.replace("_", " ")

    def __call__(self, entry: Entry, date_format: str = "medium") -> Described:
        return Described(
            when=i18n.format_datetime(entry.at, date_format),
            who=self.who(entry),
            organisation=entry.organisation,
            categories=", ".join(self.categories.get(code, code) for code in entry.categories),
            purpose=self.purpose(entry.purpose),
            basis=self.bases.get(entry.legal_basis, entry.legal_basis),
            channel=self.channels.get(entry.channel, entry.channel),
        )


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as typed: a leading = + - @ (or tab, CR)
    would make it a formula, so it gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def headers() -> list[str]:
    return [_("When"), _("Who"), _("Organisation"), _("Categories"), _("Purpose"), _("Legal basis"), _("Channel")]


def _cells(described: Described) -> list[str]:
    return [
        described.when,
        described.who,
        described.organisation,
        described.categories,
        described.purpose,
        described.basis,
        described.channel,
    ]


def to_csv(entries: Iterable[Entry]) -> bytes:
    """Semicolon-separated UTF-8 with BOM (what Excel opens correctly in
    Belgium); every cell is formula-safe."""
    describe = Describer()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in headers()])
    for entry in entries:
        writer.writerow([safe_cell(cell) for cell in _cells(describe(entry, "short"))])
    return buffer.getvalue().encode("utf-8-sig")


def to_pdf(entries: list[Entry], name: str) -> bytes:
    """The access log as a readable PDF in the current language."""
    describe = Describer()
    document = pdf.Document(_("Who looked at your data"))
    document.paragraph(_("Access log of %(name)s, made on %(date)s.", name=name, date=i18n.format_datetime(_now())))
    document.paragraph(
        _(
            "Each line is one look at your passport by an employer, an agency or a connected system: "
            "who, for which organisation, which parts, when and why."
        )
    )
    if not entries:
        document.paragraph(_("Nobody has looked at your data yet."))
    rows = [
        [d.when, d.who, d.organisation, d.categories, f"{d.purpose} ({d.basis})"]
        for d in (describe(entry, "short") for entry in entries)
    ]
    if rows:
        document.table(
            [_("When"), _("Who"), _("Organisation"), _("Categories"), _("Why")], rows, widths=(17, 20, 18, 25, 20)
        )
    return document.build()


def _now() -> datetime:
    from app.domain.core.commands import utcnow

    return utcnow()
