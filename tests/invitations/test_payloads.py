"""The invitations area's command payloads: a missing field, a wrong type, an
unknown field and a too-long string (and for the import, a row list longer
than a list may be) are refused with field-level codes before the handler
runs; nothing is written but the refusal record. One web form shows the
refusal inline, in the user's language, with 422."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from app.domain.core.commands import Command, execute
from app.domain.invitations.imports.limits import MAX_ROWS
from app.domain.invitations.imports.reading import read
from app.domain.invitations.payloads import import_payload
from app.domain.registry import load_handlers
from app.storage.people import Badge, ImportRow, ImportRun, Invitation, Membership, Person
from app.storage.tables import AuditEvent, CommandRecord, Job
from tests.invitations.test_single_support import PERSON, post_form, signed_in, staff
from tests.support.commands import forbid_handlers
from tests.support.factories import login, make_org, make_user

load_handlers()

CREATE = {**PERSON, "organisation_id": 1, "unit_id": None}
ONE = {"invitation_id": 1}
BADGE = {"person_id": 1, "organisation_id": 1}
LIST = b"naam;voornaam;postcode;geboortedatum;e-mail\nPeeters;Jan;9000;01/02/1985;jan@example.be\n"

# type -> (a valid payload, its required field, its text field (or None), a field the wrong type gets)
CASES = {
    "invitations.create": (CREATE, "last_name", "last_name", "organisation_id"),
    "invitations.resend": (ONE, "invitation_id", None, "invitation_id"),
    "invitations.extend": (ONE, "invitation_id", None, "invitation_id"),
    "invitations.revoke": (ONE, "invitation_id", None, "invitation_id"),
    "invitations.reinvite": (ONE, "invitation_id", None, "invitation_id"),
    "invitations.expire": (ONE, "invitation_id", None, "invitation_id"),
    "invitations.mark_sent": (ONE, "invitation_id", None, "invitation_id"),
    "invitations.issue_badge": (BADGE, "person_id", None, "person_id"),
    "invitations.import_apply": (None, "rows", "mode", "organisation_id"),
}
CHANNEL = {"invitations.expire": "cli", "invitations.mark_sent": "job"}


def apply_payload(org: int) -> dict:
    return msgspec.to_builtins(import_payload(read(LIST), org, None, "create"))


@pytest.fixture
def no_handler(monkeypatch):
    """Every invitations handler fails the test if it is reached."""
    forbid_handlers(monkeypatch, CASES)


async def refused(type: str, payload: dict, actor: int | None) -> dict[str, str]:
    channel = CHANNEL.get(type, "cli")
    command = Command(type=type, payload=payload, actor_id=None if channel == "job" else actor, channel=channel)
    outcome = await execute(command)
    assert outcome.status == "rejected", (type, payload)
    return outcome.errors


async def assert_only_refusals(count: int) -> None:
    for table in (Person, Membership, Invitation, Badge, ImportRun, ImportRow, Job):
        assert await table.count() == 0, table
    records = await CommandRecord.select(CommandRecord.status, CommandRecord.outcome)
    assert len(records) == count and {record["status"] for record in records} == {"rejected"}
    events = await AuditEvent.select(AuditEvent.outcome)
    assert len(events) == count and {event["outcome"] for event in events} == {"rejected"}


@pytest.mark.parametrize("type", sorted(CASES))
async def test_misfits_are_refused_before_the_handler(type, no_handler):
    org, hr = await staff("hr")
    valid, required, text_field, typed = CASES[type]
    valid = (
        apply_payload(org)
        if valid is None
        else {**valid, "organisation_id": org}
        if "organisation_id" in valid
        else valid
    )
    missing = {key: value for key, value in valid.items() if key != required}
    assert await refused(type, missing, hr) == {required: "missing_field"}
    assert await refused(type, {**valid, typed: ["12"]}, hr) == {typed: "wrong_type"}
    assert await refused(type, {**valid, typed: "twelve"}, hr) == {typed: "wrong_type"}
    assert await refused(type, {**valid, "is_admin": True}, hr) == {"is_admin": "unknown_field"}
    cases = 4
    if text_field:
        assert await refused(type, {**valid, text_field: "x" * 5000}, hr) == {text_field: "too_long"}
        assert await refused(type, {**valid, text_field: "a\x00b"}, hr) == {text_field: "invalid_value"}
        cases += 2
    for bad_id in (0, 2**31):  # ids are positive 32-bit serials
        assert (await refused(type, {**valid, typed: bad_id}, hr))[typed] in ("too_small", "too_large")
    await assert_only_refusals(cases + 2)


async def test_a_too_long_row_list_is_refused_before_the_handler(no_handler):
    org, hr = await staff("hr")
    payload = apply_payload(org)
    row = payload["rows"][0]
    rows = [[number, row[1]] for number in range(2, MAX_ROWS + 3)]
    assert len(rows) == MAX_ROWS + 1
    assert await refused("invitations.import_apply", {**payload, "rows": rows}, hr) == {"rows": "too_many"}
    # A cell longer than a spreadsheet cell, and more cells than there are fields.
    long_cell = {**payload, "rows": [[2, ["x" * 40_000, *row[1][1:]]]]}
    assert await refused("invitations.import_apply", long_cell, hr) == {"rows": "too_long"}
    wide = {**payload, "rows": [[2, [*row[1], *(["x"] * 10)]]]}
    assert await refused("invitations.import_apply", wide, hr) == {"rows": "too_many"}
    assert await refused("invitations.import_apply", {**payload, "columns": ["salary"]}, hr) == {
        "columns": "invalid_value"
    }
    await assert_only_refusals(4)


async def test_the_refusal_stays_the_answer_for_its_id(no_handler):
    org, hr = await staff("hr")
    command = Command(
        type="invitations.create", payload={**CREATE, "organisation_id": org, "last_name": "x" * 300}, actor_id=hr
    )
    first = await execute(command)
    again = await execute(command)
    assert first.errors == again.errors == {"last_name": "too_long"} and again.replayed
    assert first.reasons[0].params == {"max": 254}


async def test_a_valid_payload_reaches_the_handler():
    org, hr = await staff("hr")
    outcome = await execute(Command(type="invitations.import_apply", payload=apply_payload(org), actor_id=hr))
    assert outcome.applied and outcome.ids["code_1"] == 1


async def test_the_invite_form_shows_a_misfit_inline_in_the_users_language(client):
    org = await make_org(name="Brouwerij Test")
    await make_user("hr-nl@example.be", role="hr", org=org, language="nl")
    assert (await login(client, "hr-nl@example.be")).status_code == 303
    response = await post_form(client, "/invitations", {**PERSON, "organisation_id": str(org), "last_name": "x" * 300})
    assert response.status_code == 422
    assert "Gebruik hoogstens 254 tekens." in response.text
    assert 'aria-describedby="invite-last_name-error"' in response.text or "invite-last_name-error" in response.text
    response = await post_form(client, "/invitations", {**PERSON, "organisation_id": str(org), "unit_id": "twelve"})
    assert response.status_code == 422 and "Deze waarde heeft niet de juiste vorm." in response.text
    assert await Invitation.count() == 0 and await Person.count() == 0
    records = await CommandRecord.select(CommandRecord.status).where(CommandRecord.type == "invitations.create")
    assert records == [{"status": "rejected"}] * 2


async def test_an_action_form_with_a_misfit_answers_404_or_inline(client):
    """The action forms carry the id in the path: a path that is no id is not found."""
    await signed_in(client, "hr")
    response = await post_form(client, f"/invitations/{uuid.uuid4().int}/revoke")
    assert response.status_code == 404
