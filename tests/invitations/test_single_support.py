"""Helpers for the single-invitation tests (no tests here): staff users,
a logged-in client, the invite form and direct commands."""

from __future__ import annotations

import re
import uuid

from app.domain.core.commands import Command, execute
from app.domain.registry import load_handlers
from app.storage.people import Invitation, Membership, Person
from app.storage.tables import AuditEvent, Organisation
from tests.conftest import csrf
from tests.support.factories import login, make_org, make_unit, make_user

__all__ = ["AuditEvent", "Invitation", "Membership", "Organisation", "Person", "make_org", "make_unit", "make_user"]

PERSON = {
    "last_name": "Dupré",
    "first_name": "Anaïs",
    "birth_date": "14/02/1992",
    "postcode": "9000",
    "email": "anais.dupre@example.be",
    "phone": "0470 12 34 56",
    "language": "fr",
    "delivery": "email",
}


async def staff(role: str = "hr", org: int | None = None, email: str | None = None) -> tuple[int, int]:
    """(organisation id, user id) of a staff member who speaks English."""
    org = org or await make_org(name="Brouwerij Test")
    email = email or f"{role}-{uuid.uuid4().hex[:6]}@example.be"
    user = await make_user(email, role=role, org=org, language="en")
    return org, user


async def signed_in(client, role: str = "hr", org: int | None = None) -> tuple[int, int]:
    org, user = await staff(role, org)
    from app.storage.tables import User

    email = (await User.select(User.email).where(User.id == user).first())["email"]
    response = await login(client, email)
    assert response.status_code == 303, response.text
    return org, user


def command_id_of(html: str) -> str:
    return re.search(r'name="command_id" value="([^"]+)"', html).group(1)


async def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST a form as a browser would (CSRF token, a fresh command id)."""
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/invitations")
    form = {"_csrf_token": csrf(client), "command_id": str(uuid.uuid4()), **(data or {})}
    return await client.post(path, data=form, follow_redirects=False, **kwargs)


async def invite(client, org: int, **fields):
    return await post_form(client, "/invitations", {**PERSON, "organisation_id": str(org), **fields})


async def run(type: str, payload: dict, actor_id: int | None, channel: str = "web"):
    load_handlers()
    return await execute(Command(type=type, payload=payload, actor_id=actor_id, channel=channel))


async def create(actor_id: int, org: int, **fields) -> dict:
    """invitations.create as `actor_id`; returns the outcome's ids (asserting it applied)."""
    outcome = await run(
        "invitations.create", {**PERSON, "organisation_id": str(org), "unit_id": None, **fields}, actor_id
    )
    assert outcome.applied, outcome.errors
    return outcome.ids


async def invitation(invitation_id: int) -> dict:
    return await Invitation.select().where(Invitation.id == invitation_id).first()


async def events(type: str) -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.type == type).order_by(AuditEvent.id)
