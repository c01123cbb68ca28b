"""Small helpers shared by the accounts forms: reading fields, the command
id a form carries, and the error context the templates expect."""

from __future__ import annotations

import uuid

from litestar import Request

MAX_FIELD = 1000


async def read_form(request: Request) -> dict[str, str]:
    """First value of every field, as text, cut to a sane length."""
    form = await request.form()
    return {key: str(form.get(key) or "")[:MAX_FIELD] for key in form.keys()}


def command_id(form: dict[str, str]) -> uuid.UUID:
    """The id the rendered form carried; a missing or mangled one gets a
    fresh id (the command then simply is not deduplicated)."""
    try:
        return uuid.UUID(form.get("command_id", ""))
    except ValueError:
        return uuid.uuid4()
