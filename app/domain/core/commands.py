"""Every state change is a command, applied once and audited.

A command carries a client-chosen UUID, the actor, the channel it came from,
the time it was issued and a payload. Every command type is registered with
a frozen msgspec struct for its payload, a version, the reason codes it may
answer and its handler. `execute()` decodes the payload into that struct
before anything else (a payload that does not fit is refused with
field-level codes, and only the refusal is recorded), runs the handler in one
transaction, stores a CommandRecord (payload hash and outcome: ids and reason
codes, never personal values) and appends an AuditEvent. Sending the same id
again returns the first outcome without touching anything; the same id with a
different payload is refused as a conflict. A handler refuses a command by
raising Rejected; that outcome is final for that id too (the kiosk relies on
it), so forms mint a fresh id each time they are rendered.
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import msgspec

from app.domain.core.payloads import Invalid, Payload, canonical, decode
from app.domain.core.reasons import COMMON, PAYLOAD, Reason, Rejected, area_codes, area_of, errors_of
from app.storage import db
from app.storage.tables import AuditEvent, CommandRecord

__all__ = [
    "CHANNELS",
    "Command",
    "CommandSpec",
    "Conflict",
    "Effect",
    "Outcome",
    "Rejected",
    "audit",
    "execute",
    "handler",
    "spec_of",
    "specs",
    "utcnow",
]

CHANNELS = ("web", "kiosk", "api", "cli", "job")

# Type names are "area.verb_object" and never change once released.
TYPE_NAME = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"

P = TypeVar("P")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Command(Generic[P]):
    """`payload` is what the channel sent (a mapping, or the struct itself);
    inside a handler it is always the decoded struct."""

    type: str
    payload: P
    actor_id: int | None
    channel: str = "web"
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    issued_at: datetime = field(default_factory=utcnow)
    # The payload version the sender knows; None means the current one.
    version: int | None = None


@dataclass(frozen=True)
class Outcome:
    status: str  # applied | rejected
    command_id: uuid.UUID
    ids: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    replayed: bool = False
    type: str = ""

    @property
    def applied(self) -> bool:
        return self.status == "applied"

    @property
    def errors(self) -> dict[str, str]:
        """{field or "_": reason code}."""
        return errors_of(self.reasons)

    def code(self, field: str = "_") -> str | None:
        return self.errors.get(field)

    def to_builtins(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "command_id": str(self.command_id),
            "type": self.type,
            "ids": self.ids,
            "errors": [reason.to_builtins() for reason in self.reasons],
            "replayed": self.replayed,
        }


@dataclass
class Effect:
    """What a handler reports back: the ids it touched and the audit target.

    Only ids and codes go here; they end up in the command log."""

    target_type: str = ""
    target_id: Any = ""
    organisation_id: int | None = None
    ids: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


class Conflict(Exception):
    """The command id was already used for a different payload."""


Handler = Callable[[Command[Any]], Awaitable[Effect]]


@dataclass(frozen=True)
class CommandSpec:
    type: str
    payload: builtins.type[Payload]  # builtins: the field `type` shadows the name here
    version: int
    codes: tuple[str, ...]
    handler: Handler
    summary: str = ""

    @property
    def area(self) -> str:
        return area_of(self.type)

    def allows(self, code: str) -> bool:
        return code in self.codes or code in COMMON or code in PAYLOAD

    def schema(self) -> dict[str, Any]:
        return msgspec.json.schema(self.payload)


_specs: dict[str, CommandSpec] = {}


def handler(
    command_type: str, payload: type[Payload], *, version: int = 1, codes: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Registers the handler of `command_type`, with its payload struct, its
    version and the reason codes (declared by its area) it may answer."""
    import re

    if not re.match(TYPE_NAME, command_type):
        raise ValueError(f"command type {command_type!r} is not area.verb_object")
    if not (isinstance(payload, type) and issubclass(payload, Payload)):
        raise TypeError(f"{command_type}: the payload must be a core Payload struct")
    declared = area_codes(area_of(command_type))
    for code in codes:
        if code not in declared and code not in COMMON and code not in PAYLOAD:
            raise ValueError(f"{command_type}: reason code {code!r} is not declared by its area")

    def register(fn: Handler) -> Handler:
        if command_type in _specs:
            raise RuntimeError(f"two handlers for {command_type}")
        summary = (fn.__doc__ or "").strip().split("\n\n", 1)[0].replace("\n", " ")
        _specs[command_type] = CommandSpec(command_type, payload, version, tuple(codes), fn, summary)
        return fn

    return register


def specs() -> list[CommandSpec]:
    return [_specs[name] for name in sorted(_specs)]


def spec_of(command_type: str) -> CommandSpec | None:
    return _specs.get(command_type)


def registered_types() -> list[str]:
    return sorted(_specs)


def _digest(command_type: str, payload: Any) -> str:
    body = msgspec.json.encode({"type": command_type, "payload": payload}, order="sorted")
    return hashlib.sha256(body).hexdigest()


def _raw(payload: Any) -> Any:
    """A payload that could not be decoded, as far as it can be hashed."""
    try:
        return msgspec.to_builtins(payload, str_keys=True)
    except (TypeError, ValueError):
        return repr(payload)


def payload_hash(command: Command[Any]) -> str:
    spec = _specs.get(command.type)
    if spec is not None:
        try:
            return _digest(command.type, canonical(decode(command.payload, spec.payload)))
        except Invalid:
            pass
    return _digest(command.type, _raw(command.payload))


def _reasons_of(stored: Any) -> tuple[Reason, ...]:
    if isinstance(stored, dict):  # records written before reason codes: {field: message}
        return tuple(Reason(str(code), None if name == "_" else name) for name, code in stored.items())
    return tuple(Reason(item["code"], item.get("field"), item.get("params") or {}) for item in stored or ())


def _decode_outcome(record: dict, replayed: bool) -> Outcome:
    data = msgspec.json.decode(record["outcome"])
    return Outcome(
        status=record["status"],
        command_id=record["command_id"],
        ids=data.get("ids", {}),
        reasons=_reasons_of(data.get("errors")),
        replayed=replayed,
        type=record["type"],
    )


async def _previous(command: Command[Any], digest: str) -> Outcome | None:
    record = await CommandRecord.select().where(CommandRecord.command_id == command.id).first()
    if record is None:
        return None
    if record["payload_hash"] != digest or record["type"] != command.type:
        raise Conflict(str(command.id))
    return _decode_outcome(record, replayed=True)


async def _record(command: Command[Any], digest: str, status: str, effect: Effect, reasons: tuple[Reason, ...]) -> None:
    now = utcnow()
    errors = [reason.to_builtins() for reason in reasons]
    await CommandRecord.insert(
        CommandRecord(
            command_id=command.id,
            type=command.type,
            actor_id=command.actor_id,
            channel=command.channel,
            payload_hash=digest,
            status=status,
            outcome=msgspec.json.encode({"ids": effect.ids, "errors": errors}).decode(),
            created_at=now,
        )
    )
    await AuditEvent.insert(
        AuditEvent(
            at=now,
            command_id=command.id,
            actor_id=command.actor_id,
            organisation_id=effect.organisation_id,
            type=command.type,
            target_type=effect.target_type,
            target_id=str(effect.target_id or ""),
            outcome=status,
            channel=command.channel,
            detail=effect.detail[:200],
        )
    )


class UnknownCommand(LookupError):
    """No command type of that name is registered."""


async def execute(command: Command[Any]) -> Outcome:
    """Applies `command` once: decode, run, record. A payload that does not
    fit its struct is refused (and recorded) before the handler runs."""
    if command.channel not in CHANNELS:
        raise ValueError(f"unknown channel {command.channel}")
    spec = _specs.get(command.type)
    if spec is None:
        raise UnknownCommand(f"no handler for {command.type}")
    try:
        typed = dataclasses.replace(command, payload=_decode(spec, command))
    except Invalid as invalid:
        return await _reject(command, payload_hash(command), Rejected.of(invalid.reasons))
    digest = payload_hash(typed)
    for attempt in (1, 2):
        try:
            return await _apply(typed, spec, digest)
        except Rejected as rejection:
            _check_codes(spec, rejection)
            return await _reject(typed, digest, rejection)
        except Conflict:
            raise
        except Exception as error:
            # Two deliveries of one id racing on PostgreSQL: the loser's insert
            # of the command record fails; it answers with the winner's outcome.
            previous = await _previous(typed, digest)
            if previous is not None:
                return previous
            # Two different commands racing for one unique value (a slug, an
            # e-mail): run the handler again, now it sees the winner's row and
            # refuses with its usual code.
            if attempt == 1 and _is_unique_violation(error):
                continue
            raise
    raise AssertionError("unreachable")


def _decode(spec: CommandSpec, command: Command[Any]) -> Payload:
    if command.version is not None and command.version > spec.version:
        raise Invalid((Reason("unsupported_version", None, {"version": spec.version}),))
    return decode(command.payload, spec.payload)


def _check_codes(spec: CommandSpec, rejection: Rejected) -> None:
    """A handler answers only the codes it declared: the catalogue promises
    them to the kiosk and to support staff."""
    for reason in rejection.reasons:
        if not spec.allows(reason.code):
            raise RuntimeError(f"{spec.type} refused with undeclared reason code {reason.code!r}")


def _is_unique_violation(error: Exception) -> bool:
    import sqlite3

    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error)
    return type(error).__name__ == "UniqueViolationError"


async def _apply(command: Command[Any], spec: CommandSpec, digest: str) -> Outcome:
    async with db.transaction():
        previous = await _previous(command, digest)
        if previous is not None:
            return previous
        effect = await spec.handler(command)
        await _record(command, digest, "applied", effect, ())
    return Outcome("applied", command.id, ids=effect.ids, type=command.type)


async def _reject(command: Command[Any], digest: str, rejection: Rejected) -> Outcome:
    # The handler's writes were rolled back; keep the refusal as the final
    # answer for this id, in a transaction of its own.
    async with db.transaction():
        previous = await _previous(command, digest)
        if previous is not None:
            return previous
        effect = Effect(organisation_id=rejection.organisation_id)
        await _record(command, digest, "rejected", effect, rejection.reasons)
    return Outcome("rejected", command.id, reasons=rejection.reasons, type=command.type)


def run_as(
    command_type: str,
    payload: Mapping[str, Any] | Payload,
    *,
    actor_id: int | None,
    channel: str,
    command_id: uuid.UUID | None = None,
) -> Command[Any]:
    """A command envelope (a convenience for jobs and the CLI)."""
    return Command(
        type=command_type, payload=payload, actor_id=actor_id, channel=channel, id=command_id or uuid.uuid4()
    )


async def audit(
    type: str,
    *,
    actor_id: int | None,
    channel: str,
    outcome: str = "applied",
    target_type: str = "",
    target_id: Any = "",
    organisation_id: int | None = None,
    detail: str = "",
) -> None:
    """An audit event that is not the result of a command (a login, a failed
    login, a read of the audit log itself)."""
    await AuditEvent.insert(
        AuditEvent(
            at=utcnow(),
            actor_id=actor_id,
            organisation_id=organisation_id,
            type=type,
            target_type=target_type,
            target_id=str(target_id or ""),
            outcome=outcome,
            channel=channel,
            detail=detail[:200],
        )
    )
