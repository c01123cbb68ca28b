"""`werkpas createadmin`: the first platform admin, from the terminal."""

from __future__ import annotations

from app.config import Settings
from app.domain.accounts import token_secret
from app.domain.admin.payloads import CreateStaffUser
from app.domain.core.commands import Command, execute
from app.domain.core.reasons import message_id
from app.domain.registry import load_handlers
from app.storage import db


async def create_platform_admin(settings: Settings, email: str, name: str, language: str) -> int:
    """Create a platform admin without a password and queue the set-password
    mail; the link is printed too, since the first admin may have no mail set
    up yet. Migrations are not run here (`werkpas migrate` does that)."""
    load_handlers()
    db.configure(settings)
    await db.connect()
    try:
        outcome = await execute(
            Command(
                type="admin.create_staff_user",
                payload=CreateStaffUser(name=name, email=email, language=language, role="platform_admin"),
                actor_id=None,
                channel="cli",
            )
        )
        if not outcome.applied:
            # The terminal has no locale: the messages' English ids.
            print("werkpas: " + " ".join(message_id(code, "admin") or code for code in outcome.errors.values()))
            return 1
        secret = await token_secret(outcome.ids["token_id"])
    finally:
        await db.disconnect()
    print(f"Platform admin created: {email.strip().lower()} (user {outcome.ids['user_id']}).")
    print(
        f"A mail with the set-password link is queued for {email.strip().lower()}; "
        "it is sent by the job worker (werkpas serve or werkpas worker)."
    )
    print(f"Set-password link (valid for 7 days, single use): {settings.base_url}/password/set/{secret}")
    return 0
