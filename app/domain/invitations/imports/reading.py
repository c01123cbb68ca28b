"""Bytes of an upload -> the rows of the list, in memory only.

The file type is decided by content, not by the name: an XLSX is a zip with
an Excel workbook inside; a password-protected XLSX (and an old .xls) is an
OLE compound file; anything else must be text to be a CSV.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from app.domain.invitations.imports import columns
from app.domain.invitations.imports.problems import MAX_BYTES, MAX_ROWS, FileProblem

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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        raise FileProblem("corrupt") from None
    if "xl/workbook.xml" not in names:
        # A zip, but no Excel workbook: .docx, .ods, a plain archive.
        raise FileProblem("wrong_type")
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
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
    for line in text.splitlines():
        if line.strip():
            counts = {sep: line.count(sep) for sep in (";", ",", "\t")}
            best = max(counts, key=counts.get)
            return best if counts[best] else ","
    return ","


def _csv(text: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        # The reader's line_num counts physical lines: a quoted cell with a
        # line break must not shift the row number users look for.
        rows = []
        for record in reader:
            rows.append((len(rows) + 1, record))
            if len(rows) > MAX_ROWS + columns.HEADER_SCAN_ROWS + 1:
                break
        return rows
    except csv.Error:
        raise FileProblem("unreadable") from None


# -- rows --------------------------------------------------------------------


def _is_empty(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _rows(grid) -> dict:
    rows: list[tuple[int, list]] = []
    found = None
    for number, cells in grid:
        if _is_empty(cells):
            continue  # empty rows, empty trailing rows, rows left by merged cells
        rows.append((number, list(cells)))
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
    return {"rows": body, "columns": tuple(mapping)}
