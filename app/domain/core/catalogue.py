"""The command catalogue: every registered command type with its version, the
JSON Schema of its payload (from msgspec) and the reason codes it may answer,
with their messages in English (the message ids).

`werkpas commands [--json]` prints it and `/schema/commands.json` serves it to
platform admins; support staff, the kiosk and later checks read it. Load the
handlers first (`app.domain.registry.load_handlers()`).
"""

from __future__ import annotations

from typing import Any

from app.domain.core.commands import CommandSpec, specs
from app.domain.core.reasons import COMMON, PAYLOAD, message_id


def entry(spec: CommandSpec) -> dict[str, Any]:
    return {
        "type": spec.type,
        "area": spec.area,
        "version": spec.version,
        "summary": spec.summary,
        "schema": spec.schema(),
        "codes": [{"code": code, "message": str(message_id(code, spec.area) or "")} for code in spec.codes],
    }


def catalogue() -> dict[str, Any]:
    """The whole catalogue as JSON-ready builtins, command types sorted by name."""
    return {
        "commands": [entry(spec) for spec in specs()],
        # Every command may answer these, whatever its area.
        "common_codes": [{"code": code, "message": str(text)} for code, text in COMMON.items()],
        # A payload that does not fit its struct, refused before any handler runs.
        "payload_codes": [{"code": code, "message": str(text)} for code, text in PAYLOAD.items()],
    }


def payload_fields(schema: dict[str, Any]) -> list[str]:
    """The payload's field names from its JSON Schema, required ones marked
    with a `*` (msgspec puts the struct under $defs and refers to it)."""
    body = schema
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        body = schema.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
    required = set(body.get("required", ()))
    return [name + ("*" if name in required else "") for name in body.get("properties", {})]


def table(data: dict[str, Any]) -> str:
    """The catalogue as a plain-text table, then every code with its message."""
    rows = [("TYPE", "VERSION", "PAYLOAD (* required)", "REASON CODES")]
    for command in data["commands"]:
        fields = ", ".join(payload_fields(command["schema"]))
        codes = ", ".join(code["code"] for code in command["codes"]) or "-"
        rows.append((command["type"], str(command["version"]), fields or "-", codes))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    ]
    lines.append("")
    lines.append("Reason codes of the commands above:")
    seen: dict[str, str] = {}
    for command in data["commands"]:
        for code in command["codes"]:
            seen.setdefault(f"{command['area']}.{code['code']}", code["message"])
    lines.extend(f"  {name}: {text}" for name, text in sorted(seen.items()))
    lines.append("")
    lines.append("Every command may also answer:")
    lines.extend(f"  {code['code']}: {code['message']}" for code in data["common_codes"])
    lines.append("A payload that does not fit its type is refused with:")
    lines.extend(f"  {code['code']}: {code['message']}" for code in data["payload_codes"])
    return "\n".join(line.rstrip() for line in lines) + "\n"
