"""Payloads of the accounts area that do not fit their struct are refused
with field-level codes before any handler runs: a missing field, a wrong
type, an unknown field and a too-long string, on the cli channel and through
a web form (inline message in the user's language, 422). Nothing is written
but the refusal record."""

from __future__ import annotations

import uuid

import pytest

from app.domain.core import commands as core_commands
from app.domain.core.commands import Command, execute, spec_of
from app.domain.registry import load_handlers
from app.storage.tables import AuditEvent, CommandRecord, Job, SecretToken, User
from tests.conftest import csrf
from tests.support.commands import forbid_handlers
from tests.support.factories import make_org, make_user

load_handlers()

HASH = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"

# Command type -> a payload that fits its struct.
FITTING = {
    "accounts.record_login": {"user_id": 1},
    "accounts.set_password": {"token_id": 1, "password_hash": HASH},
    "accounts.reset_password": {"token_id": 1, "password_hash": HASH},
    "accounts.request_password_reset": {"email": "an@example.be"},
    "accounts.deactivate_user": {"user_id": 1},
    "accounts.reactivate_user": {"user_id": 1},
    "accounts.change_password": {"password_hash": HASH, "checked_hash": HASH},
    "accounts.end_sessions": {"user_id": 1},
    "accounts.confirm_email": {"token_id": 1},
    "accounts.finish_introduction": {"user_id": 1},
}

# (command type, field, a value of the wrong type).
WRONG_TYPES = [
    ("accounts.record_login", "user_id", "me"),
    ("accounts.set_password", "token_id", [1]),
    ("accounts.reset_password", "password_hash", 42),
    ("accounts.request_password_reset", "email", {"address": "an@example.be"}),
    ("accounts.deactivate_user", "user_id", 1.5),
    ("accounts.reactivate_user", "user_id", True),
    ("accounts.change_password", "checked_hash", None),
    ("accounts.end_sessions", "user_id", "1; drop table app_user"),
    ("accounts.confirm_email", "token_id", "abc"),
    ("accounts.finish_introduction", "user_id", "me"),
]

# (command type, text field): each refuses a string longer than its limit.
TEXT_FIELDS = [
    ("accounts.set_password", "password_hash"),
    ("accounts.reset_password", "password_hash"),
    ("accounts.request_password_reset", "email"),
    ("accounts.change_password", "password_hash"),
    ("accounts.change_password", "checked_hash"),
]


def test_every_command_type_of_the_area_is_covered():
    types = {spec.type for spec in core_commands.specs() if spec.area == "accounts"}
    assert types == set(FITTING)
    assert all(spec_of(name).payload is not None for name in types)


@pytest.fixture
def no_handler(monkeypatch):
    """Replaces every accounts handler by one that fails the test."""
    forbid_handlers(monkeypatch, FITTING)


async def _refused(command_type: str, payload: dict, actor_id: int | None = None):
    users = await User.select().order_by(User.id)
    outcome = await execute(
        Command(type=command_type, payload=payload, actor_id=actor_id, channel="cli", id=uuid.uuid4())
    )
    assert outcome.status == "rejected"
    # Only the refusal is written.
    assert await User.select().order_by(User.id) == users
    assert await SecretToken.count() == 0 and await Job.count() == 0
    [record] = await CommandRecord.select().where(CommandRecord.command_id == outcome.command_id)
    assert (record["type"], record["status"], record["channel"]) == (command_type, "rejected", "cli")
    [event] = await AuditEvent.select().where(AuditEvent.command_id == outcome.command_id)
    assert event["outcome"] == "rejected"
    return outcome


@pytest.mark.parametrize("command_type", sorted(FITTING))
async def test_a_missing_field_is_refused(command_type, no_handler):
    for field in FITTING[command_type]:
        payload = {key: value for key, value in FITTING[command_type].items() if key != field}
        outcome = await _refused(command_type, payload)
        assert outcome.errors == {field: "missing_field"}


@pytest.mark.parametrize(("command_type", "field", "value"), WRONG_TYPES)
async def test_a_wrong_type_is_refused(command_type, field, value, no_handler):
    outcome = await _refused(command_type, {**FITTING[command_type], field: value})
    assert outcome.errors == {field: "wrong_type"}


@pytest.mark.parametrize("command_type", sorted(FITTING))
async def test_an_unknown_field_is_refused(command_type, no_handler):
    outcome = await _refused(command_type, {**FITTING[command_type], "is_platform_admin": True})
    assert outcome.errors == {"is_platform_admin": "unknown_field"}


@pytest.mark.parametrize(("command_type", "field"), TEXT_FIELDS)
async def test_a_too_long_string_is_refused(command_type, field, no_handler):
    outcome = await _refused(command_type, {**FITTING[command_type], field: "x" * 5000})
    [reason] = outcome.reasons
    assert (reason.field, reason.code) == (field, "too_long") and reason.params["max"] <= 1024


async def test_ids_out_of_range_and_text_with_nul_are_refused(no_handler):
    assert (await _refused("accounts.deactivate_user", {"user_id": 0})).errors == {"user_id": "too_small"}
    assert (await _refused("accounts.deactivate_user", {"user_id": 2**31})).errors == {"user_id": "too_large"}
    outcome = await _refused("accounts.request_password_reset", {"email": "an@example.be\x00"})
    assert outcome.errors == {"email": "invalid_value"}


async def test_an_id_sent_as_text_still_fits():
    """A form sends "12" for 12: the same payload on every channel."""
    admin = await make_user("root@example.be", role="platform_admin")
    user_id = await make_user("an@example.be", role="hr", org=await make_org())
    outcome = await execute(
        Command(type="accounts.deactivate_user", payload={"user_id": str(user_id)}, actor_id=admin, channel="cli")
    )
    assert outcome.applied and outcome.ids == {"user_id": user_id}


async def test_the_forgot_form_shows_the_payload_refusal_inline_in_the_users_language(client):
    """An address longer than the payload allows is refused by the struct,
    before the handler; the page says so next to the field, in Dutch."""
    await make_user("an@example.be", role="hr", org=await make_org())
    await client.get("/password/forgot")
    typed = "a" * 300 + "@example.be"
    response = await client.post(
        "/password/forgot",
        data={"email": typed, "_csrf_token": csrf(client)},
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 422
    assert "Gebruik hoogstens 254 tekens." in response.text
    assert "If an account exists" not in response.text
    [record] = await CommandRecord.select().where(CommandRecord.type == "accounts.request_password_reset")
    assert record["status"] == "rejected" and "too_long" in record["outcome"] and typed not in record["outcome"]
    assert await SecretToken.count() == 0 and await Job.count() == 0
