"""Form text turned into the typed values of admin payloads
(app.domain.admin.payloads): what a person typed always makes a payload the
struct accepts, so the handler checks every field at once and the page shows
every problem of the form in one go."""

from __future__ import annotations

from app.domain.core.ids import is_number, parse_id


def choice(raw: str | None) -> int | None:
    """A choice from a <select>: None for the empty choice, the id, or 0 for
    a value that names no row (the handler then says "Choose ... from the list")."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return parse_id(raw) or 0


def days(raw: str | None) -> int:
    """A number of days of at most three digits, or 0 (which the rule, 1 to
    365 days, refuses with its message)."""
    raw = (raw or "").strip()
    return int(raw) if is_number(raw) and len(raw) < 4 else 0
