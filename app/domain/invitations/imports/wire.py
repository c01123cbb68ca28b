"""What the reading child sends back to the server: MessagePack with a fixed
schema, never pickle (unpickling runs whatever the bytes say, and the child
has just parsed a hostile file).

Cells are None, bool, int, float, text, or a date / date-time as ISO text
with its kind; the server rebuilds the dates explicitly and checks every
field name, row number and width before it trusts a row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, cast

import msgspec

from app.domain.invitations.imports import columns as header
from app.domain.invitations.imports.limits import MAX_ROWS, FileProblem
from app.domain.invitations.imports.reading import Row


class Moment(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    kind: Literal["date", "datetime"]
    iso: str


Cell = None | bool | int | float | str | Moment


class WireRow(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    number: int
    cells: list[Cell]  # in the order of Parsed.columns


class Parsed(msgspec.Struct, tag="parsed", forbid_unknown_fields=True):
    kind: Literal["csv", "xlsx"]
    columns: list[str]
    rows: list[WireRow]


class Refused(msgspec.Struct, tag="refused", forbid_unknown_fields=True):
    code: str
    columns: list[str] = []  # for columns_missing


Message = Parsed | Refused
_decoder = msgspec.msgpack.Decoder(Message)
FIELDS = frozenset(header.REQUIRED + header.OPTIONAL)


class WireError(ValueError):
    """The child's answer is not one it could have sent: treat as a crash."""


PLAIN = frozenset({type(None), bool, int, float, str})


def _out(cell: object) -> Cell:
    if cell.__class__ in PLAIN:  # nearly every cell: no call further down
        return cast(Cell, cell)  # a plain type by its exact class (mypy cannot narrow on that)
    if isinstance(cell, datetime):  # before date: a datetime is a date
        return Moment("datetime", cell.isoformat())
    if isinstance(cell, date):
        return Moment("date", cell.isoformat())
    return cast(Cell, cell)  # any other type goes on as it is; the encoder decides


def _in(cell: Cell) -> object:
    if isinstance(cell, Moment):
        parse = datetime.fromisoformat if cell.kind == "datetime" else date.fromisoformat
        try:
            return parse(cell.iso)
        except ValueError:
            raise WireError("bad date") from None
    return cell


def encode_parsed(parsed) -> bytes:
    """A reading.ParsedFile (its digest stays with the server, which has the bytes)."""
    names = list(parsed.columns)
    rows = [WireRow(row.number, [_out(cell) for cell in map(row.cells.get, names)]) for row in parsed.rows]
    return msgspec.msgpack.encode(Parsed(parsed.kind, names, rows))


def encode_refused(problem: FileProblem) -> bytes:
    return msgspec.msgpack.encode(Refused(problem.code, list(problem.params.get("columns", []))))


def decode(data: bytes, known_codes) -> tuple[str, list[str], list[Row]]:
    """(kind, columns, rows); raises FileProblem for a refusal and WireError
    for anything malformed."""
    try:
        message = _decoder.decode(data)
    except msgspec.DecodeError:
        raise WireError("undecodable") from None
    if isinstance(message, Refused):
        if message.code not in known_codes or not set(message.columns) <= FIELDS:
            raise WireError("unknown refusal")
        raise FileProblem(message.code, **({"columns": message.columns} if message.columns else {}))
    names = message.columns
    if len(set(names)) != len(names) or not set(names) <= FIELDS or len(message.rows) > MAX_ROWS:
        raise WireError("bad columns")
    rows, previous, width = [], 0, len(names)
    for row in message.rows:
        cells = row.cells
        if row.number <= previous or len(cells) != width:
            raise WireError("bad row")
        previous = row.number
        rows.append(
            Row(
                row.number,
                dict(zip(names, [cell if cell.__class__ is not Moment else _in(cell) for cell in cells], strict=False)),
            )
        )
    return message.kind, names, rows
