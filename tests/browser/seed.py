"""The live server's data for browser tests: one agency with a small unit
tree and a user per kind of page to visit. Run as `python -m tests.browser.seed`
with the server's environment; it migrates first.

Rows are inserted directly: the browser tests exercise the admin commands
through the real forms, not through this set-up."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from app.config import load_settings, set_settings
from app.domain.accounts.passwords import hash_secret
from app.storage import db
from app.storage.migrate import migrate
from app.storage.tables import Organisation, RoleGrant, Unit, User

PASSWORD = "browser test password 42"
ORGANISATION = "Uitzendbureau Noord"
SITE = "Vestiging Gent"
DEPARTMENT = "Logistiek"


@dataclass(frozen=True)
class SeedUser:
    email: str
    name: str
    role: str | None  # None: a staff account without any role yet
    language: str = "nl"


USERS = {
    "admin": SeedUser("anna.admin@werkpas.test", "Anna Admin", "platform_admin"),
    "orgadmin": SeedUser("bram.beheer@noord.test", "Bram Beheer", "org_admin"),
    "staff": SeedUser("sara.consulent@noord.test", "Sara Consulent", "consultant"),
    "newcomer": SeedUser("tom.nieuw@noord.test", "Tom Nieuw", None),
}


async def _unit(organisation: int, name: str, kind: str, parent: dict | None, now: datetime) -> dict:
    row = (
        await Unit.insert(
            Unit(
                organisation=organisation, name=name, kind=kind, parent=parent["id"] if parent else None, created_at=now
            )
        ).returning(Unit.id)
    )[0]
    path = f"{parent['path'] if parent else '/'}{row['id']}/"
    await Unit.update({Unit.path: path}).where(Unit.id == row["id"])
    return {"id": row["id"], "path": path}


async def _seed() -> None:
    now = datetime.now(UTC)
    password_hash = hash_secret(PASSWORD)
    async with db.transaction():
        org = (
            await Organisation.insert(
                Organisation(name=ORGANISATION, slug="noord", kind="agency", created_at=now)
            ).returning(Organisation.id)
        )[0]["id"]
        site = await _unit(org, SITE, "site", None, now)
        await _unit(org, DEPARTMENT, "department", site, now)
        for user in USERS.values():
            organisation = None if user.role == "platform_admin" else org
            row = (
                await User.insert(
                    User(
                        email=user.email,
                        display_name=user.name,
                        password_hash=password_hash,
                        language=user.language,
                        organisation=organisation,
                        created_at=now,
                    )
                ).returning(User.id)
            )[0]
            if user.role == "platform_admin":
                await RoleGrant.insert(RoleGrant(user=row["id"], role=user.role, created_at=now))
            elif user.role:
                await RoleGrant.insert(
                    RoleGrant(
                        user=row["id"],
                        role=user.role,
                        organisation=org,
                        unit=site["id"] if user.role != "org_admin" else None,
                        created_at=now,
                    )
                )
        await _seed_invitations(org, password_hash, now)
        await _seed_passport(org, password_hash, now)


# -- invitations (issue 4) ----------------------------------------------------
# An hr user for the bulk registration and invitation pages. Kept out of USERS
# so the pages and sign-ins of the other browser tests stay as they were; the
# invitation tests sign in with HR themselves.
HR = SeedUser("hanne.personeel@noord.test", "Hanne Personeel", "hr")


async def _seed_invitations(org: int, password_hash: str, now: datetime) -> None:
    """hr on the whole organisation (no unit): imports are organisation-wide."""
    row = (
        await User.insert(
            User(
                email=HR.email,
                display_name=HR.name,
                password_hash=password_hash,
                language=HR.language,
                organisation=org,
                created_at=now,
            )
        ).returning(User.id)
    )[0]
    await RoleGrant.insert(RoleGrant(user=row["id"], role=HR.role, organisation=org, unit=None, created_at=now))


# -- passport (issue 10) ------------------------------------------------------
# A worker who finished the introduction, for the passport forms. Kept out of
# USERS like HR: the passport tests sign in with this worker themselves.
PASSPORT_WORKER = SeedUser("wim.werker@noord.test", "Wim Werker", "worker")


async def _seed_passport(org: int, password_hash: str, now: datetime) -> None:
    row = (
        await User.insert(
            User(
                email=PASSPORT_WORKER.email,
                display_name=PASSPORT_WORKER.name,
                password_hash=password_hash,
                language=PASSPORT_WORKER.language,
                organisation=org,
                created_at=now,
                onboarded_at=now,
            )
        ).returning(User.id)
    )[0]
    await RoleGrant.insert(RoleGrant(user=row["id"], role="worker", organisation=org, unit=None, created_at=now))


async def main() -> None:
    settings = load_settings()
    set_settings(settings)
    await migrate(settings, quiet=True)
    await db.connect()
    try:
        await _seed()
    finally:
        await db.disconnect()
        db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
