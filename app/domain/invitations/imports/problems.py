"""Messages for a file that cannot be used at all, and for the row problems
that only bulk registration has (the person problems are in
app.domain.invitations.people.PROBLEMS)."""

from __future__ import annotations

from app.domain.invitations.imports.limits import MAX_BYTES, MAX_ROWS, FileProblem
from app.domain.invitations.people import PROBLEMS
from app.i18n import _, lazy

__all__ = ["MAX_BYTES", "MAX_ROWS", "FileProblem", "file_problem_message"]

FILE_PROBLEMS = {
    "empty": lazy("The file is empty."),
    "too_big": lazy("The file is larger than 10 MB. Split the list into smaller files."),
    "too_many_rows": lazy("The file has more than 50,000 rows. Split the list into smaller files."),
    "wrong_type": lazy("This is not a CSV or XLSX file. Save the list as .xlsx or .csv and upload it again."),
    "old_xls": lazy("This is an old Excel file (.xls). Save it as .xlsx (Excel workbook) and upload it again."),
    "protected": lazy(
        "The workbook is protected with a password. Remove the password in Excel, save, and upload it again."
    ),
    "corrupt": lazy(
        "The workbook is damaged and cannot be read. Open it in Excel, save it again, and upload it again."
    ),
    "unreadable": lazy("The text of the file cannot be read. Save it as CSV UTF-8 or as .xlsx and upload it again."),
    "no_header": lazy(
        "No header row was found. The first row must name the columns: "
        "last name, first name, postcode, birth date, e-mail."
    ),
    "columns_missing": lazy("Required column missing: %(columns)s."),
    "no_rows": lazy("The file has a header row but no people below it."),
    "too_many_columns": lazy(
        "The list has values in more than 30 columns (beyond column AD). Keep only the columns that are needed "
        "(last name, first name, postcode, birth date, e-mail, language, unit) and upload it again."
    ),
    "too_large_unpacked": lazy(
        "The file is too large once unpacked. "
        "Split the list into smaller files, or open it in Excel, save it again, and upload it again."
    ),
    "cell_too_long": lazy(
        "A cell of the file holds more than 32,767 characters, more than a spreadsheet cell can hold. "
        "Check the file and upload it again."
    ),
    "timeout": lazy(
        "Reading the file took too long and was stopped. Split the list into smaller files and upload them one by one."
    ),
    "failed": lazy(
        "The file could not be read: it needs more memory than allowed, or it is damaged. "
        "Open it in Excel, save it again (or split the list into smaller files), and upload it again."
    ),
    "busy": lazy("Other lists are being read right now. Wait a minute and upload the file again."),
}

ROW_PROBLEMS = {
    **PROBLEMS,
    "duplicate_in_file": lazy("The same person is on an earlier row of this file; that row is used."),
}

# Column names in the reader's language only (the file itself may use any of
# nl, fr or en: imports.columns knows them all).
COLUMN_LABELS = {
    "last_name": lazy("last name"),
    "first_name": lazy("first name"),
    "postcode": lazy("postcode"),
    "birth_date": lazy("birth date"),
    "email": lazy("e-mail"),
    "language": lazy("language"),
    "unit": lazy("unit"),
}

CODE_MEANINGS = {
    1: lazy("Done: invitation created"),
    2: lazy("Not needed: already registered or invited in this organisation"),
    3: lazy("Not found on the organisation's roster"),
    4: lazy("Not done: the data is invalid"),
}


def file_problem_message(code: str, params: dict) -> str:
    """FileProblem.message: the refusal in the current language."""
    params = dict(params)
    if "columns" in params:
        params["columns"] = ", ".join(_(COLUMN_LABELS[name]) for name in params["columns"])
    return _(FILE_PROBLEMS[code], **params)


def row_problem_text(field: str, code: str) -> str:
    """One problem, translated, prefixed with the column it is about."""
    message = _(ROW_PROBLEMS.get(code, PROBLEMS.get(code, code)))
    label = COLUMN_LABELS.get(field)
    return f"{_(label)}: {message}" if label else message


def meaning(code: int) -> str:
    return _(CODE_MEANINGS[code])
