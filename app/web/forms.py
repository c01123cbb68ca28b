"""Reading forms, for every area: field values as text without NUL
characters (PostgreSQL refuses them in text, which would turn a stray byte
into a server error), and the command id a rendered form carries."""

from __future__ import annotations

import uuid

from litestar import Request

MAX_FIELD = 1000


def without_nul(text: str) -> str:
    return text.replace("\x00", "")


def clean(value: str | None, limit: int = MAX_FIELD) -> str:
    """Text from a request, trimmed and cut to a sane length (every field is
    validated on far shorter limits)."""
    return without_nul(value or "").strip()[:limit]


async def read_form(request: Request) -> dict[str, str]:
    """First value of every field, as text, cut to a sane length; not trimmed,
    so a password keeps exactly what was typed."""
    form = await request.form()
    return {key: without_nul(str(form.get(key) or ""))[:MAX_FIELD] for key in form.keys()}


def command_id(data: dict[str, str]) -> uuid.UUID:
    """The id minted when the form was rendered: sending it twice (double
    click, retry after a lost answer) applies the command once; a missing or
    mangled one gets a fresh id (the command then simply is not deduplicated)."""
    try:
        return uuid.UUID(data.get("command_id", ""))
    except ValueError:
        return uuid.uuid4()
