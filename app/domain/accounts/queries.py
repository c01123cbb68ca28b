"""Reads of the accounts area: who is logging in, who a link belongs to,
and what the start page shows."""

from __future__ import annotations

from piccolo.query.functions.string import Lower

from app.domain.core.access import STAFF_ROLES
from app.domain.core.text import normalise_phone
from app.storage.people import Person
from app.storage.tables import RoleGrant, User


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


async def user_by_email(email: str) -> dict | None:
    """The account for a login or reset form (e-mails compare case-insensitively)."""
    email = normalise_email(email)
    if not email or len(email) > 254:
        return None
    return await (
        User.select(
            User.id,
            User.email,
            User.password_hash,
            User.is_active,
            User.organisation,
            User.language,
            User.session_version,
        )
        .where(Lower(User.email) == email)
        .first()
    )


async def user_by_phone(phone: str) -> dict | None:
    """The account for a login by phone number, when exactly one account
    has that number (a shared family phone must not log into the wrong one)."""
    number = normalise_phone(phone)
    if number is None:
        return None
    rows = await (
        User.select(
            User.id,
            User.email,
            User.password_hash,
            User.is_active,
            User.organisation,
            User.language,
            User.session_version,
        )
        .where(User.phone == number)
        .limit(2)
    )
    return rows[0] if len(rows) == 1 else None


async def user_for_mail(user_id: int) -> dict | None:
    return await (
        User.select(User.id, User.email, User.display_name, User.language, User.is_active)
        .where(User.id == user_id)
        .first()
    )


async def is_staff(user_id: int) -> bool:
    """Staff = holds at least one role other than worker/ambassador. Workers
    (with or without a password) follow their own rules in later issues."""
    return await RoleGrant.exists().where((RoleGrant.user == user_id) & RoleGrant.role.is_in(list(STAFF_ROLES)))


async def is_registered_worker(user_id: int) -> bool:
    """A worker account made by registration (linked to a person record)."""
    return await Person.exists().where(Person.user == user_id)


async def roles_overview(user_id: int) -> list[dict]:
    """The user's roles grouped per organisation, for the start page:
    [{"organisation": name or None, "roles": [{"role", "unit"}]}]; the
    platform-wide grant (no organisation) comes first."""
    grants = await (
        RoleGrant.select(RoleGrant.role, RoleGrant.organisation, RoleGrant.organisation.name, RoleGrant.unit.name)
        .where(RoleGrant.user == user_id)
        .order_by(RoleGrant.organisation.name)
        .order_by(RoleGrant.role)
    )
    groups: dict[int | None, dict] = {}
    for grant in grants:
        group = groups.setdefault(grant["organisation"], {"organisation": grant["organisation.name"], "roles": []})
        group["roles"].append({"role": grant["role"], "unit": grant["unit.name"]})
    return sorted(groups.values(), key=lambda group: (group["organisation"] is not None, group["organisation"] or ""))


async def organisation_of(user_id: int) -> int | None:
    row = await User.select(User.organisation).where(User.id == user_id).first()
    return row["organisation"] if row else None
