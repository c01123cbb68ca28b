"""Command payloads: frozen msgspec structs, decoded and validated once at
the edge for every channel (web, cli, job, kiosk, api).

A payload arrives as a mapping (a form, a JSON body, a kiosk queue entry) and
is converted to the command's struct before any handler runs. Strings from a
form may stand for numbers ("12" for an id); the conversion accepts that on
every channel, so one payload has one meaning wherever it comes from. A
payload that does not fit is refused with field-level reason codes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

import msgspec

from app.domain.core.reasons import Reason

# Ids are 32-bit serials: a bigger number cannot name a row (and would make
# PostgreSQL refuse the query instead of finding nothing).
MAX_ID = 2**31 - 1


class Payload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The base of every command payload."""


# Text never holds NUL (PostgreSQL refuses it in text columns), on any channel.
NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID, description="A positive 32-bit id")]
Text = Annotated[str, msgspec.Meta(max_length=1000, pattern=NO_NUL)]
ShortText = Annotated[str, msgspec.Meta(max_length=254, pattern=NO_NUL)]
Secret = Annotated[str, msgspec.Meta(max_length=1024, pattern=NO_NUL)]
Digest = Annotated[str, msgspec.Meta(max_length=256, pattern=NO_NUL, description="An argon2 or SHA-256 digest")]
IsoDate = Annotated[str, msgspec.Meta(max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


P = TypeVar("P", bound=Payload)


class Invalid(Exception):
    """The payload does not fit its struct."""

    def __init__(self, reasons: tuple[Reason, ...]):
        self.reasons = reasons
        super().__init__(", ".join(f"{r.field or '_'}: {r.code}" for r in reasons))


def decode(payload: Mapping[str, Any] | Payload, struct: type[P]) -> P:
    """The payload as `struct`, or Invalid with field-level reasons."""
    if isinstance(payload, struct):
        payload = msgspec.to_builtins(payload)
    if not isinstance(payload, Mapping):
        raise Invalid((Reason("invalid_payload"),))
    try:
        return msgspec.convert(dict(payload), struct, strict=False)
    except msgspec.ValidationError as error:
        raise Invalid((reason_of(str(error)),)) from None


def canonical(payload: Payload) -> Any:
    return msgspec.to_builtins(payload)


# msgspec describes the first problem it meets in one sentence; these are its
# shapes (msgspec 0.22), turned into a field and a code.
_AT = re.compile(r" - at `\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)`$")
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Object missing required field `(?P<name>[^`]+)`"), "missing_field"),
    (re.compile(r"^Object contains unknown field `(?P<name>[^`]+)`"), "unknown_field"),
    (re.compile(r"^Expected `str` of length <= (?P<max>\d+)"), "too_long"),
    (re.compile(r"^Expected `str` of length >= (?P<min>\d+)"), "too_short"),
    (re.compile(r"^Expected `(?:array|object|set)` of length <= (?P<max>\d+)"), "too_many"),
    (re.compile(r"^Expected `(?:int|float)` >= (?P<min>-?\d+)"), "too_small"),
    (re.compile(r"^Expected `(?:int|float)` <= (?P<max>-?\d+)"), "too_large"),
    (re.compile(r"^Expected `str` matching regex"), "invalid_value"),
    (re.compile(r"^Invalid enum value"), "invalid_value"),
    (re.compile(r"^Expected `"), "wrong_type"),
)


def reason_of(text: str) -> Reason:
    at = _AT.search(text)
    path = at.group(1) if at else ""
    head = text[: at.start()] if at else text
    for shape, code in _SHAPES:
        match = shape.match(head)
        if match is None:
            continue
        groups = match.groupdict()
        name = groups.pop("name", None)
        field = _field(path, name)
        return Reason(code, field, {key: int(value) for key, value in groups.items()})
    return Reason("invalid_value", _field(path, None))


def _field(path: str, name: str | None) -> str | None:
    """The top-level field a problem is about ("$.rows[3].name" -> "rows")."""
    top = path.lstrip(".").split(".", 1)[0].split("[", 1)[0] if path else ""
    return top or name or None
