"""The checks an XLSX passes before a spreadsheet reader sees it.

A reader (calamine, openpyxl) trusts the archive: it inflates whatever the
zip holds and allocates the whole grid up to the last cell the sheet names.
So first, from the zip's central directory alone: how many parts, how big
each one and all together once unpacked, how much each shrank; that there is
a workbook at all; and then, from the first few KB of the first sheet, the
size it declares (<dimension ref="A1:XFD1048576"/> is 17 billion cells).

The declared sizes can lie; the child process's memory and time limits
(sandbox) catch a file that lies. These checks give the honest-but-huge file
its precise message at no cost.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from xml.etree import ElementTree

from app.domain.invitations.imports.limits import (
    DIMENSION_PEEK_BYTES,
    MAX_COLUMNS,
    MAX_GRID_CELLS,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_FLOOR,
    FileProblem,
)

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
FIRST_SHEET = "xl/worksheets/sheet1.xml"  # when the workbook does not say
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']*)[\"']")
CELL = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d{1,7})?$")
SMALL_XML = 4 * 1024 * 1024  # workbook.xml and its rels are a few KB


def check(archive: zipfile.ZipFile) -> None:
    """Raises FileProblem for an archive that must not be opened further."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileProblem("too_large_unpacked")
    if not any(entry.filename == WORKBOOK for entry in entries):
        raise FileProblem("wrong_type")  # a zip, but no Excel workbook: .docx, .ods, a plain archive
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
            raise FileProblem("too_large_unpacked")
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise FileProblem("too_large_unpacked")
    rows, columns = declared_size(archive)
    check_grid(rows, columns)


def check_grid(rows: int, columns: int) -> None:
    """rows x columns as a reader allocates them (from A1 to the last cell)."""
    if rows * columns <= MAX_GRID_CELLS:
        return
    raise FileProblem("too_many_columns" if columns > MAX_COLUMNS else "too_many_rows")


def declared_size(archive: zipfile.ZipFile) -> tuple[int, int]:
    """(rows, columns) the first sheet declares; (0, 0) when it declares
    nothing readable (the limits of the child process still hold)."""
    name = first_sheet(archive)
    try:
        with archive.open(name) as part:
            head = part.read(DIMENSION_PEEK_BYTES)
    except KeyError:
        return 0, 0  # the reader will report the missing sheet
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise FileProblem("corrupt") from None
    match = DIMENSION.search(head)
    if match is None:
        return 0, 0
    return _extent(match.group(1).decode("ascii", "replace"))


def _extent(ref: str) -> tuple[int, int]:
    """The bottom-right corner of "A1:E20" (or "B3", or "A:E", "1:20")."""
    last = ref.strip().split(":")[-1]
    match = CELL.match(last)
    if match is None or not any(match.groups()):
        return 0, 0
    letters, digits = match.groups()
    # A reference without row or column spans the whole sheet that way.
    rows = int(digits) if digits else 1_048_576
    columns = column_number(letters) if letters else 16_384
    return rows, columns


def column_number(letters: str) -> int:
    """A -> 1, AD -> 30, XFD -> 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def first_sheet(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet, as the workbook lists them
    (a reader's sheet 0), via the workbook's relationships."""
    try:
        workbook = _small_xml(archive, WORKBOOK)
        rels = _small_xml(archive, WORKBOOK_RELS)
    except (KeyError, ElementTree.ParseError):
        return FIRST_SHEET
    relation = next(
        (
            value
            for element in workbook.iter()
            if _local(element.tag) == "sheet"
            for key, value in element.attrib.items()
            if _local(key) == "id"
        ),
        None,
    )
    target = next(
        (
            element.get("Target", "")
            for element in rels.iter()
            if _local(element.tag) == "Relationship" and element.get("Id") == relation
        ),
        "",
    )
    if not target:
        return FIRST_SHEET
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > SMALL_XML:
        raise FileProblem("too_large_unpacked")
    try:
        return ElementTree.fromstring(archive.read(name))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise FileProblem("corrupt") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
