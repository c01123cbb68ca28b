"""Every state change is a command, applied once and audited.

A command carries a client-chosen UUID, the actor, the channel it came from,
the time it was issued and a payload. `execute()` runs the handler registered
for its type in one transaction, stores a CommandRecord (payload hash and
outcome, never personal values) and appends an AuditEvent. Sending the same
id again returns the first outcome without touching anything; the same id
with a different payload is refused as a conflict. A handler refuses a
command by raising Rejected; that outcome is final for that id too (the kiosk
relies on it), so forms mint a fresh id each time they are rendered.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec

from app.storage import db
from app.storage.tables import AuditEvent, CommandRecord

CHANNELS = ("web", "kiosk", "api", "cli", "job")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Command:
    type: str
    payload: dict[str, Any]
    actor_id: int | None
    channel: str = "web"
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    issued_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Outcome:
    status: str  # applied | rejected
    command_id: uuid.UUID
    ids: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    replayed: bool = False

    @property
    def applied(self) -> bool:
        return self.status == "applied"


@dataclass
class Effect:
    """What a handler reports back: the ids it touched and the audit target.

    Only ids and codes go here; they end up in the command log."""

    target_type: str = ""
    target_id: Any = ""
    organisation_id: int | None = None
    ids: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


class Rejected(Exception):
    """A handler refuses the command. `errors` maps a field (or "_") to a
    message id the web layer translates."""

    def __init__(self, errors: dict[str, str] | str, organisation_id: int | None = None):
        self.errors = {"_": errors} if isinstance(errors, str) else dict(errors)
        self.organisation_id = organisation_id
        super().__init__(self.errors)


class Conflict(Exception):
    """The command id was already used for a different payload."""


Handler = Callable[[Command], Awaitable[Effect]]
_handlers: dict[str, Handler] = {}


def handler(command_type: str):
    def register(fn: Handler) -> Handler:
        if command_type in _handlers:
            raise RuntimeError(f"two handlers for {command_type}")
        _handlers[command_type] = fn
        return fn

    return register


def registered_types() -> list[str]:
    return sorted(_handlers)


def payload_hash(command: Command) -> str:
    body = msgspec.json.encode({"type": command.type, "payload": command.payload}, order="sorted")
    return hashlib.sha256(body).hexdigest()


def _decode_outcome(record: dict, replayed: bool) -> Outcome:
    data = msgspec.json.decode(record["outcome"])
    return Outcome(
        status=record["status"],
        command_id=record["command_id"],
        ids=data.get("ids", {}),
        errors=data.get("errors", {}),
        replayed=replayed,
    )


async def _previous(command: Command, digest: str) -> Outcome | None:
    record = await CommandRecord.select().where(CommandRecord.command_id == command.id).first()
    if record is None:
        return None
    if record["payload_hash"] != digest or record["type"] != command.type:
        raise Conflict(str(command.id))
    return _decode_outcome(record, replayed=True)


async def _record(command: Command, digest: str, status: str, effect: Effect, errors: dict[str, str]) -> None:
    now = utcnow()
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


async def execute(command: Command) -> Outcome:
    if command.channel not in CHANNELS:
        raise ValueError(f"unknown channel {command.channel}")
    fn = _handlers.get(command.type)
    if fn is None:
        raise LookupError(f"no handler for {command.type}")
    digest = payload_hash(command)
    for attempt in (1, 2):
        try:
            return await _apply(command, fn, digest)
        except Rejected as rejection:
            return await _reject(command, digest, rejection)
        except Conflict:
            raise
        except Exception as error:
            # Two deliveries of one id racing on PostgreSQL: the loser's insert
            # of the command record fails; it answers with the winner's outcome.
            previous = await _previous(command, digest)
            if previous is not None:
                return previous
            # Two different commands racing for one unique value (a slug, an
            # e-mail): run the handler again, now it sees the winner's row and
            # refuses with its usual message.
            if attempt == 1 and _is_unique_violation(error):
                continue
            raise
    raise AssertionError("unreachable")


def _is_unique_violation(error: Exception) -> bool:
    import sqlite3

    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error)
    return type(error).__name__ == "UniqueViolationError"


async def _apply(command: Command, fn: Handler, digest: str) -> Outcome:
    async with db.transaction():
        previous = await _previous(command, digest)
        if previous is not None:
            return previous
        effect = await fn(command)
        await _record(command, digest, "applied", effect, {})
    return Outcome("applied", command.id, ids=effect.ids)


async def _reject(command: Command, digest: str, rejection: Rejected) -> Outcome:
    # The handler's writes were rolled back; keep the refusal as the final
    # answer for this id, in a transaction of its own.
    async with db.transaction():
        previous = await _previous(command, digest)
        if previous is not None:
            return previous
        effect = Effect(organisation_id=rejection.organisation_id)
        await _record(command, digest, "rejected", effect, rejection.errors)
    return Outcome("rejected", command.id, errors=rejection.errors)


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
