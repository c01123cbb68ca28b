"""Admin payloads that do not fit their struct (issue 8, "Bad input"): a
missing field, a wrong type, an unknown field, a too-long string (or, for
commands of ids only, a too-large id) is refused with a field-level code
before the handler runs; nothing is written but the refusal record. Through
a web form, the refusal is an inline message in the user's language (422)."""

from __future__ import annotations

import re
import uuid

import msgspec
import pytest

from app.domain.core import commands
from app.domain.core.commands import Command, execute
from app.domain.core.payloads import MAX_ID
from app.storage.tables import AuditEvent, CommandRecord, Job, Organisation, RoleGrant, SecretToken, Unit, User
from tests.admin import helpers as h
from tests.support.commands import forbid_handlers

# A payload of every admin command type that fits its struct.
FITTING = {
    "admin.create_organisation": {
        "name": "Acme",
        "slug": "acme",
        "kind": "employer",
        "default_language": "nl",
        "invitation_days": 30,
    },
    "admin.update_organisation": {
        "organisation_id": 1,
        "name": "Acme",
        "slug": "acme",
        "kind": "employer",
        "default_language": "nl",
        "invitation_days": 30,
    },
    "admin.create_unit": {"organisation_id": 1, "name": "Gent", "kind": "site", "parent_id": None},
    "admin.update_unit": {"unit_id": 1, "name": "Gent"},
    "admin.delete_unit": {"unit_id": 1},
    "admin.create_staff_user": {"name": "An", "email": "an@example.be", "language": "nl", "organisation_id": 1},
    "admin.update_staff_user": {"user_id": 1, "name": "An", "email": "an@example.be", "language": "nl"},
    "admin.resend_set_password": {"user_id": 1},
    "admin.grant_role": {"user_id": 1, "role": "hr", "unit_id": None},
    "admin.revoke_role": {"grant_id": 1},
    "admin.move_role": {"grant_id": 1, "unit_id": 2},
    "admin.retry_job": {"job_id": 1},
}

# Per type: (a required field, a field to give the wrong type, a text field
# or None when the payload holds ids only).
FIELDS = {
    "admin.create_organisation": ("slug", "invitation_days", "name"),
    "admin.update_organisation": ("organisation_id", "kind", "slug"),
    "admin.create_unit": ("organisation_id", "parent_id", "name"),
    "admin.update_unit": ("name", "unit_id", "name"),
    "admin.delete_unit": ("unit_id", "unit_id", None),
    "admin.create_staff_user": ("email", "unit_id", "email"),
    "admin.update_staff_user": ("user_id", "email", "name"),
    "admin.resend_set_password": ("user_id", "user_id", None),
    "admin.grant_role": ("role", "user_id", "role"),
    "admin.revoke_role": ("grant_id", "grant_id", None),
    "admin.move_role": ("grant_id", "grant_id", None),
    "admin.retry_job": ("job_id", "job_id", None),
}


def _misfits(type: str) -> list[tuple[str, dict, str, str]]:
    """(what, payload, field, code) for each way the payload can misfit."""
    fitting = FITTING[type]
    required, wrong, text = FIELDS[type]
    cases = [
        ("missing", {k: v for k, v in fitting.items() if k != required}, required, "missing_field"),
        ("wrong type", {**fitting, wrong: ["not", "this"]}, wrong, "wrong_type"),
        ("unknown", {**fitting, "shoe_size": 44}, "shoe_size", "unknown_field"),
    ]
    if text is not None:
        limit = 1000 if text in ("name", "email") else 254
        cases.append(("too long", {**fitting, text: "x" * (limit + 1)}, text, "too_long"))
    else:
        cases.append(("too large", {**fitting, required: MAX_ID + 1}, required, "too_large"))
    return cases


async def _rows() -> dict[str, int]:
    tables = (Organisation, Unit, User, RoleGrant, Job, SecretToken)
    return {table._meta.tablename: await table.count() for table in tables}


def test_every_admin_command_type_is_covered():
    admin_types = {spec.type for spec in commands.specs() if spec.area == "admin"}
    assert admin_types == set(FITTING) == set(FIELDS)
    for type in admin_types:
        spec = commands.spec_of(type)
        assert spec.payload is not None, type
        # The fitting payloads do fit (so each misfit below is the one change).
        msgspec.convert(FITTING[type], spec.payload, strict=False)


@pytest.mark.parametrize("type", sorted(FITTING))
async def test_misfit_payloads_are_refused_before_the_handler_runs(settings, monkeypatch, type):
    await h.org()
    await h.user("platform_admin", email="root@example.be")
    before = await _rows()
    records_before = await CommandRecord.count()

    forbid_handlers(monkeypatch, [type])
    for what, payload, field, code in _misfits(type):
        command_id = uuid.uuid4()
        outcome = await execute(Command(type=type, payload=payload, actor_id=None, channel="cli", id=command_id))
        assert outcome.status == "rejected", (type, what)
        assert outcome.errors == {field: code}, (type, what)
        # The refusal is recorded (codes, no values), and nothing else is written.
        record = await CommandRecord.select().where(CommandRecord.command_id == command_id).first()
        assert (record["type"], record["status"], record["channel"]) == (type, "rejected", "cli")
        stored = msgspec.json.decode(record["outcome"])
        assert [(e["field"], e["code"]) for e in stored["errors"]] == [(field, code)], (type, what)
        assert "x" * 100 not in record["outcome"] and "an@example.be" not in record["outcome"]
        event = await AuditEvent.select().where(AuditEvent.command_id == command_id).first()
        assert (event["type"], event["outcome"], event["channel"]) == (type, "rejected", "cli")
        assert await _rows() == before, (type, what)
    assert await CommandRecord.count() == records_before + len(_misfits(type))


async def test_a_misfit_id_to_a_handler_with_a_fitting_one_is_still_the_handlers_answer(settings):
    """The struct refuses only what cannot be an id; an id that names nothing
    is the handler's `not_found` (the web answers 404)."""
    admin = await h.user("platform_admin")
    outcome = await h.run("admin.update_unit", {"unit_id": 999_999, "name": "X"}, admin)
    assert outcome.errors == {"_": "not_found"}
    outcome = await h.run("admin.update_unit", {"unit_id": "abc", "name": "X"}, admin)
    assert outcome.errors == {"unit_id": "wrong_type"}


async def test_a_web_form_shows_a_misfit_inline_in_the_users_language(client):
    await h.as_role(client, "platform_admin", language="nl")
    values = {"name": "Acme", "kind": "agency", "default_language": "nl", "invitation_days": "7"}
    response = await h.post_form(client, "/admin/organisations", {**values, "slug": "a" * 300})
    assert response.status_code == 422
    # Inline, at the field (its error link in the summary), in Dutch.
    assert re.search(r'<a href="#[\w-]+-slug">Gebruik hoogstens 254 tekens\.</a>', response.text)
    assert re.search(r'<p class="field-error" id="[\w-]+-slug-error">Gebruik hoogstens 254 tekens\.</p>', response.text)
    assert await Organisation.count() == 0
    [record] = await CommandRecord.select().where(CommandRecord.type == "admin.create_organisation")
    assert record["status"] == "rejected"
    assert msgspec.json.decode(record["outcome"])["errors"] == [
        {"code": "too_long", "field": "slug", "params": {"max": 254}}
    ]
    # The same form in English.
    client.cookies.clear()
    await h.as_role(client, "platform_admin", language="en")
    response = await h.post_form(client, "/admin/organisations", {**values, "slug": "a" * 300})
    assert response.status_code == 422 and "Use at most 254 characters." in response.text
