"""Small readers used by the accounts tests."""

from __future__ import annotations

import re

from app.storage.tables import AuditEvent, User


async def audit_types(**where) -> list[str]:
    query = AuditEvent.select(AuditEvent.type).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return [row["type"] for row in await query]


async def user_row(user_id: int) -> dict:
    return await User.select().where(User.id == user_id).first()


def link_in(message, path: str) -> str:
    """The first link to `path` in the text part of a mail (the path after
    the base URL)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", text)
    assert match, text
    return match.group(1)
