"""`werkpas command TYPE --as EMAIL --payload JSON [--id UUID]`: one command
through execute() on channel cli, as that user with their permissions; the
outcome as JSON; exit 0 applied, 1 rejected, 2 invalid payload, unknown type
or user, or unreadable JSON; the same --id twice answers the first outcome."""

import io
import json
import uuid

from app.cli_commands import run_command
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler
from app.domain.core.payloads import Payload, ShortText
from app.domain.core.reasons import declare
from app.storage.tables import AuditEvent, CommandRecord, Organisation
from tests.conftest import now
from tests.core.test_cli import run
from tests.support.factories import make_org, make_user

declare("clitest", {"slug_taken": "This short name is taken."})


class CreateThing(Payload, frozen=True):
    name: ShortText
    slug: ShortText


@handler("clitest.create_thing", CreateThing, codes=("slug_taken",))
async def _create(command: Command[CreateThing]) -> Effect:
    """Creates an organisation (platform admins only)."""
    actor = await acting(command, "admin.organisations")
    if await Organisation.exists().where(Organisation.slug == command.payload.slug):
        raise Rejected("slug_taken", "slug")
    rows = await Organisation.insert(
        Organisation(name=command.payload.name, slug=command.payload.slug, kind="employer", created_at=now())
    )
    return Effect(
        target_type="organisation", target_id=rows[0]["id"], ids={"organisation_id": rows[0]["id"], "by": actor.id}
    )


async def cli(command_type, email, payload, command_id=None):
    out, err = io.StringIO(), io.StringIO()
    status = await run_command(command_type, email, payload, command_id, out=out, err=err)
    return status, (json.loads(out.getvalue()) if out.getvalue() else None), err.getvalue()


GOOD = json.dumps({"name": "Acme", "slug": "acme"})


async def test_applied_as_the_user_and_the_same_id_answers_the_first_outcome():
    admin = await make_user("root@example.be", role="platform_admin")
    command_id = uuid.uuid4()
    status, outcome, err = await cli("clitest.create_thing", "root@example.be", GOOD, command_id)
    assert (status, err) == (0, "")
    assert outcome["status"] == "applied" and outcome["errors"] == [] and outcome["replayed"] is False
    assert outcome["command_id"] == str(command_id) and outcome["type"] == "clitest.create_thing"
    organisation_id = outcome["ids"]["organisation_id"]
    assert outcome["ids"]["by"] == admin  # the handler saw the user as the actor
    record = await CommandRecord.select().where(CommandRecord.command_id == command_id).first()
    assert (record["actor_id"], record["channel"], record["status"]) == (admin, "cli", "applied")
    [event] = await AuditEvent.select().where(AuditEvent.command_id == command_id)
    assert (event["actor_id"], event["channel"]) == (admin, "cli")

    status, again, _err = await cli("clitest.create_thing", "ROOT@example.be ", GOOD, command_id)
    assert status == 0
    assert again["replayed"] is True
    assert {key: again[key] for key in ("status", "ids", "errors", "command_id")} == {
        key: outcome[key] for key in ("status", "ids", "errors", "command_id")
    }
    assert await Organisation.count() == 1 and organisation_id
    assert await CommandRecord.count() == 1


async def test_the_users_permissions_apply():
    organisation = await make_org(slug="flexa")
    await make_user("hr@example.be", role="org_admin", org=organisation)
    status, outcome, _err = await cli("clitest.create_thing", "hr@example.be", GOOD)
    assert status == 1
    assert outcome["status"] == "rejected"
    assert outcome["errors"] == [{"code": "not_allowed", "field": None, "params": {}}]
    assert await Organisation.count() == 1  # only the factory's


async def test_a_refusal_of_the_handler_exits_1_with_its_code():
    await make_user("root@example.be", role="platform_admin")
    await make_org(slug="acme")
    status, outcome, _err = await cli("clitest.create_thing", "root@example.be", GOOD)
    assert status == 1
    assert outcome["errors"] == [{"code": "slug_taken", "field": "slug", "params": {}}]


async def test_a_payload_that_does_not_fit_exits_2_before_the_handler_runs():
    await make_user("root@example.be", role="platform_admin")
    cases = {
        json.dumps({"name": "Acme"}): ("missing_field", "slug"),
        json.dumps({"name": "Acme", "slug": 12}): ("wrong_type", "slug"),
        json.dumps({"name": "Acme", "slug": "acme", "admin": True}): ("unknown_field", "admin"),
        json.dumps({"name": "A" * 255, "slug": "acme"}): ("too_long", "name"),
        json.dumps(["not", "an", "object"]): ("invalid_payload", None),
    }
    for payload, (code, field) in cases.items():
        status, outcome, _err = await cli("clitest.create_thing", "root@example.be", payload)
        assert status == 2, payload
        assert outcome["status"] == "rejected"
        assert [(error["code"], error["field"]) for error in outcome["errors"]] == [(code, field)], payload
    assert await Organisation.count() == 0  # nothing written but the refusals
    assert await CommandRecord.count() == len(cases)


async def test_unknown_type_user_or_json_exits_2_and_records_nothing():
    await make_user("root@example.be", role="platform_admin")
    await make_user("gone@example.be", role="platform_admin", is_active=False)
    for command_type, email, payload, words in (
        ("clitest.no_such_thing", "root@example.be", GOOD, "no command type"),
        ("clitest.create_thing", "nobody@example.be", GOOD, "no active user"),
        ("clitest.create_thing", "gone@example.be", GOOD, "no active user"),
        ("clitest.create_thing", "", GOOD, "no active user"),
        ("clitest.create_thing", "root@example.be", "{name: 'Acme'", "not JSON"),
    ):
        status, outcome, err = await cli(command_type, email, payload)
        assert (status, outcome) == (2, None), (command_type, email, payload)
        assert err.startswith("werkpas: ") and words in err
    assert await CommandRecord.count() == 0
    assert await Organisation.count() == 0


async def test_the_same_id_with_another_payload_is_refused():
    await make_user("root@example.be", role="platform_admin")
    command_id = uuid.uuid4()
    assert (await cli("clitest.create_thing", "root@example.be", GOOD, command_id))[0] == 0
    other = json.dumps({"name": "Other", "slug": "other"})
    status, outcome, _err = await cli("clitest.create_thing", "root@example.be", other, command_id)
    assert status == 1
    assert outcome["errors"] == [{"code": "resent", "field": None, "params": {}}]
    assert await Organisation.count() == 1


def test_werkpas_command_in_its_own_process(tmp_path):
    """The real command against a fresh database, with an existing command
    type and a real platform admin (made by `werkpas createadmin`)."""
    assert run(["migrate"], tmp_path).returncode == 0
    made = run(["createadmin", "--email", "root@example.be", "--name", "Root"], tmp_path)
    assert made.returncode == 0, made.stderr
    payload = json.dumps(
        {"name": "Acme", "slug": "acme", "kind": "employer", "default_language": "nl", "invitation_days": "30"}
    )
    command_id = str(uuid.uuid4())
    args = ["command", "admin.create_organisation", "--as", "root@example.be", "--payload", payload, "--id", command_id]
    first = run(args, tmp_path)
    assert first.returncode == 0, first.stderr
    outcome = json.loads(first.stdout)
    assert outcome["status"] == "applied" and outcome["command_id"] == command_id
    assert outcome["ids"]["organisation_id"] >= 1
    second = run(args, tmp_path)
    assert second.returncode == 0, second.stderr
    again = json.loads(second.stdout)
    assert again["ids"] == outcome["ids"] and again["replayed"] is True
    refused = run(["command", "admin.create_organisation", "--as", "root@example.be", "--payload", payload], tmp_path)
    assert refused.returncode == 1, refused.stderr  # the short name is taken now
    assert json.loads(refused.stdout)["status"] == "rejected"
    for bad in (
        ["command", "nope.nope", "--as", "root@example.be", "--payload", "{}"],
        ["command", "admin.create_organisation", "--as", "nobody@example.be", "--payload", payload],
        ["command", "admin.create_organisation", "--as", "root@example.be", "--payload", "{"],
        ["command", "admin.create_organisation", "--as", "root@example.be", "--payload", "{}", "--id", "x"],
    ):
        result = run(bad, tmp_path)
        assert result.returncode == 2, (bad, result.stderr)
        assert result.stdout == ""
