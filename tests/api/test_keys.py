"""API keys as commands: made for an organisation one manages, shown once,
stored as a keyed hash only (never in the command record, the audit log or
the request log), revoked once however many revocations race."""

from __future__ import annotations

import asyncio
import uuid

from app.domain.api import keys, revealing
from app.domain.core.commands import Command, execute
from app.storage.api import ApiKey
from app.storage.tables import AuditEvent, CommandRecord
from tests.api.helpers import bearer, make_key
from tests.support.factories import make_user
from tests.support.passport import agency, do


async def test_a_key_is_stored_as_a_keyed_hash_and_never_recorded(client, capfd):
    flexa = await agency()
    api_key_id, key = await make_key(flexa, "Payroll sync")
    assert keys.SHAPE.match(key) and len(key) == 60
    [row] = await ApiKey.select()
    assert row["id"] == api_key_id and row["organisation"] == flexa and row["name"] == "Payroll sync"
    assert key.startswith(f"wpk_{row['prefix']}_")
    assert row["secret_hash"] == keys.digest(key) and key not in row["secret_hash"]
    assert (await client.get("/api/v1/workers", headers=bearer(key))).status_code == 200
    secret = key[17:]
    for record in await CommandRecord.select():
        assert secret not in str(record) and row["secret_hash"] not in str(record)
    for event in await AuditEvent.select():
        assert secret not in str(event)
    [event] = await AuditEvent.select().where(AuditEvent.type == "api.create_key")
    assert event["target_type"] == "api_key" and event["target_id"] == str(api_key_id)
    assert event["organisation_id"] == flexa and event["outcome"] == "applied"
    out, err = capfd.readouterr()
    assert secret not in out and secret not in err


async def test_the_same_command_again_does_not_show_the_key_again():
    flexa = await agency()
    command = Command(
        type="api.create_key", payload={"organisation_id": flexa, "name": "Sync"}, actor_id=None, channel="cli"
    )
    with revealing() as first:
        outcome = await execute(command)
    with revealing() as second:
        again = await execute(command)
    assert again.replayed and again.ids == outcome.ids
    assert list(first) == [outcome.ids["api_key_id"]] and second == {}
    assert await ApiKey.count() == 1


async def test_who_may_make_and_revoke_keys():
    flexa, other = await agency(), await agency("Jobwerk")
    admin = await make_user("admin@flexa.be", role="org_admin", org=flexa)
    consultant = await make_user("consultant@flexa.be", role="consultant", org=flexa)
    platform = await make_user("root@werkpas.be", role="platform_admin")
    assert (await do("api.create_key", {"organisation_id": flexa, "name": "Mine"}, admin)).applied
    assert (await do("api.create_key", {"organisation_id": other, "name": "Theirs"}, admin)).code() == "not_found"
    assert (await do("api.create_key", {"organisation_id": flexa, "name": "X"}, consultant)).code() == "not_allowed"
    assert (await do("api.create_key", {"organisation_id": 999999, "name": "X"}, platform)).code() == "not_found"
    outcome = await do("api.create_key", {"organisation_id": other, "name": "Theirs"}, platform)
    assert outcome.applied
    foreign = outcome.ids["api_key_id"]
    assert (await do("api.revoke_key", {"api_key_id": foreign}, admin)).code() == "not_found"
    assert (await do("api.revoke_key", {"api_key_id": foreign}, consultant)).code() == "not_allowed"
    assert (await do("api.revoke_key", {"api_key_id": foreign}, platform)).applied
    assert (await do("api.revoke_key", {"api_key_id": foreign}, platform)).code() == "key_revoked"
    assert (await do("api.revoke_key", {"api_key_id": 424242}, platform)).code() == "not_found"


async def test_names_are_checked_and_keys_are_capped():
    flexa = await agency()
    assert (await do("api.create_key", {"organisation_id": flexa, "name": "  "}, None, "cli")).errors == {
        "name": "name_missing"
    }
    assert (await do("api.create_key", {"organisation_id": flexa, "name": "x" * 201}, None, "cli")).errors == {
        "name": "name_too_long"
    }
    assert (await do("api.create_key", {"organisation_id": flexa, "name": "a\x00b"}, None, "cli")).code(
        "name"
    ) == "invalid_value"
    from app.domain.api.handlers import MAX_KEYS

    made = [await make_key(flexa, f"Key {n}") for n in range(MAX_KEYS)]
    refused = await do("api.create_key", {"organisation_id": flexa, "name": "One more"}, None, "cli")
    assert refused.code() == "too_many_keys"
    assert (await do("api.revoke_key", {"api_key_id": made[0][0]}, None, "cli")).applied
    assert (await do("api.create_key", {"organisation_id": flexa, "name": "One more"}, None, "cli")).applied


async def test_thirty_parallel_revocations_revoke_once():
    flexa = await agency()
    admin = await make_user("admin@flexa.be", role="org_admin", org=flexa)
    api_key_id, _key = await make_key(flexa)

    async def revoke():
        return await execute(
            Command(
                type="api.revoke_key",
                payload={"api_key_id": api_key_id},
                actor_id=admin,
                channel="web",
                id=uuid.uuid4(),
            )
        )

    outcomes = await asyncio.gather(*(revoke() for _ in range(30)))
    assert sum(outcome.applied for outcome in outcomes) == 1
    assert {outcome.code() for outcome in outcomes if not outcome.applied} == {"key_revoked"}
    applied = await AuditEvent.select().where((AuditEvent.type == "api.revoke_key") & (AuditEvent.outcome == "applied"))
    assert len(applied) == 1
    [row] = await ApiKey.select(ApiKey.revoked_at, ApiKey.revoked_by)
    assert row["revoked_at"] is not None and row["revoked_by"] == admin


async def test_parallel_creations_keep_the_cap(monkeypatch):
    from app.domain.api import handlers

    monkeypatch.setattr(handlers, "MAX_KEYS", 5)
    flexa = await agency()

    async def create(number: int):
        return await execute(
            Command(
                type="api.create_key",
                payload={"organisation_id": flexa, "name": f"Key {number}"},
                actor_id=None,
                channel="cli",
                id=uuid.uuid4(),
            )
        )

    outcomes = await asyncio.gather(*(create(number) for number in range(30)))
    assert sum(outcome.applied for outcome in outcomes) == 5
    assert {outcome.code() for outcome in outcomes if not outcome.applied} == {"too_many_keys"}
    assert await ApiKey.count() == 5
