"""The archive check (issue 7, point 1): what an XLSX's zip directory and
its first sheet's <dimension> say, read without inflating anything big.
Only the central directory and a few KB are read, so these run in the test
process."""

from __future__ import annotations

import io
import zipfile
from datetime import time

import pytest
from openpyxl import Workbook

from app.domain.invitations.imports import archive
from app.domain.invitations.imports.limits import FileProblem
from app.domain.invitations.imports.reading import read
from tests.invitations.fixtures import hostile, messy


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _refusal(data: bytes) -> str:
    with pytest.raises(FileProblem) as caught:
        archive.check(_open(data))
    return caught.value.code


@pytest.mark.parametrize(("letters", "number"), [("A", 1), ("Z", 26), ("AA", 27), ("AD", 30), ("XFD", 16384)])
def test_column_numbers(letters, number):
    assert archive.column_number(letters) == number


@pytest.mark.parametrize(
    ("ref", "size"),
    [
        ("A1:E20", (20, 5)),
        ("B3", (3, 2)),
        ("$A$1:$AD$50001", (50001, 30)),
        ("A:E", (1_048_576, 5)),
        ("1:20", (20, 16384)),
        ("", (0, 0)),
        ("nonsense", (0, 0)),
    ],
)
def test_declared_extent(ref, size):
    assert archive._extent(ref) == size


def test_a_normal_workbook_passes_and_declares_its_size():
    data = messy.messy_xlsx()
    archive.check(_open(data))
    assert archive.declared_size(_open(data)) == (11, 7)


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: hostile.xfd_xlsx(), "too_many_columns"),
        (lambda: hostile.declared_dimension_xlsx("A1:E1048576"), "too_many_rows"),
        (
            lambda: hostile.declared_dimension_xlsx("A1:AD166667"),
            "too_many_rows",
        ),  # 30 columns, just over 5 million cells
        (lambda: hostile.declared_dimension_xlsx("A1:AZ100000"), "too_many_columns"),
        (lambda: hostile.bomb_xlsx(600_000_000), "too_large_unpacked"),
        (lambda: hostile.ratio_bomb_xlsx(), "too_large_unpacked"),
        (lambda: hostile.many_parts_zip(), "too_large_unpacked"),
        (lambda: hostile.zip_of_text(), "wrong_type"),
    ],
    ids=["xfd", "rows", "cells", "columns", "bomb", "ratio", "parts", "no-workbook"],
)
def test_refused_before_any_reader_opens_it(build, code):
    assert _refusal(build()) == code


def test_within_the_grid_budget_passes():
    archive.check(_open(hostile.declared_dimension_xlsx("A1:AD50021")))  # 50,000 people, a title, 30 columns


def test_the_first_sheet_is_the_workbook_s_first_not_sheet1():
    """Which part is the first sheet is the workbook's relationships' say:
    here the first listed sheet lives in sheet2.xml, and its huge
    dimension is the one that counts."""
    workbook = Workbook()
    workbook.active.append(["klein"])
    workbook.create_sheet("Groot")["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = hostile._rewrite(
        buffer.getvalue(), "xl/worksheets/sheet2.xml", lambda xml: hostile._with_dimension(xml, "A1:XFD1048576")
    )
    assert archive.first_sheet(_open(data)) == "xl/worksheets/sheet1.xml"
    archive.check(_open(data))  # the big sheet is not the first: fine
    rels = _open(data).read("xl/_rels/workbook.xml.rels").decode()
    swapped = rels.replace("sheet1.xml", "TMP").replace("sheet2.xml", "sheet1.xml").replace("TMP", "sheet2.xml")
    data = hostile._rewrite(data, "xl/_rels/workbook.xml.rels", lambda _xml: swapped.encode())
    assert archive.first_sheet(_open(data)) == "xl/worksheets/sheet2.xml"
    assert _refusal(data) == "too_many_columns"


def test_times_and_durations_are_read_as_the_text_they_show():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(messy.DUTCH)
    sheet.append(["Peeters", time(9, 30), 9000, "01/02/1985", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = read(buffer.getvalue()).rows[0].cells
    assert cells["first_name"] == "09:30:00"
