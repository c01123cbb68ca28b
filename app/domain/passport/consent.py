"""Consent: per organisation and per category, with a purpose and an expiry.

Rules (documented for the team):
- A worker consents only to organisations they joined (a worker or
  ambassador role there, from accepting its invitation): joining and
  consenting are separate, explicit choices.
- A consent in force is a Consent row with `expires_at` in the future. The
  check compares with the clock itself, so an expired consent stops at once,
  before the daily job tidies it up (and writes its receipt).
- Every grant, change, withdrawal and expiry writes a ConsentRecord receipt
  (ISO/IEC TS 27560 shape); receipts are never changed or deleted.
- Withdrawal deletes the Consent rows: the organisation's very next request
  finds nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.core.commands import utcnow
from app.domain.passport.categories import known
from app.i18n import lazy
from app.storage.passport import Consent, ConsentRecord, ConsentRequest
from app.storage.tables import Organisation, RoleGrant

# Our default (DESIGN.md: numbers no seed gives): a consent lasts 12 months.
DEFAULT_MONTHS = 12
NOTICE_VERSION = "2026-12"
WORKER_ROLES = ("worker", "ambassador")

PURPOSES = {
    "staffing": lazy("Finding and offering you work"),
    "payroll": lazy("Contracts and pay"),
}
DEFAULT_PURPOSE = "staffing"
# Masked numbers are shown in full only when the consent's purpose needs them.
REVEALING_PURPOSES = ("payroll",)

ACTIONS = {
    "grant": lazy("Given"),
    "change": lazy("Changed"),
    "withdraw": lazy("Withdrawn"),
    "expire": lazy("Expired"),
}


def expiry_from(moment: datetime, months: int = DEFAULT_MONTHS) -> datetime:
    """`months` later on the same day of the month (the last day when the
    month is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment + timedelta(days=30 * months)


@dataclass(frozen=True)
class InForce:
    category: str
    purpose: str
    granted_at: datetime
    expires_at: datetime


async def in_force(user_id: int, organisation_id: int, now: datetime | None = None) -> dict[str, InForce]:
    """The categories this organisation may see of this worker right now."""
    now = now or utcnow()
    rows = await Consent.select(Consent.category, Consent.purpose, Consent.granted_at, Consent.expires_at).where(
        (Consent.user == user_id) & (Consent.organisation == organisation_id) & (Consent.expires_at > now)
    )
    return {
        row["category"]: InForce(row["category"], row["purpose"], row["granted_at"], row["expires_at"]) for row in rows
    }


async def joined_organisations(user_id: int) -> list[dict]:
    """The organisations the worker joined ({id, name, kind}), by name."""
    rows = await RoleGrant.select(
        RoleGrant.organisation.id, RoleGrant.organisation.name, RoleGrant.organisation.kind
    ).where(
        (RoleGrant.user == user_id) & RoleGrant.role.is_in(list(WORKER_ROLES)) & RoleGrant.organisation.is_not_null()
    )
    found = {
        row["organisation.id"]: {
            "id": row["organisation.id"],
            "name": row["organisation.name"],
            "kind": row["organisation.kind"],
        }
        for row in rows
    }
    return sorted(found.values(), key=lambda org: org["name"].casefold())


async def has_joined(user_id: int, organisation_id: int) -> bool:
    return await RoleGrant.exists().where(
        (RoleGrant.user == user_id)
        & RoleGrant.role.is_in(list(WORKER_ROLES))
        & (RoleGrant.organisation == organisation_id)
    )


async def organisation_name(organisation_id: int) -> str:
    row = await Organisation.select(Organisation.name).where(Organisation.id == organisation_id).first()
    return row["name"] if row else ""


async def write_receipt(
    *,
    user_id: int,
    organisation_id: int,
    action: str,
    categories: list[str],
    purpose: str,
    channel: str,
    actor_id: int | None,
    at: datetime,
    expires_at: datetime | None,
) -> uuid.UUID:
    receipt = uuid.uuid4()
    await ConsentRecord.insert(
        ConsentRecord(
            receipt=receipt,
            subject_id=user_id,
            organisation_id=organisation_id,
            organisation_name=await organisation_name(organisation_id),
            action=action,
            categories=",".join(known(categories)),
            purpose=purpose,
            legal_basis="consent",
            channel=channel,
            notice_version=NOTICE_VERSION,
            at=at,
            expires_at=expires_at,
            actor_id=actor_id,
        )
    )
    return receipt


async def set_consent(
    *,
    user_id: int,
    organisation_id: int,
    categories: list[str],
    purpose: str,
    channel: str,
    actor_id: int | None,
) -> tuple[str | None, uuid.UUID | None]:
    """Makes the worker's consent to this organisation exactly `categories`
    for `purpose`, from now for DEFAULT_MONTHS. Returns (the receipt's action,
    its id), or (None, None) when nothing changed. Runs inside a command's
    transaction; the caller holds the worker's row lock."""
    now = utcnow()
    wanted = known(categories)
    current = await in_force(user_id, organisation_id, now)
    if set(current) == set(wanted) and all(c.purpose == purpose for c in current.values()) and wanted:
        # The same choice again renews it: a new receipt, a new expiry.
        pass
    elif not wanted and not current:
        # Nothing in force; an expired row may linger until the job passes.
        await Consent.delete().where((Consent.user == user_id) & (Consent.organisation == organisation_id))
        return None, None
    await Consent.delete().where((Consent.user == user_id) & (Consent.organisation == organisation_id))
    if not wanted:
        receipt = await write_receipt(
            user_id=user_id,
            organisation_id=organisation_id,
            action="withdraw",
            categories=sorted(current),
            purpose=next(iter(current.values())).purpose,
            channel=channel,
            actor_id=actor_id,
            at=now,
            expires_at=None,
        )
        return "withdraw", receipt
    expires = expiry_from(now)
    action = "change" if current else "grant"
    receipt = await write_receipt(
        user_id=user_id,
        organisation_id=organisation_id,
        action=action,
        categories=wanted,
        purpose=purpose,
        channel=channel,
        actor_id=actor_id,
        at=now,
        expires_at=expires,
    )
    for code in wanted:
        await Consent.insert(
            Consent(
                user=user_id,
                organisation=organisation_id,
                category=code,
                purpose=purpose,
                granted_at=now,
                expires_at=expires,
                receipt=receipt,
            )
        )
    return action, receipt


async def add_categories(
    *,
    user_id: int,
    organisation_id: int,
    categories: list[str],
    purpose: str,
    channel: str,
    actor_id: int | None,
) -> uuid.UUID:
    """Adds (or renews) these categories for `purpose`, leaving every other
    category the organisation may see with its own purpose and expiry: an
    accepted request for the bank account for payroll does not turn the
    identity shared for staffing into payroll (which would unmask numbers).
    Runs inside a command's transaction; the caller holds the worker's lock."""
    now = utcnow()
    wanted = known(categories)
    current = await in_force(user_id, organisation_id, now)
    expires = expiry_from(now)
    receipt = await write_receipt(
        user_id=user_id,
        organisation_id=organisation_id,
        action="change" if current else "grant",
        categories=wanted,
        purpose=purpose,
        channel=channel,
        actor_id=actor_id,
        at=now,
        expires_at=expires,
    )
    mine = (Consent.user == user_id) & (Consent.organisation == organisation_id)
    await Consent.delete().where(mine & (Consent.category.is_in(wanted) | (Consent.expires_at <= now)))
    for code in wanted:
        await Consent.insert(
            Consent(
                user=user_id,
                organisation=organisation_id,
                category=code,
                purpose=purpose,
                granted_at=now,
                expires_at=expires,
                receipt=receipt,
            )
        )
    return receipt


async def end_membership(user_id: int, organisation_id: int, channel: str, actor_id: int | None) -> uuid.UUID | None:
    """The worker no longer belongs to the organisation (their worker or
    ambassador role was revoked): what they shared with it is withdrawn at
    once, with a receipt, unless they still hold another worker role there."""
    if await has_joined(user_id, organisation_id):
        return None
    current = await in_force(user_id, organisation_id)
    await Consent.delete().where((Consent.user == user_id) & (Consent.organisation == organisation_id))
    await ConsentRequest.update({ConsentRequest.status: "refused", ConsentRequest.answered_at: utcnow()}).where(
        (ConsentRequest.user == user_id)
        & (ConsentRequest.organisation == organisation_id)
        & (ConsentRequest.status == "open")
    )
    if not current:
        return None
    return await write_receipt(
        user_id=user_id,
        organisation_id=organisation_id,
        action="withdraw",
        categories=sorted(current),
        purpose=next(iter(current.values())).purpose,
        channel=channel,
        actor_id=actor_id,
        at=utcnow(),
        expires_at=None,
    )
