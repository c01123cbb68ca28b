"""Small readers used by the accounts tests."""

from __future__ import annotations

import contextlib
import re

import httpx

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


@contextlib.asynccontextmanager
async def another_client(app, port: int = 50001):
    """A second browser on the same app (its own cookies): two sessions of
    one account."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", port))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client


async def signed_in(client, path: str = "/home") -> bool:
    """Whether the client's session still counts: a signed-in page answers
    200, a logged-out browser is sent to /login."""
    response = await client.get(path, follow_redirects=False)
    assert response.status_code in (200, 303), response.status_code
    return response.status_code == 200


def session_files(settings) -> list:
    folder = settings.data_dir / "sessions"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
