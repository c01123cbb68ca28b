"""Cells that a spreadsheet must show, never run.

Excel, LibreOffice and Google Sheets read a cell that begins with "=", "+",
"-" or "@" as a formula (and a leading tab or carriage return lets one
through on some imports), so a name like =HYPERLINK("http://...","Klik")
in an export becomes a link, or worse, on the screen of whoever opens it.
Every CSV and XLSX the app writes passes its values through `safe_cell`:
such text gets a leading apostrophe, which shows the text as typed.
Numbers, dates and other non-text values are left alone.

Meant for reuse by any export (kept next to the first one; a shared home
like app/domain/spreadsheets.py would suit it once a second area needs it).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
