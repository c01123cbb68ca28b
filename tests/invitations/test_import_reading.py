"""Reading messy staff lists: encodings, separators, header languages, date
shapes, merged cells, empty rows, and every way a file can be unusable."""

from __future__ import annotations

from datetime import date

import pytest

from app import i18n
from app.domain.invitations.imports import values
from app.domain.invitations.imports.problems import MAX_BYTES, MAX_ROWS, FileProblem
from app.domain.invitations.imports.reading import read
from tests.invitations.fixtures import messy


def _problem(data: bytes) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        read(data)
    return caught.value


def test_semicolon_csv_with_bom_from_excel():
    parsed = read(messy.semicolon_bom_csv())
    assert parsed.kind == "csv"
    assert [row.number for row in parsed.rows] == [2, 3, 4]  # empty trailing rows ignored
    assert parsed.rows[0].cells["last_name"] == "Peeters"  # no BOM glued to the first header
    assert parsed.rows[1].cells["last_name"] == "Dupré"


def test_windows_1252_csv_with_french_headers_and_commas():
    parsed = read(messy.windows_1252_csv())
    assert [row.cells["last_name"] for row in parsed.rows] == ["Vandenbroucke-Çelik", "Dupré"]
    assert parsed.rows[0].cells["first_name"] == "Zoë"
    assert "language" in parsed.columns


def test_english_headers_in_any_order_and_case():
    data = messy.csv_bytes(
        [
            ["E-MAIL", "date of birth", "ZIP", "First Name", "Last name"],
            ["a@example.be", "1990-01-31", "1000", "Ann", "Lee"],
        ],
        separator=",",
    )
    cells = read(data).rows[0].cells
    assert (cells["last_name"], cells["first_name"], cells["postcode"], cells["birth_date"]) == (
        "Lee",
        "Ann",
        "1000",
        "1990-01-31",
    )


def test_messy_xlsx_merged_title_and_header_cells_dates_serials_and_empty_rows():
    parsed = read(messy.messy_xlsx())
    assert parsed.kind == "xlsx"
    assert [row.number for row in parsed.rows] == [3, 4, 6]  # spreadsheet row numbers
    maes, smet, wouters = parsed.rows
    assert values.birth_date(maes.cells["birth_date"]) == date(1988, 4, 12)
    assert values.birth_date(smet.cells["birth_date"]) == date(1995, 6, 1)  # Excel serial
    assert values.birth_date(wouters.cells["birth_date"]) == date(2001, 9, 21)
    assert values.postcode(maes.cells["postcode"]) == "3000"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("01/02/1985", date(1985, 2, 1)),
        ("1-2-1985", date(1985, 2, 1)),
        ("1.2.1985", date(1985, 2, 1)),
        ("1985-02-01", date(1985, 2, 1)),
        ("1985-02-01 00:00:00", date(1985, 2, 1)),
        (31079, date(1985, 2, 1)),
        (31079.0, date(1985, 2, 1)),
        ("31079", date(1985, 2, 1)),
        ("", None),
        (None, None),
    ],
)
def test_birth_date_shapes(cell, expected):
    assert values.birth_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/1990", "next week", "1985/02/01", 31079.5, True, "02-01-85"])
def test_unreadable_birth_dates(cell):
    assert values.birth_date(cell) is values.UNREADABLE


@pytest.mark.parametrize(
    ("cell", "expected"), [(9000, "9000"), (9000.0, "9000"), (" 9000 ", "9000"), ("B-9000", "9000"), ("900", "900")]
)
def test_postcodes_as_numbers_or_text(cell, expected):
    assert values.postcode(cell) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (messy.protected_xlsx(), "protected"),
        (messy.old_xls(), "old_xls"),
        (messy.corrupt_xlsx(), "corrupt"),
        (messy.zip_without_workbook(), "wrong_type"),
        (b"%PDF-1.7\n%binary", "wrong_type"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "wrong_type"),
        (b"Naam;Voornaam\x00\x00\x01binary", "wrong_type"),
        (b"", "empty"),
        (b"just some words\nand more", "no_header"),
        (messy.csv_bytes([messy.DUTCH, ["", "", "", "", ""]]), "no_rows"),
    ],
)
def test_unusable_files(data, code):
    assert _problem(data).code == code


def test_missing_column_is_named():
    problem = _problem(messy.missing_column_csv())
    assert problem.code == "columns_missing"
    assert problem.params["columns"] == ["birth_date"]
    i18n.set_language("en")
    try:
        assert "birth date" in problem.message() and "geboortedatum" not in problem.message()  # one language
    finally:
        i18n.set_language("nl")


def test_file_over_10_mb():
    data = messy.csv_bytes([messy.DUTCH]) + b"x" * MAX_BYTES
    assert _problem(data).code == "too_big"


def test_more_than_50000_rows():
    assert _problem(messy.big_csv(MAX_ROWS + 1)).code == "too_many_rows"


def test_exactly_50000_rows_is_fine():
    assert len(read(messy.big_csv(MAX_ROWS)).rows) == MAX_ROWS


def test_wrong_extension_does_not_matter_content_decides():
    # An xlsx renamed to .csv is still read as a workbook: the reader never sees the name.
    assert read(messy.messy_xlsx()).kind == "xlsx"
