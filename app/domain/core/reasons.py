"""Reason codes: why a command was refused, as stable snake_case codes.

A refusal is `Rejected(code, field=None, **params)`. The code is part of the
command contract (the kiosk replays commands for days and reads the codes
back), so a released code keeps its meaning. Each area declares its codes and
their messages in one place with `declare()`; the web layer translates a code
into the user's language with `message()`. Nothing compares translated text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.i18n import _, lazy, month_name

CODE = re.compile(r"^[a-z][a-z0-9_]*$")

# The field of a refusal that is about the command as a whole.
WHOLE = "_"


@dataclass(frozen=True)
class Reason:
    code: str
    field: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def to_builtins(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "params": dict(self.params)}


class Rejected(Exception):
    """A handler refuses the command: `Rejected("not_found")`,
    `Rejected("too_long", "name", max=200)`, or several fields at once with
    `Rejected.each({"name": "name_missing", "email": "email_invalid"})`.
    `organisation_id` only says in whose audit log the refusal appears."""

    def __init__(self, code: str, field: str | None = None, *, organisation_id: int | None = None, **params: Any):
        if not CODE.match(code):
            raise ValueError(f"reason code {code!r} is not snake_case")
        self.reasons: tuple[Reason, ...] = (Reason(code, field, params),)
        self.organisation_id = organisation_id
        super().__init__(self.codes)

    @classmethod
    def each(cls, codes: Mapping[str, str], *, organisation_id: int | None = None) -> Rejected:
        """One reason per field (field None or "_" for the whole command)."""
        reasons = tuple(Reason(code, None if name in (None, WHOLE) else name) for name, code in codes.items())
        return cls.of(reasons, organisation_id=organisation_id)

    @classmethod
    def of(cls, reasons: tuple[Reason, ...] | list[Reason], *, organisation_id: int | None = None) -> Rejected:
        if not reasons:
            raise ValueError("a refusal needs at least one reason")
        rejected = cls(reasons[0].code, reasons[0].field, organisation_id=organisation_id, **reasons[0].params)
        rejected.reasons = tuple(reasons)
        return rejected

    @property
    def codes(self) -> dict[str, str]:
        return errors_of(self.reasons)


def errors_of(reasons: tuple[Reason, ...] | list[Reason]) -> dict[str, str]:
    """{field or "_": code}, the first reason per field."""
    errors: dict[str, str] = {}
    for reason in reasons:
        errors.setdefault(reason.field or WHOLE, reason.code)
    return errors


# -- the catalogue of codes and messages ---------------------------------

_areas: dict[str, dict[str, str]] = {}

# Codes every command may answer, whatever its area.
COMMON = {
    # An object the actor may not see: the web answers 404 (never 403, which
    # would confirm that it exists in another organisation).
    "not_found": lazy("This item does not exist or you do not have access to it."),
    "not_allowed": lazy("You may not do this."),
    # The command id was already used with other values (a form sent twice
    # after an edit): the person checks the values and sends again.
    "resent": lazy("This form was already sent with other values. Check them and send it again."),
    "unsupported_version": lazy("This device sent a command this server no longer understands. Update it."),
}

# Codes of a payload refused before any handler runs (app.domain.core.payloads).
PAYLOAD = {
    "missing_field": lazy("Fill in this field."),
    "unknown_field": lazy("This form sent a field it should not have. Reload the page and try again."),
    "wrong_type": lazy("This value has the wrong form."),
    "too_long": lazy("Use at most %(max)s characters."),
    "too_short": lazy("Use at least %(min)s characters."),
    "too_small": lazy("Enter a number of at least %(min)s."),
    "too_large": lazy("Enter a number of at most %(max)s."),
    "too_many": lazy("Give at most %(max)s values."),
    "invalid_value": lazy("This value is not valid."),
    "invalid_payload": lazy("The form could not be read. Reload the page and try again."),
}


def declare(area: str, messages: Mapping[str, str]) -> dict[str, str]:
    """Declares an area's reason codes with their message ids (made with
    lazy()); returns them so the area can name its codes from one place."""
    for code in messages:
        if not CODE.match(code):
            raise ValueError(f"reason code {code!r} of {area} is not snake_case")
        if code in COMMON or code in PAYLOAD:
            raise ValueError(f"reason code {code!r} of {area} is a common code")
    known = _areas.setdefault(area, {})
    for code, text in messages.items():
        if known.get(code, text) != text:
            raise ValueError(f"reason code {code!r} of {area} declared twice with different messages")
        known[code] = text
    return dict(messages)


def area_codes(area: str) -> dict[str, str]:
    return dict(_areas.get(area, {}))


def is_known(code: str, area: str) -> bool:
    return code in COMMON or code in PAYLOAD or code in _areas.get(area, {})


def message_id(code: str, area: str) -> str | None:
    return _areas.get(area, {}).get(code) or COMMON.get(code) or PAYLOAD.get(code)


def message(reason: Reason | str, area: str) -> str:
    """The reason in the current request's language, with its parameters."""
    if isinstance(reason, str):
        reason = Reason(reason)
    text = message_id(reason.code, area)
    if text is None:
        raise KeyError(f"reason code {reason.code!r} is not declared for {area}")
    params = dict(reason.params)
    if isinstance(params.get("month"), int) and 1 <= params["month"] <= 12:
        # Codes carry numbers (they are replayed and audited); the reader sees the month's name.
        params["month_name"] = month_name(params["month"])
    return _(text, **params)


def area_of(command_type: str) -> str:
    return command_type.split(".", 1)[0]
