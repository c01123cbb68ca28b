"""The command mechanism: applied once, audited, conflicts refused,
rejections final, no personal values stored."""

import asyncio
import uuid

import pytest

from app.domain.core.commands import Command, Conflict, Effect, Rejected, execute, handler
from app.domain.core.payloads import Payload, ShortText
from app.domain.core.reasons import declare
from app.storage.tables import AuditEvent, CommandRecord, Organisation
from tests.conftest import now

declare("test", {"slug_invalid": "Use letters and digits only.", "refused_after_write": "Refused.", "taken": "Taken."})


class CreateOrganisation(Payload, frozen=True):
    name: ShortText
    slug: ShortText
    fail_after_write: bool = False
    # Personal values a payload may carry: hashed into the record, never stored.
    birth_date: ShortText | None = None
    national_number: ShortText | None = None
    iban: ShortText | None = None


class Nothing(Payload, frozen=True):
    pass


class CreateUnique(Payload, frozen=True):
    slug: ShortText
    n: int = 0


@handler("test.create_organisation", CreateOrganisation, codes=("slug_invalid", "refused_after_write"))
async def _create(command: Command[CreateOrganisation]) -> Effect:
    slug = command.payload.slug
    if not slug.isalnum():
        raise Rejected("slug_invalid", "slug")
    rows = await Organisation.insert(
        Organisation(name=command.payload.name, slug=slug, kind="employer", created_at=now())
    )
    if command.payload.fail_after_write:
        raise Rejected("refused_after_write")
    return Effect(
        target_type="organisation",
        target_id=rows[0]["id"],
        organisation_id=rows[0]["id"],
        ids={"organisation_id": rows[0]["id"]},
    )


@handler("test.explode", Nothing)
async def _explode(command: Command[Nothing]) -> Effect:
    await Organisation.insert(Organisation(name="half", slug="half", kind="employer", created_at=now()))
    raise RuntimeError("boom")


def command(payload, command_id=None, type="test.create_organisation"):
    return Command(type=type, payload=payload, actor_id=None, channel="cli", id=command_id or uuid.uuid4())


async def test_applied_once_and_audited():
    first = await execute(command({"name": "Acme", "slug": "acme"}, command_id=(cid := uuid.uuid4())))
    again = await execute(command({"name": "Acme", "slug": "acme"}, command_id=cid))
    assert first.applied and again.applied
    assert again.replayed and again.ids == first.ids
    assert await Organisation.count() == 1
    assert await CommandRecord.count() == 1
    events = await AuditEvent.select()
    assert len(events) == 1
    assert events[0]["type"] == "test.create_organisation"
    assert events[0]["outcome"] == "applied"
    assert events[0]["channel"] == "cli"
    assert events[0]["target_id"] == str(first.ids["organisation_id"])


async def test_same_id_different_payload_is_a_conflict():
    cid = uuid.uuid4()
    await execute(command({"name": "Acme", "slug": "acme"}, command_id=cid))
    with pytest.raises(Conflict):
        await execute(command({"name": "Other", "slug": "other"}, command_id=cid))
    assert await Organisation.count() == 1


async def test_rejection_is_final_and_changes_nothing():
    cid = uuid.uuid4()
    outcome = await execute(command({"name": "Acme", "slug": "acme", "fail_after_write": True}, command_id=cid))
    assert outcome.status == "rejected"
    assert outcome.errors == {"_": "refused_after_write"}
    assert await Organisation.count() == 0  # the write before the refusal was rolled back
    replay = await execute(command({"name": "Acme", "slug": "acme", "fail_after_write": True}, command_id=cid))
    assert replay.status == "rejected" and replay.replayed
    events = await AuditEvent.select(AuditEvent.outcome)
    assert [e["outcome"] for e in events] == ["rejected"]


async def test_crash_rolls_back_and_records_nothing():
    with pytest.raises(RuntimeError):
        await execute(command({}, type="test.explode"))
    assert await Organisation.count() == 0
    assert await CommandRecord.count() == 0
    assert await AuditEvent.count() == 0


async def test_personal_values_are_not_stored():
    payload = {
        "name": "Acme",
        "slug": "acme",
        "birth_date": "1987-03-14",
        "national_number": "87031412345",
        "iban": "BE71096123456769",
    }
    await execute(command(payload))
    record = await CommandRecord.select().first()
    stored = " ".join(str(v) for v in record.values())
    for secret in ("1987-03-14", "87031412345", "BE71096123456769"):
        assert secret not in stored
    events = await AuditEvent.select()
    assert all(secret not in " ".join(str(v) for v in e.values()) for e in events for secret in ("1987", "BE71"))


async def test_concurrent_deliveries_of_one_id_apply_once():
    cid = uuid.uuid4()
    outcomes = await asyncio.gather(
        *(execute(command({"name": "Acme", "slug": "acme"}, command_id=cid)) for _ in range(5))
    )
    assert all(o.applied for o in outcomes)
    assert len({tuple(o.ids.items()) for o in outcomes}) == 1
    assert await Organisation.count() == 1
    assert await CommandRecord.count() == 1


def test_no_code_path_updates_or_deletes_audit_events():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text()
        for needle in ("AuditEvent.update", "AuditEvent.delete", "UPDATE audit_event", "DELETE FROM audit_event"):
            if needle.lower() in text.lower():
                offenders.append(f"{path}: {needle}")
    assert offenders == []


@handler("test.create_unique", CreateUnique, codes=("taken",))
async def _create_unique(command: Command[CreateUnique]) -> Effect:
    slug = command.payload.slug
    if await Organisation.exists().where(Organisation.slug == slug):
        raise Rejected("taken", "slug")
    await asyncio.sleep(0.05)  # let the other command pass the check too
    rows = await Organisation.insert(Organisation(name=slug, slug=slug, kind="employer", created_at=now()))
    return Effect(target_type="organisation", target_id=rows[0]["id"])


async def test_two_commands_racing_for_one_unique_value_get_a_clean_refusal():
    outcomes = await asyncio.gather(
        *(execute(command({"slug": "same", "n": n}, type="test.create_unique")) for n in range(2))
    )
    assert sorted(o.status for o in outcomes) == ["applied", "rejected"]
    assert [o.errors for o in outcomes if o.status == "rejected"] == [{"slug": "taken"}]
    assert await Organisation.count() == 1


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"name": "Acme"}, ("missing_field", "slug")),
        ({"name": "Acme", "slug": 7}, ("wrong_type", "slug")),
        ({"name": "Acme", "slug": "acme", "colour": "red"}, ("unknown_field", "colour")),
        ({"name": "A" * 255, "slug": "acme"}, ("too_long", "name")),
        ({"name": "Ac\x00me", "slug": "acme"}, ("invalid_value", "name")),
    ],
)
async def test_a_malformed_payload_is_refused_before_the_handler_runs(payload, reason):
    cid = uuid.uuid4()
    outcome = await execute(command(payload, command_id=cid))
    assert outcome.status == "rejected"
    assert [(r.code, r.field) for r in outcome.reasons] == [reason]
    assert await Organisation.count() == 0
    records = await CommandRecord.select()
    assert [(r["status"], r["command_id"]) for r in records] == [("rejected", cid)]
    assert "Acme" not in records[0]["outcome"]  # codes, never the values
    again = await execute(command(payload, command_id=cid))
    assert again.replayed and again.reasons == outcome.reasons


async def test_a_newer_version_than_the_server_knows_is_refused():
    envelope = Command(
        type="test.create_organisation",
        payload={"name": "Acme", "slug": "acme"},
        actor_id=None,
        channel="kiosk",
        version=2,
    )
    outcome = await execute(envelope)
    assert outcome.errors == {"_": "unsupported_version"} and await Organisation.count() == 0


def test_a_refusal_is_a_code_never_a_sentence():
    with pytest.raises(ValueError, match="snake_case"):
        Rejected("This item does not exist.")
