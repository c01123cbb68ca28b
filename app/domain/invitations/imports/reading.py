"""Bytes of an upload -> the rows of the list, in memory only.

The file type is decided by content, not by the name: an XLSX is a zip with
an Excel workbook inside; a password-protected XLSX (and an old .xls) is an
OLE compound file; anything else must be text to be a CSV.

`read` parses in the calling process: for files we made ourselves (tests,
the bench, the example list). An upload is read by sandbox.read_upload,
which runs this same `read` in a child process with memory and time limits.
Every text cell comes out without NUL characters (PostgreSQL refuses them in
text, so dry run and apply would disagree) and with at most MAX_COLUMNS
columns; see limits for every bound.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import time, timedelta

from app.domain.invitations.imports import archive, columns
from app.domain.invitations.imports.limits import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    FileProblem,
)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted OOXML file is an OLE container with these streams (names are
# stored in UTF-16); an old .xls has a "Workbook" stream instead.
ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"MZ", b"\x7fELF")


@dataclass
class Row:
    number: int  # as the spreadsheet or text editor shows it (header = 1)
    cells: dict[str, object]  # field -> raw cell


@dataclass
class ParsedFile:
    kind: str  # csv | xlsx
    digest: str  # sha256 of the bytes, the only trace of the file in a command
    rows: list[Row] = field(default_factory=list)
    columns: tuple[str, ...] = ()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(data: bytes) -> ParsedFile:
    """Raises FileProblem when the file cannot be used at all."""
    if not data:
        raise FileProblem("empty")
    if len(data) > MAX_BYTES:
        raise FileProblem("too_big")
    kind, grid = _grid(data)
    return ParsedFile(kind=kind, digest=digest(data), **_rows(grid))


def _grid(data: bytes):
    if data.startswith(ZIP_MAGIC):
        return "xlsx", _xlsx(data)
    if data.startswith(OLE_MAGIC):
        raise FileProblem("protected" if any(marker in data for marker in ENCRYPTED_MARKERS) else "old_xls")
    if data.startswith(BINARY_MAGIC):
        raise FileProblem("wrong_type")
    return "csv", _csv(_decode(data))


# -- XLSX --------------------------------------------------------------------


def _xlsx(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as opened:
            archive.check(opened)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError):
        raise FileProblem("corrupt") from None
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.end is not None:  # what was read, whatever the sheet declared
            archive.check_grid(sheet.end[0] + 1, sheet.end[1] + 1)
        # From A1, so the row numbers are the ones the user sees.
        return enumerate(sheet.to_python(skip_empty_area=False), start=1)
    except (CalamineError, ValueError, KeyError, IndexError, OSError):
        raise FileProblem("corrupt") from None
    except Exception as error:  # calamine raises its own types (ZipError, XmlError, ...)
        if type(error).__module__.startswith("python_calamine"):
            raise FileProblem("corrupt") from None
        raise


# -- CSV ---------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text"),
    else Windows-1252 (Excel's "CSV" on a Belgian Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem("unreadable") from None
    if b"\x00" in data[:8192]:
        raise FileProblem("wrong_type")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined
        raise FileProblem("unreadable") from None


def _delimiter(text: str) -> str:
    """The separator of the first non-empty line: Excel writes ";" where the
    decimal comma is in use (Belgium, France), "," elsewhere."""
    for line in text[:65536].splitlines():
        if line.strip():
            counts = {sep: line.count(sep) for sep in (";", ",", "\t")}
            best = max(counts, key=counts.__getitem__)
            return best if counts[best] else ","
    return ","


def _csv(text: str):
    """(row number, cells), lazily: _rows stops at the row limit."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        # The reader's line_num counts physical lines: a quoted cell with a
        # line break must not shift the row number users look for.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        # The csv module's own bound on a field (131,072 characters) says so
        # only in its message.
        raise FileProblem("cell_too_long" if "field larger" in str(error) else "unreadable") from None


# -- rows --------------------------------------------------------------------


def _is_empty(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _cell(cell: object) -> object:
    """Text without NUL; a time of day or a duration as the text it shows
    (nothing reads them as such); anything else as the reader gave it."""
    if isinstance(cell, str):
        if len(cell) > MAX_CELL_CHARS:
            raise FileProblem("cell_too_long")
        return cell.replace("\x00", "") if "\x00" in cell else cell
    if isinstance(cell, (time, timedelta)):
        return str(cell)
    return cell


def _clean(cells: list) -> list:
    cells = [_cell(cell) for cell in cells]
    if len(cells) > MAX_COLUMNS:
        if not _is_empty(cells[MAX_COLUMNS:]):
            raise FileProblem("too_many_columns")
        del cells[MAX_COLUMNS:]
    return cells


def _text_size(rows: list[Row]) -> int:
    return sum(len(cell) for row in rows for cell in row.cells.values() if isinstance(cell, str))


def _rows(grid) -> dict:
    rows: list[tuple[int, list]] = []
    found = None
    for number, raw in grid:
        cells = _clean(raw)
        if _is_empty(cells):
            continue  # empty rows, empty trailing rows, rows left by merged cells
        rows.append((number, cells))
        if found is None and len(rows) <= columns.HEADER_SCAN_ROWS:
            found = columns.find_header(rows[-1:])
            if found is not None:
                found = (len(rows) - 1, found[1])
        if found is not None and len(rows) - found[0] - 1 > MAX_ROWS:
            raise FileProblem("too_many_rows")
        if found is None and len(rows) > columns.HEADER_SCAN_ROWS:
            break
    if found is None:
        first = columns.map_header(rows[0][1]) if rows else {}
        if any(name in first for name in columns.REQUIRED):
            raise FileProblem("columns_missing", columns=columns.missing(first))
        raise FileProblem("no_header" if rows else "empty")
    position, mapping = found
    if lacking := columns.missing(mapping):
        raise FileProblem("columns_missing", columns=lacking)
    body = [
        Row(number, {name: (cells[index] if index < len(cells) else None) for name, index in mapping.items()})
        for number, cells in rows[position + 1 :]
    ]
    body = [row for row in body if not _is_empty(row.cells.values())]
    if not body:
        raise FileProblem("no_rows")
    if _text_size(body) > MAX_TEXT_CHARS:
        raise FileProblem("too_large_unpacked")
    return {"rows": body, "columns": tuple(mapping)}
