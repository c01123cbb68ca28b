"""The data of the live server in test_import_live: one employer and an HR
user for bulk registration. Run as `python -m tests.invitations.live_seed`
with the server's environment; it migrates first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from app.config import load_settings, set_settings
from app.domain.accounts.passwords import hash_secret
from app.storage import db
from app.storage.migrate import migrate
from app.storage.tables import Organisation, RoleGrant, User

HR_EMAIL = "hr@deklok.example"
PASSWORD = "live import test password 7"


async def main() -> None:
    settings = load_settings()
    set_settings(settings)
    await migrate(settings, quiet=True)
    await db.connect()
    try:
        now = datetime.now(UTC)
        async with db.transaction():
            org = (
                await Organisation.insert(
                    Organisation(name="Brouwerij De Klok", slug="brouwerij-de-klok", kind="employer", created_at=now)
                ).returning(Organisation.id)
            )[0]["id"]
            user = (
                await User.insert(
                    User(
                        email=HR_EMAIL,
                        display_name="Hanne HR",
                        password_hash=hash_secret(PASSWORD),
                        language="nl",
                        organisation=org,
                        created_at=now,
                    )
                ).returning(User.id)
            )[0]["id"]
            await RoleGrant.insert(RoleGrant(user=user, role="hr", organisation=org, created_at=now))
    finally:
        await db.disconnect()
        db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
