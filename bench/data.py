"""The bench's database: migrated, with one platform admin and enough staff
in one organisation that the admin users list shows a full page of 50 rows.

Rows are inserted directly: the bench measures reading, and the data is the
same kind the admin commands would write."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.config import Settings, set_settings
from app.domain.accounts.passwords import hash_secret
from app.storage import db
from app.storage.migrate import migrate
from app.storage.tables import Organisation, RoleGrant, Unit, User

ADMIN_EMAIL = "bench-admin@werkpas.test"
ADMIN_PASSWORD = "bench password 4 werkpas"
STAFF_USERS = 80
ROLES = ("consultant", "hr", "team_lead", "planner")


@dataclass(frozen=True)
class BenchData:
    admin_email: str
    admin_password: str
    organisation_id: int
    staff_users: int


def load(settings: Settings) -> BenchData:
    return asyncio.run(_load(settings))


async def _load(settings: Settings) -> BenchData:
    set_settings(settings)
    await migrate(settings, quiet=True)
    await db.connect()
    try:
        return await _insert()
    finally:
        await db.disconnect()
        db.dispose()


async def _insert() -> BenchData:
    now = datetime.now(UTC)
    async with db.transaction():
        org = (
            await Organisation.insert(
                Organisation(name="Bench Uitzendkrachten NV", slug="bench-agency", kind="agency", created_at=now)
            ).returning(Organisation.id)
        )[0]["id"]
        # A second organisation, so the list shows its organisation filter.
        await Organisation.insert(
            Organisation(name="Bench Werkgever BV", slug="bench-employer", kind="employer", created_at=now)
        )
        site = (
            await Unit.insert(Unit(organisation=org, name="Bench site Gent", kind="site", created_at=now)).returning(
                Unit.id
            )
        )[0]["id"]
        await Unit.update({Unit.path: f"/{site}/"}).where(Unit.id == site)
        admin = (
            await User.insert(
                User(
                    email=ADMIN_EMAIL,
                    display_name="Bench Admin",
                    password_hash=hash_secret(ADMIN_PASSWORD),
                    language="en",
                    created_at=now,
                )
            ).returning(User.id)
        )[0]["id"]
        await RoleGrant.insert(RoleGrant(user=admin, role="platform_admin", created_at=now))
        staff = [
            User(
                email=f"staff{n:03d}@bench.werkpas.test",
                display_name=f"Medewerker {n:03d} Peeters",
                language=("nl", "fr", "en")[n % 3],
                organisation=org,
                is_active=n % 10 != 0,
                last_login_at=now - timedelta(hours=n),
                created_at=now,
            )
            for n in range(1, STAFF_USERS + 1)
        ]
        ids = [row["id"] for row in await User.insert(*staff).returning(User.id)]
        await RoleGrant.insert(
            *[
                RoleGrant(user=user_id, role=ROLES[i % len(ROLES)], organisation=org, unit=site, created_at=now)
                for i, user_id in enumerate(ids)
            ]
        )
    return BenchData(
        admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD, organisation_id=org, staff_users=STAFF_USERS
    )
