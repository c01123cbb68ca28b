"""The command contract of issue 11 (point 12) that the kiosk and the checks
rely on: these command types exist with these required payload fields, in
the catalogue, and these reason codes are declared with messages."""

from __future__ import annotations

import pytest

from app.domain.core.catalogue import catalogue, payload_fields
from app.domain.core.reasons import area_codes
from app.domain.registry import load_handlers

CONTRACT = {
    "participation.open_table": {"room_id", "title", "about"},
    "participation.buy_chair": {"table_id"},
    "participation.schedule_meeting": {"table_id", "starts_at", "place"},
    "participation.close_meeting": {"table_id"},
    "participation.submit_evaluation": {"table_id", "answers"},
}
CODES = ("not_enough_coins", "table_closed", "already_seated", "not_visible", "already_evaluated")


def _entries() -> dict[str, dict]:
    load_handlers()
    return {entry["type"]: entry for entry in catalogue()["commands"]}


@pytest.mark.parametrize("command_type", sorted(CONTRACT))
def test_the_contract_commands_take_their_fields(command_type):
    entry = _entries()[command_type]
    fields = payload_fields(entry["schema"])
    required = {name.rstrip("*") for name in fields if name.endswith("*")}
    named = {name.rstrip("*") for name in fields}
    # The contract's fields are there; the ones the kiosk must send are required
    # (place may be empty when a fixed moment gives it, but the field is named).
    assert CONTRACT[command_type] <= named, fields
    assert CONTRACT[command_type] - {"place"} <= required, fields


def test_the_contract_reason_codes_are_declared():
    declared = area_codes("participation")
    for code in CODES:
        assert declared.get(code), code
    codes = {item["code"] for entry in _entries().values() for item in entry["codes"]}
    assert set(CODES) <= codes
