"""Reading stored import runs (scoped to the reader's organisations) and
exporting their rows as CSV or XLSX: row number, code, meaning, problems."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import msgspec
from piccolo.columns.combination import And, Where

from app.domain.core.access import Reach
from app.domain.core.pagination import Page, clamp
from app.domain.invitations.imports.problems import meaning, row_problem_text
from app.domain.invitations.imports.safe_cells import safe_row
from app.i18n import _
from app.storage.people import ImportRow, ImportRun, Invitation
from app.storage.tables import Organisation, User

PER_PAGE = 100
RECENT = 20


@dataclass(frozen=True)
class StoredRow:
    number: int
    code: int
    meaning: str
    problems: list[str]


async def get_run(run_id: int, reach: Reach) -> dict | None:
    """One run, None when it does not exist or its unit (or, for a run for
    the whole organisation, the organisation) is beyond `reach`."""
    run = (
        await ImportRun.select(
            *ImportRun.all_columns(),
            ImportRun.organisation.name.as_alias("organisation_name"),
            ImportRun.unit.name.as_alias("unit_name"),
            ImportRun.unit.path.as_alias("unit_path"),
        )
        .where(ImportRun.id == run_id)
        .first()
    )
    if run is None or not reach.covers(run["organisation"], run["unit_path"]):
        return None
    uploader = None
    if run["uploaded_by"]:
        uploader = await User.select(User.display_name).where(User.id == run["uploaded_by"]).first()
    run["uploader_name"] = uploader["display_name"] if uploader else None
    return run


async def recent_runs(reach: Reach) -> list[dict]:
    query = (
        ImportRun.select(
            *ImportRun.all_columns(),
            ImportRun.organisation.name.as_alias("organisation_name"),
            ImportRun.unit.name.as_alias("unit_name"),
        )
        .order_by(ImportRun.id, ascending=False)
        .limit(RECENT)
    )
    if (where := reach.where(ImportRun.organisation, ImportRun.unit.path)) is not None:
        query = query.where(where)
    return await query


def _problems(raw: str) -> list[str]:
    try:
        problems = msgspec.json.decode(raw or "{}")
    except msgspec.DecodeError:
        return []
    return [row_problem_text(field, code) for field, code in sorted(problems.items())]


def _stored(row: dict) -> StoredRow:
    return StoredRow(row["row_number"], row["code"], meaning(row["code"]), _problems(row["problems"]))


async def run_rows(run_id: int, code: int | None = None, number: int = 1, per_page: int = PER_PAGE) -> Page:
    where: Where | And = ImportRow.run == run_id
    if code in (1, 2, 3, 4):
        where = where & (ImportRow.code == code)
    total = await ImportRow.count().where(where)
    number = clamp(number, total, per_page)
    rows = (
        await ImportRow.select()
        .where(where)
        .order_by(ImportRow.row_number)
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return Page([_stored(row) for row in rows], number, per_page, total)


async def all_rows(run_id: int) -> list[StoredRow]:
    rows = await ImportRow.select().where(ImportRow.run == run_id).order_by(ImportRow.row_number)
    return [_stored(row) for row in rows]


async def run_invitations(run_id: int, limit: int = 200) -> tuple[list[dict], int]:
    """The invitations this run issued (for staff with access to the run)."""
    where = Invitation.import_run == run_id
    total = await Invitation.count().where(where)
    rows = (
        await Invitation.select(
            Invitation.id,
            Invitation.delivery,
            Invitation.status,
            Invitation.expires_at,
            Invitation.person.last_name.as_alias("last_name"),
            Invitation.person.first_name.as_alias("first_name"),
        )
        .where(where)
        .order_by(Invitation.person.last_name, Invitation.person.first_name)
        .limit(limit)
    )
    return rows, total


def _header() -> list:
    return safe_row([_("Row"), _("Code"), _("Meaning"), _("Problems")])


def _lines(rows: list[StoredRow]):
    """Every exported line goes through safe_row: no cell becomes a formula."""
    for row in rows:
        yield safe_row([row.number, row.code, row.meaning, "; ".join(row.problems)])


def export_csv(rows: list[StoredRow]) -> bytes:
    """Semicolon-separated UTF-8 with BOM: what Excel opens correctly in
    Belgium."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header())
    writer.writerows(_lines(rows))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(rows: list[StoredRow]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Results"))
    sheet.append(_header())
    for line in _lines(rows):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXAMPLE_HEADERS = {
    "nl": ["Naam", "Voornaam", "Postcode", "Geboortedatum", "E-mailadres", "Taal", "Eenheid"],
    "fr": ["Nom", "Prénom", "Code postal", "Date de naissance", "Courriel", "Langue", "Unité"],
    "en": ["Last name", "First name", "Postcode", "Birth date", "E-mail", "Language", "Unit"],
}


def example_xlsx(language: str) -> bytes:
    """An empty list with the headers in the user's language and one
    example row, to fill in and upload."""
    from datetime import date

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(safe_row(EXAMPLE_HEADERS.get(language, EXAMPLE_HEADERS["en"])))
    sheet.append(safe_row(["Peeters", "Jan", 9000, date(1985, 2, 1), "jan.peeters@example.be", language, ""]))
    sheet.cell(row=2, column=4).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFG", (20, 18, 10, 16, 30, 8, 20), strict=False):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def organisation_by_slug(slug: str) -> dict | None:
    return await Organisation.select().where(Organisation.slug == slug).first()
