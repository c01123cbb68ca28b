"""The consultant's view: the workers who consented to the consultant's
organisation, searched and filtered, and one worker's passport as consented.

Searching decides only *which* workers a page shows: it runs in SQL over
Consent, PassportField and PassportItem and returns ids. A filter on a
category matches only workers whose consent to that category is in force for
this organisation, so a value the worker did not share can never make them
match (nor fail to match: they are simply not in a filtered list). What the
page then shows of those workers is read through the one read path,
reads.read_shared, for the rows of the page only: one access-log entry per
worker shown per page view.

Conventions of the values the filters read (the passport forms write them):
- availability `days`: weekday codes separated by commas ("mon,tue,sat");
- mobility `own_car`, `driving_licence`: "1" (anything else is no);
- certificates: `kind` is a code of CERTIFICATE_KINDS; languages: `kind` is
  a language code of LANGUAGE_CODES, `level` its level; skills: free text in
  `kind` and/or `name`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.domain.core.commands import utcnow
from app.domain.core.pagination import Page, clamp
from app.domain.passport import files, lists
from app.domain.passport.categories import CODES
from app.domain.passport.reads import Shared, Viewer, read_shared
from app.domain.passport.store import DocumentInfo, Item
from app.i18n import lazy
from app.storage import db
from app.storage.passport import Consent
from app.storage.tables import Organisation

PERMISSION = "passport.consult"
PURPOSE = "staffing"  # why a consultant reads (the access log's purpose)
PER_PAGE = 25
# What a row of the list shows, by category.
LISTED = ("identity", "address", "certificates", "skills", "languages", "availability", "mobility")
# A yes/no filter in the URL says "yes"; the mobility form stores "1".
YES = "yes"
STORED_YES = "1"

# The codes the passport's forms store (lists.py): one vocabulary for the
# worker's forms, the consultant's filters and the API.
WEEKDAYS = lists.DAYS
CERTIFICATE_KINDS = {code: label for code, label in lists.CERTIFICATE_KINDS.items() if code != "other"}
LANGUAGE_CODES = {code: label for code, label in lists.LANGUAGES.items() if code != "other"}
MOBILITY = {"own_car": lazy("Own car"), "driving_licence": lazy("Driving licence")}
MAX_TEXT = 60  # a search box's text, cut
MAX_WORDS = 4  # words of a name search
MIN_SELECTIVE = 3  # a text this long is taken to match few workers


@dataclass(frozen=True)
class Filters:
    """What the consultant searches for; empty means no filter."""

    name: str = ""
    town: str = ""
    certificate: str = ""  # a code of CERTIFICATE_KINDS
    skill: str = ""
    language: str = ""  # a code of LANGUAGE_CODES
    weekday: str = ""  # a code of WEEKDAYS
    own_car: bool = False
    driving_licence: bool = False

    @classmethod
    def parse(cls, raw: dict[str, str]) -> Filters:
        """From a query string: text trimmed and cut, codes kept only when known."""

        def text(key: str) -> str:
            value = "".join(ch for ch in str(raw.get(key) or "") if ch.isprintable())
            return " ".join(value.split())[:MAX_TEXT]

        def code(key: str, known: dict) -> str:
            value = str(raw.get(key) or "")
            return value if value in known else ""

        return cls(
            name=text("name"),
            town=text("town"),
            certificate=code("certificate", CERTIFICATE_KINDS),
            skill=text("skill"),
            language=code("language", LANGUAGE_CODES),
            weekday=code("weekday", WEEKDAYS),
            own_car=raw.get("own_car") == YES,
            driving_licence=raw.get("driving_licence") == YES,
        )

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    def query(self) -> dict[str, str]:
        """The filters as query-string values (pagination links)."""
        values: dict[str, str] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            values[name] = (YES if value else "") if isinstance(value, bool) else value
        return values


def _ci(column: str) -> str:
    """A column compared case-insensitively with a lower-case LIKE pattern.
    SQLite's LIKE already ignores ASCII case (and its lower() knows ASCII
    only), so the column is compared as it is: half the cost of a scan."""
    return f'lower("{column}")' if db.is_postgres() else f'"{column}"'


def _like(needle: str) -> str:
    escaped = needle.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class _Match:
    """One filter: the workers whose `table` row of `category` (and, for a
    field, of one of `names`) passes `test` (SQL over the row's columns,
    placeholders {} with `args`)."""

    category: str
    table: str
    test: str
    args: tuple[Any, ...] = ()
    names: tuple[str, ...] = ()  # passport_field names
    # Likely to match few workers (a code, or a text of 3 characters or more).
    selective: bool = True

    def workers(self) -> tuple[str, list[Any]]:
        """The matching workers, as a subquery."""
        where = f"\"category\" = '{self.category}'"
        if self.names:
            where += ' AND "name" IN (' + ", ".join(f"'{name}'" for name in self.names) + ")"
        return f'SELECT DISTINCT "user" FROM "{self.table}" WHERE {where} AND {self.test}', list(self.args)

    def exists(self) -> tuple[str, list[Any]]:
        """Whether candidate m matches: a lookup by (user, category[, name]).
        One lookup per field name: with `name IN (...)` SQLite, having no
        statistics, picks the (category, name, ...) index and reads every
        worker's row for each candidate."""
        head = f'EXISTS (SELECT 1 FROM "{self.table}" AS t WHERE t."user" = m."user"'
        if not self.names:
            # An item: SQLite would likewise read every worker's items of the
            # category through (category, kind, ...); `+` keeps it on (user, ...).
            plus = "" if db.is_postgres() else "+"
            return f"{head} AND {plus}t.\"category\" = '{self.category}' AND {self.test})", list(self.args)
        head += f" AND t.\"category\" = '{self.category}'"
        parts = [f"{head} AND t.\"name\" = '{name}' AND {self.test})" for name in self.names]
        return "(" + " OR ".join(parts) + ")", list(self.args) * len(self.names)


def _matches(filters: Filters) -> list[_Match]:
    """The filters' matches, the ones likely to match fewest workers first
    (the first drives the search; the others are checked per worker it finds)."""
    like = "{} LIKE {{}} ESCAPE '!'"
    text = like.format(_ci("value"))
    found: list[_Match] = []
    if filters.certificate:
        found.append(_Match("certificates", "passport_item", '"kind" = {}', (filters.certificate,)))
    if filters.language:
        found.append(_Match("languages", "passport_item", '"kind" = {}', (filters.language,)))
    for word in sorted(filters.name.split()[:MAX_WORDS], key=len, reverse=True):
        names = ("first_name", "last_name")
        found.append(_Match("identity", "passport_field", text, (_like(word),), names, len(word) >= MIN_SELECTIVE))
    if filters.skill:
        test = f"({like.format(_ci('kind'))} OR {like.format(_ci('name'))})"
        selective = len(filters.skill) >= MIN_SELECTIVE
        found.append(_Match("skills", "passport_item", test, (_like(filters.skill),) * 2, (), selective))
    if filters.town:
        selective = len(filters.town) >= MIN_SELECTIVE
        found.append(_Match("address", "passport_field", text, (_like(filters.town),), ("town",), selective))
    if filters.weekday:
        # Weekday codes are three letters and none holds another.
        test, args = '"value" LIKE {}', (f"%{filters.weekday}%",)
        found.append(_Match("availability", "passport_field", test, args, ("days",), False))
    for name, wanted in (("own_car", filters.own_car), ("driving_licence", filters.driving_licence)):
        if wanted:
            found.append(_Match("mobility", "passport_field", '"value" = {}', (STORED_YES,), (name,), False))
    return sorted(found, key=lambda match: not match.selective)


ANY_CONSENT = 'FROM "consent" WHERE "organisation" = {} AND "expires_at" > {}'
IN_FORCE = (
    'EXISTS (SELECT 1 FROM "consent" AS c WHERE c."user" = m."user" AND c."organisation" = {{}}'
    ' AND c."category" = \'{category}\' AND c."expires_at" > {{}})'
)


def _search_sql(organisation_id: int, filters: Filters, now: datetime) -> tuple[str, list[Any]]:
    """SELECT "user", total: the workers matching every filter, where each
    filter's category is consented (in force) to this organisation.

    With a selective filter (a certificate, a language, a text of three
    characters or more), its few workers are the candidates and consent and
    the other filters are looked up per candidate through the (user, ...)
    indexes. Without one, every filter would match about half the workers:
    the candidates are then the consents to the first filter's category, and
    each other condition is one list of workers built once."""
    matches = _matches(filters)
    categories = list(dict.fromkeys(match.category for match in matches))
    driver = matches[0]
    if driver.selective:
        driver_sql, args = driver.workers()
        where = []
        for category in categories:
            where.append(IN_FORCE.format(category=category))
            args += [organisation_id, now]
        for match in matches[1:]:
            sql, match_args = match.exists()
            where.append(sql)
            args += match_args
        source = f"({driver_sql}) AS m"
    else:
        first, *others = categories
        source = f'(SELECT "user" {ANY_CONSENT} AND "category" = \'{first}\') AS m'
        args = [organisation_id, now]
        where = []
        for category in others:
            where.append(f'm."user" IN (SELECT "user" {ANY_CONSENT} AND "category" = \'{category}\')')
            args += [organisation_id, now]
        for match in matches:
            sql, match_args = match.workers()
            where.append(f'm."user" IN ({sql})')
            args += match_args
    return f'SELECT m."user", count(*) OVER () AS total FROM {source} WHERE {" AND ".join(where)}', args


async def _search_all(organisation_id: int, number: int, per_page: int) -> Page:
    """Every worker with a consent in force: counted, then one page read in
    id order straight from the consent_by_worker index (no sort)."""
    now = utcnow()
    counted = await Consent.raw(f'SELECT count(DISTINCT "user") AS n {ANY_CONSENT}', organisation_id, now)
    total = int(counted[0]["n"]) if counted else 0
    number = clamp(number, total, per_page)
    rows = await Consent.raw(
        f'SELECT "user" {ANY_CONSENT} GROUP BY "user" ORDER BY "user" LIMIT {int(per_page)} OFFSET {{}}',
        organisation_id,
        now,
        (number - 1) * per_page,
    )
    return Page([int(row["user"]) for row in rows], number, per_page, total)


async def search(organisation_id: int, filters: Filters, number: int, per_page: int = PER_PAGE) -> Page:
    """A page of the ids of the workers with consent in force to this
    organisation who match `filters` (ids in Page.items), and their total."""
    if not filters.active:
        return await _search_all(organisation_id, number, per_page)
    sql, args = _search_sql(organisation_id, filters, utcnow())
    paged = f'{sql} ORDER BY m."user" LIMIT {int(per_page)} OFFSET {{}}'
    rows = await Consent.raw(paged, *args, (number - 1) * per_page)
    if not rows and number > 1:
        # Past the last page: count, then show the last one.
        counted = await Consent.raw(f"SELECT count(*) AS n FROM ({sql}) AS found", *args)
        total = int(counted[0]["n"]) if counted else 0
        number = clamp(number, total, per_page)
        rows = await Consent.raw(paged, *args, (number - 1) * per_page)
    total = int(rows[0]["total"]) if rows else 0
    return Page([int(row["user"]) for row in rows], number, per_page, total)


@dataclass
class Row:
    """One worker in the list: each value None when its category is not shared."""

    user_id: int
    name: str | None = None
    town: str | None = None
    certificates: list[str] | None = None  # codes (or free text)
    skills: list[str] | None = None
    languages: list[tuple[str, str]] | None = None  # (code, level)
    days: list[str] | None = None  # weekday codes
    mobility: list[str] | None = None  # MOBILITY codes the worker has
    shared: list[str] = field(default_factory=list)


def full_name(shared: Shared) -> str | None:
    if "identity" not in shared.categories:
        return None
    contents = shared.contents
    return " ".join(
        part for part in (contents.value("identity", "first_name"), contents.value("identity", "last_name")) if part
    )


def days_of(value: str) -> list[str]:
    found = {part.strip() for part in value.split(",")}
    return [code for code in WEEKDAYS if code in found]


def _kinds(items: list[Item]) -> list[str]:
    # An "other" certificate is known by the name the worker gave it.
    return [item.name if item.kind == "other" or not item.kind else item.kind for item in items]


def row_of(user_id: int, shared: Shared | None) -> Row:
    row = Row(user_id)
    if shared is None:
        return row
    contents, codes = shared.contents, set(shared.categories)
    row.shared = list(shared.categories)
    row.name = full_name(shared)
    if "address" in codes:
        row.town = contents.value("address", "town")
    if "certificates" in codes:
        row.certificates = _kinds(contents.items.get("certificates", []))
    if "skills" in codes:
        row.skills = [item.name or item.kind for item in contents.items.get("skills", [])]
    if "languages" in codes:
        row.languages = [(item.kind, item.level) for item in contents.items.get("languages", [])]
    if "availability" in codes:
        row.days = days_of(contents.value("availability", "days"))
    if "mobility" in codes:
        row.mobility = [name for name in MOBILITY if contents.value("mobility", name) == STORED_YES]
    return row


async def workers(viewer: Viewer, filters: Filters, number: int) -> Page:
    """A page of the list (Row items): searched in SQL, then what is shown
    read through the one read path (logged once per worker shown)."""
    found = await search(viewer.organisation_id, filters, number)
    shared = await read_shared(viewer, found.items, PURPOSE, list(LISTED)) if found.items else {}
    rows = [row_of(user_id, shared.get(user_id)) for user_id in found.items]
    return Page(rows, found.number, found.per_page, found.total)


async def visible(user_id: int, organisation_id: int) -> bool:
    """Whether the worker has any consent in force to this organisation."""
    return await Consent.exists().where(
        (Consent.user == user_id) & (Consent.organisation == organisation_id) & (Consent.expires_at > utcnow())
    )


async def passport_of(viewer: Viewer, user_id: int) -> Shared | None:
    """One worker's passport as consented to the viewer's organisation (every
    consented category, through the one read path), or None: not visible."""
    return (await read_shared(viewer, [user_id], PURPOSE)).get(user_id)


async def organisations(ids: frozenset[int] | None) -> list[dict]:
    """The organisations ({id, name}) a consultant works for, by name. None
    (a platform admin's "everywhere") is no organisation: reading workers'
    passports needs a role in the organisation they consented to."""
    if not ids:
        return []
    rows = await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(sorted(ids)))
    return sorted(rows, key=lambda row: (row["name"].casefold(), row["id"]))


def not_shared(shared: Shared | None) -> list[str]:
    return list(CODES) if shared is None else shared.not_shared


async def shared_document(viewer: Viewer, user_id: int, document_id: int) -> tuple[DocumentInfo, bytes] | None:
    """One document of a worker who shares the documents category with the
    viewer's organisation (read through the one read path, so the download
    is logged), with its bytes; None otherwise."""
    shared = (await read_shared(viewer, [user_id], PURPOSE, ["documents"])).get(user_id)
    found = next((doc for doc in shared.contents.documents if doc.id == document_id), None) if shared else None
    if found is None:
        return None
    content = files.read(found.digest)
    return (found, content) if content is not None else None
