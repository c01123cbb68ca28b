"""The payloads of the invitations area's commands: one frozen struct per
command type, decoded and checked by app.domain.core.commands.execute before
any handler runs. The structs hold the structural limits (types, lengths,
list sizes); the rules with their own messages ("The last name is missing.")
stay in the handlers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Union

import msgspec

from app.domain.core.payloads import NO_NUL, Digest, Id, Payload, ShortText, Text
from app.domain.invitations.imports import columns as header
from app.domain.invitations.imports.limits import MAX_CELL_CHARS, MAX_ROWS

__all__ = [
    "CreateInvitation",
    "ExpireInvitation",
    "ImportApply",
    "ImportRow",
    "InvitationAction",
    "IssueBadge",
    "MarkSent",
    "Moment",
    "import_payload",
]


class CreateInvitation(Payload, frozen=True, kw_only=True):
    """invitations.create: the invite form. Every person field is sent (maybe
    empty: the handler names what is missing); an empty organisation or unit
    arrives as None."""

    organisation_id: Id | None = None
    unit_id: Id | None = None
    last_name: ShortText
    first_name: ShortText
    birth_date: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]
    postcode: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]
    # The address rule (at most 254 characters) has its own message.
    email: Text = ""
    phone: Annotated[str, msgspec.Meta(max_length=60, pattern=NO_NUL)] = ""
    language: Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)] = ""
    delivery: Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)]


class InvitationAction(Payload, frozen=True, kw_only=True):
    """invitations.resend, invitations.extend, invitations.revoke."""

    invitation_id: Id


class ExpireInvitation(Payload, frozen=True, kw_only=True):
    """invitations.expire (the daily job)."""

    invitation_id: Id


class MarkSent(Payload, frozen=True, kw_only=True):
    """invitations.mark_sent (the mail job)."""

    invitation_id: Id


class IssueBadge(Payload, frozen=True, kw_only=True):
    person_id: Id
    organisation_id: Id


# -- invitations.import_apply -------------------------------------------------


class Moment(msgspec.Struct, array_like=True, forbid_unknown_fields=True, frozen=True):
    """A date or date-time cell, as ISO text with its kind."""

    kind: Literal["date", "datetime"]
    iso: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]


CellText = Annotated[str, msgspec.Meta(max_length=MAX_CELL_CHARS, pattern=NO_NUL)]
Cell = Union[None, bool, int, float, CellText, Moment]  # noqa: UP007  (a union msgspec reads)
FieldName = Literal["last_name", "first_name", "postcode", "birth_date", "email", "language", "unit"]
assert set(FieldName.__args__) == set(header.REQUIRED + header.OPTIONAL)  # type: ignore[attr-defined]


class ImportRow(msgspec.Struct, array_like=True, forbid_unknown_fields=True, frozen=True):
    """One row of the list: its number as the spreadsheet shows it, and its
    cells in the order of ImportApply.columns."""

    number: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)]
    cells: Annotated[list[Cell], msgspec.Meta(max_length=len(FieldName.__args__))]


class ImportApply(Payload, frozen=True, kw_only=True):
    """invitations.import_apply: the rows of the list (at most MAX_ROWS, as
    the reader allows), the fields its columns hold, and the file's digest
    and kind. The command log keeps only the payload's hash and the result
    codes, never a row."""

    organisation_id: Id
    unit_id: Id | None = None
    mode: ShortText
    file_sha256: Digest
    file_kind: Literal["csv", "xlsx"]
    columns: Annotated[list[FieldName], msgspec.Meta(max_length=len(FieldName.__args__))]
    rows: Annotated[list[ImportRow], msgspec.Meta(max_length=MAX_ROWS)]


PLAIN = frozenset({type(None), bool, int, float, str})


def _cell(cell: object) -> object:
    if cell.__class__ in PLAIN:  # nearly every cell
        return cell
    if isinstance(cell, datetime):  # before date: a datetime is a date
        return ["datetime", cell.isoformat()]
    if isinstance(cell, date):
        return ["date", cell.isoformat()]
    return cell


def import_payload(parsed, organisation_id: int, unit_id: int | None, mode: str) -> dict:
    """The apply command's payload for a parsed upload (reading.ParsedFile),
    as any channel sends it (plain lists: 50,000 rows are built and decoded
    in a fraction of a second; dates as ["date", "1985-02-01"], a Moment)."""
    names = list(parsed.columns)
    return {
        "organisation_id": organisation_id,
        "unit_id": unit_id,
        "mode": mode,
        "file_sha256": parsed.digest,
        "file_kind": parsed.kind,
        "columns": names,
        "rows": [[row.number, [_cell(cell) for cell in map(row.cells.get, names)]] for row in parsed.rows],
    }
