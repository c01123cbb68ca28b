"""Test data for the admin tests: rows inserted directly, and a client
logged in through the real /login form."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import httpx

from app.domain.accounts.passwords import hash_secret
from app.storage.tables import AuditEvent, Organisation, RoleGrant, Unit, User
from tests.conftest import PASSWORD, csrf

_numbers = itertools.count(1)
_HASH: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = hash_secret(PASSWORD)
    return _HASH


async def org(name: str | None = None, slug: str | None = None, kind: str = "employer") -> int:
    number = next(_numbers)
    rows = await Organisation.insert(
        Organisation(
            name=name or f"Organisation {number}",
            slug=slug or f"org-{number}",
            kind=kind,
            default_language="nl",
            invitation_days=30,
            created_at=_now(),
        )
    )
    return rows[0]["id"]


async def unit(organisation: int, name: str, kind: str = "site", parent: int | None = None) -> int:
    rows = await Unit.insert(
        Unit(organisation=organisation, parent=parent, name=name, kind=kind, path="", created_at=_now())
    )
    unit_id = rows[0]["id"]
    prefix = (await Unit.select(Unit.path).where(Unit.id == parent).first())["path"] if parent else "/"
    await Unit.update({Unit.path: f"{prefix}{unit_id}/"}).where(Unit.id == unit_id)
    return unit_id


async def grant(user_id: int, role: str, organisation: int | None = None, unit_id: int | None = None) -> int:
    rows = await RoleGrant.insert(
        RoleGrant(user=user_id, role=role, organisation=organisation, unit=unit_id, created_at=_now())
    )
    return rows[0]["id"]


async def user(
    role: str | None = None,
    organisation: int | None = None,
    unit_id: int | None = None,
    email: str | None = None,
    name: str | None = None,
    password: bool = True,
    **columns,
) -> int:
    """A user with a password (PASSWORD) and, optionally, one role grant
    (platform_admin on nothing; other roles on `unit_id` or the whole org)."""
    number = next(_numbers)
    values = {
        "email": email or f"user{number}@example.be",
        "display_name": name or f"User {number}",
        "password_hash": _password_hash() if password else None,
        "language": "en",
        "organisation": None if role == "platform_admin" else organisation,
        "is_active": True,
        "created_at": _now(),
    }
    rows = await User.insert(User(**{**values, **columns}))
    user_id = rows[0]["id"]
    if role == "platform_admin":
        await grant(user_id, role)
    elif role:
        await grant(user_id, role, organisation, unit_id)
    return user_id


async def sign_in(client: httpx.AsyncClient, user_id: int) -> None:
    email = (await User.select(User.email).where(User.id == user_id).first())["email"]
    await client.get("/login")
    response = await client.post(
        "/login", data={"email": email, "password": PASSWORD, "_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


async def as_role(client: httpx.AsyncClient, role: str, organisation: int | None = None, **kwargs) -> int:
    """Create a user with `role` and sign the client in as them."""
    user_id = await user(role, organisation, **kwargs)
    await sign_in(client, user_id)
    return user_id


async def post_form(client: httpx.AsyncClient, url: str, data: dict, **kwargs) -> httpx.Response:
    """POST a form the way the browser sends it (CSRF token included)."""
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/login")
    return await client.post(url, data={**data, "_csrf_token": csrf(client)}, follow_redirects=False, **kwargs)


async def events(type: str) -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.type == type).order_by(AuditEvent.id)


async def run(type: str, payload: dict, actor: int | None, channel: str = "web"):
    """Execute a command directly (domain tests)."""
    from app.domain.core.commands import Command, execute

    return await execute(Command(type=type, payload=payload, actor_id=actor, channel=channel))
