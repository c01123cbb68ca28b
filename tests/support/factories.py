"""Test data for any area: organisations, units, users with a role, and a
logged-in client. Rows are inserted directly (no commands), so tests can set
up any state, including states the UI would refuse.

    org = await make_org(kind="agency", slug="flexwerk")
    site = await make_unit(org, "Gent", "site")
    user = await make_user("an@example.be", PASSWORD, role="team_lead", org=org, unit=site)
    await login(client, "an@example.be", PASSWORD)
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from app.domain.accounts.passwords import hash_secret
from app.storage.tables import Organisation, RoleGrant, Unit, User
from tests.conftest import PASSWORD, csrf

_counter = itertools.count(1)


def _now() -> datetime:
    return datetime.now(UTC)


async def make_org(
    kind: str = "employer", slug: str | None = None, name: str | None = None, language: str = "nl"
) -> int:
    slug = slug or f"org-{next(_counter)}"
    rows = await Organisation.insert(
        Organisation(
            name=name or slug.replace("-", " ").title(),
            slug=slug,
            kind=kind,
            default_language=language,
            created_at=_now(),
        )
    )
    return rows[0]["id"]


async def make_unit(org: int, name: str, kind: str = "site", parent: int | None = None) -> int:
    """A unit with its materialised path ("/<root id>/.../<own id>/")."""
    rows = await Unit.insert(Unit(organisation=org, parent=parent, name=name, kind=kind, path="", created_at=_now()))
    unit_id = rows[0]["id"]
    prefix = "/"
    if parent is not None:
        prefix = (await Unit.select(Unit.path).where(Unit.id == parent).first())["path"]
    await Unit.update({Unit.path: f"{prefix}{unit_id}/"}).where(Unit.id == unit_id)
    return unit_id


async def grant(user: int, role: str, org: int | None = None, unit: int | None = None) -> int:
    if unit is not None and org is None:
        org = (await Unit.select(Unit.organisation).where(Unit.id == unit).first())["organisation"]
    rows = await RoleGrant.insert(RoleGrant(user=user, role=role, organisation=org, unit=unit, created_at=_now()))
    return rows[0]["id"]


async def make_user(
    email: str | None,
    password: str | None = PASSWORD,
    role: str | None = None,
    org: int | None = None,
    unit: int | None = None,
    language: str = "nl",
    display_name: str | None = None,
    **columns,
) -> int:
    """A user (password None: no password yet), with one role grant when
    `role` is given: platform_admin on nothing, other roles on `unit`, or on
    the whole `org`. Extra keyword arguments set other User columns
    (is_active, last_login_at, created_at, ...)."""
    if unit is not None and org is None:
        org = (await Unit.select(Unit.organisation).where(Unit.id == unit).first())["organisation"]
    values = {
        "email": email,
        "display_name": display_name or (email.split("@")[0].replace(".", " ").title() if email else "Test user"),
        "password_hash": hash_secret(password) if password else None,
        "language": language,
        "organisation": org,
        "is_active": True,
        "created_at": _now(),
        **columns,
    }
    rows = await User.insert(User(**values))
    user_id = rows[0]["id"]
    if role == "platform_admin":
        await grant(user_id, role)
    elif role is not None:
        await grant(user_id, role, org, unit)
    return user_id


async def login(client, email: str, password: str = PASSWORD, next: str | None = None, headers: dict | None = None):
    """Log in through the real form; returns the POST's response (303 on success)."""
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/login", headers=headers)
    data = {"email": email, "password": password, "_csrf_token": csrf(client)}
    if next is not None:
        data["next"] = next
    return await client.post("/login", data=data, headers=headers, follow_redirects=False)
