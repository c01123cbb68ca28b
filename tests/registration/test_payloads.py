"""Payloads of registration that do not fit their struct are refused with
field-level codes before any handler runs: a missing field, a wrong type,
an unknown field and a too-long string, on the cli channel. Nothing is
written but the refusal record (the invitation keeps its state and its
count of birth date tries).

The registration pages build every payload themselves from checked values
(ids they looked up, argon2 hashes, the keyed birth date proof), so no form
field reaches a payload as typed; the web path of a refused payload is shown
with the forgot-password form (tests/accounts/test_payloads.py)."""

from __future__ import annotations

import uuid

import pytest

from app.domain.core import commands as core_commands
from app.domain.core.commands import Command, execute, spec_of
from app.domain.registration import rules
from app.domain.registry import load_handlers
from app.storage.people import ConsentReceipt, Invitation, Person
from app.storage.tables import AuditEvent, CommandRecord, SecretToken, User
from tests.support.commands import forbid_handlers
from tests.support.factories import make_org
from tests.support.registration import invite

load_handlers()

HASH = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
PROOF = "0" * 64

FITTING = {
    "registration.open": {"invitation_id": 1},
    "registration.verify_identity": {"invitation_id": 1, "proof": PROOF},
    "registration.complete": {
        "invitation_id": 1,
        "proof": PROOF,
        "language": "nl",
        "privacy_version": rules.PRIVACY_VERSION,
        "accepted_at": "2026-11-30T10:00:00+00:00",
        "password_hash": HASH,
        "pin_hash": None,
    },
    "registration.issue_pin_reset": {"person_id": 1},
    "registration.reset_pin": {"token_id": 1, "pin_hash": HASH},
}
# Fields a payload may leave out.
OPTIONAL = {"accepted_at", "password_hash", "pin_hash"}

WRONG_TYPES = [
    ("registration.open", "invitation_id", "first"),
    ("registration.verify_identity", "proof", 19900325),
    ("registration.complete", "invitation_id", [1]),
    ("registration.complete", "password_hash", 1),
    ("registration.issue_pin_reset", "person_id", {"id": 1}),
    ("registration.reset_pin", "token_id", 1.5),
]

TEXT_FIELDS = [
    ("registration.verify_identity", "proof"),
    ("registration.complete", "proof"),
    ("registration.complete", "privacy_version"),
    ("registration.complete", "accepted_at"),
    ("registration.complete", "pin_hash"),
    ("registration.reset_pin", "pin_hash"),
]


def test_every_command_type_of_the_area_is_covered():
    types = {spec.type for spec in core_commands.specs() if spec.area == "registration"}
    assert types == set(FITTING)
    assert all(spec_of(name).payload is not None for name in types)


@pytest.fixture
def no_handler(monkeypatch):
    forbid_handlers(monkeypatch, FITTING)


@pytest.fixture
async def invitation_id(settings) -> int:
    return (await invite(await make_org())).id


async def _state() -> tuple:
    return (
        await Invitation.select().order_by(Invitation.id),
        await Person.select().order_by(Person.id),
        await User.count(),
        await SecretToken.count(),
        await ConsentReceipt.count(),
    )


async def _refused(command_type: str, payload: dict, invitation_id: int):
    payload = {key: invitation_id if key == "invitation_id" and value == 1 else value for key, value in payload.items()}
    before = await _state()
    outcome = await execute(Command(type=command_type, payload=payload, actor_id=None, channel="cli", id=uuid.uuid4()))
    assert outcome.status == "rejected"
    assert await _state() == before
    [record] = await CommandRecord.select().where(CommandRecord.command_id == outcome.command_id)
    assert (record["type"], record["status"], record["channel"]) == (command_type, "rejected", "cli")
    [event] = await AuditEvent.select().where(AuditEvent.command_id == outcome.command_id)
    assert event["outcome"] == "rejected"
    return outcome


@pytest.mark.parametrize("command_type", sorted(FITTING))
async def test_a_missing_field_is_refused(command_type, invitation_id, no_handler):
    for field in set(FITTING[command_type]) - OPTIONAL:
        payload = {key: value for key, value in FITTING[command_type].items() if key != field}
        outcome = await _refused(command_type, payload, invitation_id)
        assert outcome.errors == {field: "missing_field"}


@pytest.mark.parametrize(("command_type", "field", "value"), WRONG_TYPES)
async def test_a_wrong_type_is_refused(command_type, field, value, invitation_id, no_handler):
    outcome = await _refused(command_type, {**FITTING[command_type], field: value}, invitation_id)
    assert outcome.errors == {field: "wrong_type"}


@pytest.mark.parametrize("command_type", sorted(FITTING))
async def test_an_unknown_field_is_refused(command_type, invitation_id, no_handler):
    outcome = await _refused(command_type, {**FITTING[command_type], "birth_date": "1990-03-25"}, invitation_id)
    assert outcome.errors == {"birth_date": "unknown_field"}


@pytest.mark.parametrize(("command_type", "field"), TEXT_FIELDS)
async def test_a_too_long_string_is_refused(command_type, field, invitation_id, no_handler):
    outcome = await _refused(command_type, {**FITTING[command_type], field: "7" * 5000}, invitation_id)
    [reason] = outcome.reasons
    assert (reason.field, reason.code) == (field, "too_long")


async def test_a_language_outside_the_three_is_refused(invitation_id, no_handler):
    payload = {**FITTING["registration.complete"], "language": "de"}
    outcome = await _refused("registration.complete", payload, invitation_id)
    assert outcome.errors == {"language": "invalid_value"}


async def test_a_missing_proof_counts_no_birth_date_try(invitation_id):
    """Refused before the handler: the try is not counted on the invitation."""
    payload = {"invitation_id": invitation_id}
    outcome = await _refused("registration.verify_identity", payload, invitation_id)
    assert outcome.errors == {"proof": "missing_field"}
    row = await Invitation.select(Invitation.failed_attempts).where(Invitation.id == invitation_id).first()
    assert row["failed_attempts"] == 0
