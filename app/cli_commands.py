"""`werkpas commands [--json]` and `werkpas command TYPE --as EMAIL --payload JSON [--id UUID]`.

`command` runs one command through execute() on channel `cli` as the user
with that e-mail address (their permissions apply: the handler sees them as
the actor) and prints the outcome as JSON: status, ids and the reason codes.

Exit status: 0 applied; 1 rejected; 2 the payload does not fit the command
type (a refusal with payload codes only, recorded like any refusal), or the
JSON cannot be read, or there is no such command type, or no active user with
that e-mail address (these three run nothing and record nothing).
"""

from __future__ import annotations

import json
import sys
import uuid

import msgspec

from app.domain.core.catalogue import catalogue, table
from app.domain.core.commands import Command, Conflict, Outcome, execute, spec_of
from app.domain.core.reasons import PAYLOAD, Reason
from app.domain.registry import load_handlers
from app.storage.tables import User

APPLIED, REJECTED, INVALID = 0, 1, 2


def list_commands(as_json: bool, out=sys.stdout) -> int:
    load_handlers()
    data = catalogue()
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    else:
        out.write(table(data))
    return 0


def exit_status(outcome: Outcome) -> int:
    if outcome.applied:
        return APPLIED
    if outcome.reasons and all(reason.code in PAYLOAD for reason in outcome.reasons):
        return INVALID
    return REJECTED


async def _active_user_id(email: str) -> int | None:
    address = email.strip().lower()
    if not address:
        return None
    row = await User.select(User.id, User.is_active).where(User.email == address).first()
    return row["id"] if row is not None and row["is_active"] else None


async def run_command(
    command_type: str,
    email: str,
    payload_json: str,
    command_id: uuid.UUID | None = None,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    """Runs one command as the user with this e-mail address; needs a
    connected database."""
    load_handlers()
    if spec_of(command_type) is None:
        print(f"werkpas: no command type {command_type!r} (see `werkpas commands`)", file=err)
        return INVALID
    try:
        payload = msgspec.json.decode(payload_json.encode())
    except msgspec.DecodeError as error:
        print(f"werkpas: the payload is not JSON: {error}", file=err)
        return INVALID
    actor_id = await _active_user_id(email)
    if actor_id is None:
        print(f"werkpas: no active user with the e-mail address {email!r}", file=err)
        return INVALID
    command = Command(
        type=command_type, payload=payload, actor_id=actor_id, channel="cli", id=command_id or uuid.uuid4()
    )
    try:
        outcome = await execute(command)
    except Conflict:
        # The id was used before with another payload: refused, nothing run.
        outcome = Outcome("rejected", command.id, reasons=(Reason("resent"),), type=command_type)
    print(json.dumps(outcome.to_builtins(), indent=2, ensure_ascii=False, default=str), file=out)
    return exit_status(outcome)
