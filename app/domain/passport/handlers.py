"""The passport's commands: the worker writes their own data and decides who
sees it. Every command acts on the actor's own passport only: there is no
user id in these payloads, so nobody can write someone else's passport."""

from __future__ import annotations

from datetime import date

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler
from app.domain.core.reasons import Reason
from app.domain.passport import consent, fields, store
from app.domain.passport.categories import CODES
from app.domain.passport.payloads import (
    EndMembership,
    SaveAddress,
    SaveBank,
    SaveContact,
    SaveIdentity,
    SetConsent,
    WithdrawConsent,
)
from app.domain.passport.reasons import CONSENT_CODES, FIELD_CODES, IDENTITY_CODES
from app.storage import db
from app.storage.tables import User

PERMISSION = "passport.view"


async def owner(command: Command) -> int:
    """The worker whose passport this is: the actor. Parallel commands of one
    worker take turns on their account row."""
    actor = await acting(command, PERMISSION)
    if actor.id is None:
        raise Rejected("not_allowed")
    await db.lock(User, actor.id)
    return actor.id


def _refuse(problems: dict[str, str], params: dict[str, dict[str, int]] | None = None) -> None:
    if problems:
        params = params or {}
        raise Rejected.of([Reason(code, name, params.get(name, {})) for name, code in problems.items()])


async def _save(command: Command, category: str, values: dict[str, str]) -> Effect:
    user_id = await owner(command)
    changed = await store.save_fields(user_id, category, values)
    # Names of the changed fields only, never their values.
    return Effect(target_type="passport", target_id=user_id, ids={"changed": changed}, detail=category)


@handler("passport.save_identity", SaveIdentity, codes=IDENTITY_CODES)
async def save_identity(command: Command[SaveIdentity]) -> Effect:
    """Save the identity part of one's passport: names, birth date, national number."""
    values, problems, params = fields.check_identity(
        {name: getattr(command.payload, name) for name in ("first_name", "last_name", "birth_date", "national_number")},
        date.today(),
    )
    _refuse(problems, params)
    return await _save(command, "identity", values)


@handler("passport.save_contact", SaveContact, codes=("email_syntax", "mobile_invalid"))
async def save_contact(command: Command[SaveContact]) -> Effect:
    """Save the contact part of one's passport: e-mail and mobile (E.164)."""
    values, problems = fields.check_contact({"email": command.payload.email, "mobile": command.payload.mobile})
    _refuse(problems)
    return await _save(command, "contact", values)


ADDRESS_CODES = (
    "street_missing",
    "house_number_missing",
    "house_number_invalid",
    "postcode_range",
    "town_missing",
    "text_too_long",
)


@handler("passport.save_address", SaveAddress, codes=ADDRESS_CODES)
async def save_address(command: Command[SaveAddress]) -> Effect:
    """Save one's address (a Belgian postcode)."""
    payload = command.payload
    values, problems = fields.check_address(
        {name: getattr(payload, name) for name in ("street", "house_number", "postcode", "town")}
    )
    _refuse(problems)
    return await _save(command, "address", values)


@handler("passport.save_bank", SaveBank, codes=("iban_format", "iban_checksum"))
async def save_bank(command: Command[SaveBank]) -> Effect:
    """Save one's bank account (IBAN), kept encrypted."""
    values, problems = fields.check_bank({"iban": command.payload.iban})
    _refuse(problems)
    return await _save(command, "bank", values)


async def _joined(user_id: int, organisation_id: int) -> None:
    # Another organisation than one's own is answered like one that does not exist.
    if not await consent.has_joined(user_id, organisation_id):
        raise Rejected("not_found")


@handler("passport.set_consent", SetConsent, codes=tuple(CONSENT_CODES))
async def set_consent(command: Command[SetConsent]) -> Effect:
    """Give, change or withdraw consent: what one organisation may see of one's passport, and why."""
    payload = command.payload
    user_id = await owner(command)
    await _joined(user_id, payload.organisation_id)
    if any(code not in CODES for code in payload.categories):
        raise Rejected("categories_unknown", "categories")
    if payload.purpose not in consent.PURPOSES:
        raise Rejected("purpose_unknown", "purpose")
    action, receipt = await consent.set_consent(
        user_id=user_id,
        organisation_id=payload.organisation_id,
        categories=list(payload.categories),
        purpose=payload.purpose,
        channel=command.channel,
        actor_id=command.actor_id,
    )
    return Effect(
        target_type="consent",
        target_id=str(receipt or ""),
        organisation_id=payload.organisation_id,
        ids={"action": action, "receipt": str(receipt) if receipt else None},
        detail=action or "unchanged",
    )


@handler("passport.withdraw_consent", WithdrawConsent)
async def withdraw_consent(command: Command[WithdrawConsent]) -> Effect:
    """Withdraw every consent given to one organisation."""
    user_id = await owner(command)
    await _joined(user_id, command.payload.organisation_id)
    action, receipt = await consent.set_consent(
        user_id=user_id,
        organisation_id=command.payload.organisation_id,
        categories=[],
        purpose=consent.DEFAULT_PURPOSE,
        channel=command.channel,
        actor_id=command.actor_id,
    )
    return Effect(
        target_type="consent",
        target_id=str(receipt or ""),
        organisation_id=command.payload.organisation_id,
        ids={"action": action, "receipt": str(receipt) if receipt else None},
        detail=action or "unchanged",
    )


@handler("passport.end_membership", EndMembership)
async def end_membership(command: Command[EndMembership]) -> Effect:
    """Withdraw what a worker shared with an organisation they no longer belong to (after their role was revoked)."""
    actor = await acting(command, "admin.grants")
    payload = command.payload
    if not actor.covers(payload.organisation_id):
        raise Rejected("not_found")
    await db.lock(User, payload.user_id)
    receipt = await consent.end_membership(payload.user_id, payload.organisation_id, command.channel, command.actor_id)
    return Effect(
        target_type="consent",
        target_id=str(receipt or ""),
        organisation_id=payload.organisation_id,
        ids={"receipt": str(receipt) if receipt else None, "user_id": payload.user_id},
        detail="withdraw" if receipt else "unchanged",
    )


__all__ = ["FIELD_CODES"]
