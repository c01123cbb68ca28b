"""Invitations to register with, and the registration flow as a browser
would walk it (English pages, so assertions read the message ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.invitations import secrets
from app.domain.invitations.people import ensure_membership, ensure_person, issue_invitation, validate_person
from app.storage import db
from app.storage.people import Invitation
from tests.conftest import csrf

BIRTH = date(1990, 3, 25)
PASSWORD = "sunny garden path 42"


@dataclass
class Invite:
    id: int
    person_id: int
    code: str  # as printed: K7P-4QX-9MA
    link: str  # path of the link: /i/<id>.<signature>


async def invite(
    org: int,
    *,
    last="Peeters",
    first="Anna",
    birth=BIRTH,
    email: str | None = "anna@example.be",
    phone: str | None = None,
    unit: int | None = None,
    days: int = 30,
) -> Invite:
    raw = {
        "last_name": last,
        "first_name": first,
        "birth_date": birth,
        "postcode": "9000",
        "email": email or "",
        "phone": phone or "",
        "language": "nl",
    }
    fields, problems = validate_person(raw, "nl")
    assert not problems, problems
    async with db.transaction():
        person_id, _created = await ensure_person(fields, org)
        await ensure_membership(person_id, org, unit, "invitation")
        invitation_id = await issue_invitation(
            organisation_id=org,
            unit_id=unit,
            person_id=person_id,
            issued_by=None,
            delivery="email",
            language="nl",
            valid_days=days,
        )
    salt = (await Invitation.select(Invitation.salt).where(Invitation.id == invitation_id).first())["salt"]
    return Invite(
        id=invitation_id,
        person_id=person_id,
        code=secrets.display(secrets.code_for(secrets.INVITATION, salt)),
        link="/i/" + secrets.token_for(secrets.INVITATION, invitation_id, salt),
    )


async def invitation_row(invitation_id: int) -> dict:
    return await Invitation.select().where(Invitation.id == invitation_id).first()


def english(client) -> None:
    client.cookies.set("werkpas_lang", "en")


async def post(client, path: str, data: dict | None = None):
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/register")
    return await client.post(path, data={**(data or {}), "_csrf_token": csrf(client)}, follow_redirects=False)


async def enter_code(client, code: str):
    english(client)
    await client.get("/register")
    return await post(client, "/register", {"code": code})


async def confirm_birth_date(client, day="25", month="3", year="1990"):
    return await post(client, "/register/identity", {"day": day, "month": month, "year": year})


async def up_to_account(client, code: str, language: str = "en"):
    """Code, birth date, language and privacy: the account step is next."""
    assert (await enter_code(client, code)).headers["location"] == "/register/identity"
    assert (await confirm_birth_date(client)).headers["location"] == "/register/language"
    assert (await post(client, "/register/language", {"language": language})).headers["location"] == "/register/privacy"
    english(client)
    assert (await post(client, "/register/privacy", {"accept": "yes"})).headers["location"] == "/register/account"


async def register(client, code: str, password: str | None = PASSWORD, pin: str | None = None):
    await up_to_account(client, code)
    data = {}
    if password:
        data |= {"password": password, "password_confirmation": password}
    if pin:
        data |= {"pin": pin, "pin_confirmation": pin}
    return await post(client, "/register/account", data)
