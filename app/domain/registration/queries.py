"""Reads of the registration area: finding an invitation by link or code,
what state it is in, and what the worker's passport page shows."""

from __future__ import annotations

import hmac
from datetime import datetime

from app.domain import invitations
from app.domain.core.commands import utcnow
from app.domain.invitations import OPEN, unusable
from app.domain.registration.rules import PIN_RESET
from app.storage.people import Invitation, Membership, Person
from app.storage.tables import Organisation, RoleGrant, SecretToken, User

OPEN_STATUSES = OPEN  # the invitation lifecycle's open statuses


async def invitation_by_token(token: str) -> dict | None:
    parts = invitations.secrets.split_token(token)
    if parts is None or parts[0] > 2_147_483_647:
        return None
    row = await Invitation.select().where(Invitation.id == parts[0]).first()
    if row is None or not invitations.secrets.token_matches(invitations.secrets.INVITATION, token, row["salt"]):
        return None
    return row


async def invitation_by_code(code: str) -> dict | None:
    """`code` as returned by invitations.secrets.normalise()."""
    return (
        await Invitation.select()
        .where(Invitation.code_lookup == invitations.secrets.code_lookup(invitations.secrets.INVITATION, code))
        .first()
    )


async def invitation(invitation_id: int) -> dict | None:
    return await Invitation.select().where(Invitation.id == invitation_id).first()


def problem_of(row: dict, now: datetime | None = None) -> str | None:
    """Why this invitation cannot be used now: "revoked", "registered",
    "expired" or "locked"; None when it can (the invitation lifecycle decides)."""
    return unusable(row, now)


async def registration_view(invitation_id: int) -> dict | None:
    """What the registration pages show: the organisation, and whether the
    person already has an account (then registering only links them)."""
    row = await (
        Invitation.select(
            Invitation.id,
            Invitation.organisation.name,
            Invitation.person.user,
            Invitation.person.email,
            Invitation.person.phone,
            Invitation.person.birth_date,
        )
        .where(Invitation.id == invitation_id)
        .first()
    )
    if row is None:
        return None
    has_account = row["person.user"] is not None and await User.exists().where(
        (User.id == row["person.user"]) & (User.is_active == True)  # noqa: E712
    )
    phone = row["person.phone"]
    return {
        "organisation": row["organisation.name"],
        "has_account": has_account,
        "email": row["person.email"],
        "birth_date": row["person.birth_date"],
        # A password needs a name to log in with: the e-mail address, or a
        # phone number no other account uses. Without one, only the PIN
        # (with the badge at the kiosk) works: the PIN-only path.
        "password_possible": bool(row["person.email"]) or (bool(phone) and not await phone_in_use(phone)),
    }


async def phone_in_use(phone: str) -> bool:
    return await User.exists().where(User.phone == phone)


async def worker_organisations(user_id: int) -> list[str]:
    """Names of the organisations where the user is a worker or ambassador."""
    rows = await (
        RoleGrant.select(RoleGrant.organisation.name)
        .where(
            (RoleGrant.user == user_id)
            & RoleGrant.role.is_in(["worker", "ambassador"])
            & RoleGrant.organisation.is_not_null()
        )
        .order_by(RoleGrant.organisation.name)
    )
    return sorted({row["organisation.name"] for row in rows})


async def person_for_pin_reset(person_id: int) -> dict | None:
    """The person record staff are about to give a PIN reset code, with its
    organisation and the path of its roster unit there (for the staff
    member's reach). Only the record's own organisation counts: another
    organisation's roster or roles never open it."""
    row = (
        await Person.select(
            Person.id, Person.first_name, Person.last_name, Person.user, Person.organisation, Person.language
        )
        .where(Person.id == person_id)
        .first()
    )
    if row is None or row["organisation"] is None:
        return None
    membership = (
        await Membership.select(Membership.id, Membership.unit.path.as_alias("unit_path"))
        .where((Membership.person == person_id) & (Membership.organisation == row["organisation"]))
        .first()
    )
    if membership is None:
        return None
    row["unit_path"] = membership["unit_path"]
    return row


async def organisation_name(organisation_id: int) -> str | None:
    row = await Organisation.select(Organisation.name).where(Organisation.id == organisation_id).first()
    return row["name"] if row else None


def pin_reset_code(salt: str) -> str:
    return invitations.secrets.code_for(PIN_RESET, salt)


async def pin_reset_salt(token_id: int) -> str | None:
    token = await pin_reset_token(token_id)
    return token["salt"] if token else None


async def pin_reset_token(token_id: int) -> dict | None:
    """The salt (the code is derived from it) and the expiry of a PIN reset
    code, for the slip staff print."""
    return (
        await SecretToken.select(SecretToken.salt, SecretToken.expires_at)
        .where((SecretToken.id == token_id) & (SecretToken.purpose == PIN_RESET))
        .first()
    )


async def pin_reset_by_code(code: str) -> dict | None:
    """The open PIN reset token whose code this is. Open reset codes are few
    (single use, one day, one per person), so they are compared one by one."""
    rows = await SecretToken.select(SecretToken.id, SecretToken.user, SecretToken.salt).where(
        (SecretToken.purpose == PIN_RESET) & SecretToken.used_at.is_null() & (SecretToken.expires_at > utcnow())
    )
    found = None
    for row in rows:
        if hmac.compare_digest(pin_reset_code(row["salt"]), code):
            found = row
    return found


async def birth_date_of_user(user_id: int):
    row = await Person.select(Person.birth_date).where(Person.user == user_id).first()
    return row["birth_date"] if row else None


def pin_reset_scope(actor, person: dict) -> list[int]:
    """[the record's organisation] when `actor` (a CurrentUser) may issue a
    PIN reset code for it (the person's roster unit, or the whole
    organisation, is within their reach); empty otherwise (then the person is
    "not found")."""
    reach = actor.reach("invitations.manage")
    return [person["organisation"]] if reach.covers(person["organisation"], person["unit_path"]) else []
