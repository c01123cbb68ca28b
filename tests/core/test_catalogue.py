"""The command catalogue: every command type with its version, the JSON Schema
of its payload and its reason codes with their messages; `werkpas commands`
and /schema/commands.json show the same. Every command type of the app has a
payload struct, a handler and only declared reason codes."""

import ast
import inspect
import json
import re
from pathlib import Path
from typing import Annotated

import msgspec
import pytest

from app.domain.core.catalogue import catalogue, payload_fields, table
from app.domain.core.commands import TYPE_NAME, Command, Effect, Rejected, execute, handler, spec_of, specs
from app.domain.core.payloads import Id, Payload, ShortText
from app.domain.core.reasons import COMMON, PAYLOAD, area_codes, declare, message_id
from app.domain.registry import load_handlers
from tests.admin import helpers as h
from tests.core.test_cli import run

ROOT = Path(__file__).resolve().parents[2]

CODES = declare("cataloguetest", {"thing_taken": "This thing is taken.", "thing_odd": "This thing is odd: %(why)s."})


class RenameThing(Payload, frozen=True):
    thing_id: Id
    name: ShortText
    note: Annotated[str, msgspec.Meta(max_length=20)] | None = None


@handler("cataloguetest.rename_thing", RenameThing, version=2, codes=("thing_taken", "thing_odd"))
async def _rename(command: Command[RenameThing]) -> Effect:
    """Renames a thing.

    More words that the summary leaves out."""
    if command.payload.name == "taken":
        raise Rejected("thing_taken", "name")
    return Effect(ids={"thing_id": command.payload.thing_id})


def _entry(data, command_type):
    [entry] = [command for command in data["commands"] if command["type"] == command_type]
    return entry


def test_a_typed_command_in_the_catalogue():
    load_handlers()
    entry = _entry(catalogue(), "cataloguetest.rename_thing")
    assert entry["version"] == 2 and entry["area"] == "cataloguetest"
    assert entry["summary"] == "Renames a thing."
    assert entry["schema"] == msgspec.json.schema(RenameThing)
    assert payload_fields(entry["schema"]) == ["thing_id*", "name*", "note"]
    assert entry["codes"] == [
        {"code": "thing_taken", "message": "This thing is taken."},
        {"code": "thing_odd", "message": "This thing is odd: %(why)s."},
    ]
    body = entry["schema"]["$defs"]["RenameThing"]
    assert body["properties"]["name"]["maxLength"] == 254
    assert body["properties"]["thing_id"]["minimum"] == 1
    assert body["additionalProperties"] is False


def test_every_command_is_listed_with_common_and_payload_codes():
    load_handlers()
    data = catalogue()
    assert [command["type"] for command in data["commands"]] == sorted(spec.type for spec in specs())
    assert {code["code"] for code in data["common_codes"]} == set(COMMON)
    assert {code["code"] for code in data["payload_codes"]} == set(PAYLOAD)
    assert all(code["message"] for code in data["common_codes"] + data["payload_codes"])
    for command in data["commands"]:
        assert command["version"] >= 1
        assert command["schema"].get("$ref") or command["schema"].get("type"), command["type"]
    msgspec.json.encode(data)  # JSON all the way down


def test_the_plain_table_is_readable():
    load_handlers()
    text = table(catalogue())
    lines = text.splitlines()
    assert lines[0].split() == ["TYPE", "VERSION", "PAYLOAD", "(*", "required)", "REASON", "CODES"]
    [row] = [line for line in lines if line.startswith("cataloguetest.rename_thing ")]
    assert row.split(None, 2)[1] == "2"
    assert "thing_id*, name*, note" in row and row.endswith("thing_taken, thing_odd")
    assert "  cataloguetest.thing_taken: This thing is taken." in lines
    assert "  not_found: This item does not exist or you do not have access to it." in lines
    assert "  missing_field: Fill in this field." in lines
    for spec in specs():
        assert any(line.startswith(spec.type + " ") for line in lines), spec.type


def test_werkpas_commands_prints_the_catalogue(tmp_path):
    """The real command, in its own process (no test command types there)."""
    result = run(["commands", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    load_handlers()
    app_types = sorted(spec.type for spec in specs() if _is_app_command(spec))
    assert [command["type"] for command in data["commands"]] == app_types
    mine = {command["type"]: command for command in catalogue()["commands"]}
    assert all(command == mine[command["type"]] for command in data["commands"])
    plain = run(["commands"], tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith("TYPE ") and "admin.create_organisation " in plain.stdout


async def test_schema_commands_json_serves_the_catalogue_to_platform_admins(client):
    load_handlers()
    await h.as_role(client, "platform_admin")
    response = await client.get("/schema/commands.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == json.loads(json.dumps(catalogue()))


async def test_schema_commands_json_is_refused_to_everyone_else(client):
    anonymous = await client.get("/schema/commands.json", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
    organisation = await h.org("Acme", "acme")
    await h.as_role(client, "org_admin", organisation)
    assert (await client.get("/schema/commands.json", follow_redirects=False)).status_code == 403
    # Litestar's own OpenAPI pages under /schema stay as they were.
    assert (await client.get("/schema/openapi.json")).status_code == 200


# -- every command type: a struct, a handler, declared codes ---------------


def _is_app_command(spec) -> bool:
    return spec.handler.__module__.startswith("app.")


def _app_types() -> list[str]:
    load_handlers()
    return sorted(spec.type for spec in specs() if _is_app_command(spec))


def _used_types() -> set[str]:
    """Command type names the app's code sends: a string argument (or type=)
    of run(), _run(), run_as() and Command() calls."""
    names = {"run", "_run", "run_as", "Command"}
    found: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in names:
                continue
            values = [keyword.value for keyword in node.keywords if keyword.arg == "type"]
            values += node.args[:2]
            for value in values:
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and re.match(TYPE_NAME, value.value)
                ):
                    found.add(value.value)
    return found


def _check(command_type: str) -> None:
    spec = spec_of(command_type)
    assert spec is not None, f"{command_type}: no handler"
    assert spec.payload is not None and issubclass(spec.payload, Payload), f"{command_type}: no payload struct"
    assert spec.payload.__struct_config__.frozen, f"{command_type}: the struct is not frozen"
    assert spec.payload.__struct_config__.forbid_unknown_fields, f"{command_type}: unknown fields pass"
    assert inspect.iscoroutinefunction(spec.handler), f"{command_type}: the handler is not async"
    assert spec.version >= 1
    declared = area_codes(spec.area)
    for code in spec.codes:
        assert code in declared or code in COMMON or code in PAYLOAD, f"{command_type}: undeclared code {code}"
        assert message_id(code, spec.area), f"{command_type}: code {code} has no message"
    msgspec.json.schema(spec.payload)  # the catalogue can describe it


@pytest.mark.parametrize(
    "command_type",
    _app_types(),
)
def test_every_command_type_has_a_struct_a_handler_and_declared_codes(command_type):
    _check(command_type)


def test_every_command_type_the_app_sends_has_a_handler():
    load_handlers()
    used = _used_types()
    assert "admin.create_organisation" in used and "accounts.set_password" in used  # the scan sees them
    assert sorted(name for name in used if spec_of(name) is None) == []


def test_the_check_refuses_what_it_should():
    """The check passes for a typed command; registering without a struct, or
    with a code the area did not declare, is refused at once."""
    load_handlers()
    _check("cataloguetest.rename_thing")
    with pytest.raises(AssertionError, match="no handler"):
        _check("cataloguetest.no_such_thing")
    with pytest.raises(TypeError, match="Payload struct"):
        handler("cataloguetest.plain_thing", dict)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not declared"):
        handler("cataloguetest.odd_thing", RenameThing, codes=("never_declared",))


@handler("cataloguetest.lie_thing", RenameThing, codes=("thing_taken",))
async def _lie(command: Command[RenameThing]) -> Effect:
    raise Rejected("thing_odd", why="not promised")


async def test_a_handler_answering_an_undeclared_code_is_a_bug():
    with pytest.raises(RuntimeError, match="undeclared reason code"):
        await execute(Command("cataloguetest.lie_thing", {"thing_id": 1, "name": "a"}, None, "cli"))
    refused = await execute(Command("cataloguetest.rename_thing", {"thing_id": 1, "name": "taken"}, None, "cli"))
    assert refused.errors == {"name": "thing_taken"}
