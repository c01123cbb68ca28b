"""What the worker's consent page shows: per organisation they joined, what it
may see now, for which purpose and until when, the open requests of
organisations, and the history of receipts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.core.commands import utcnow
from app.domain.passport.categories import known
from app.domain.passport.consent import in_force, joined_organisations
from app.storage.passport import ConsentRecord, ConsentRequest


@dataclass(frozen=True)
class OpenRequest:
    id: int
    organisation_id: int
    organisation_name: str
    categories: list[str]
    purpose: str
    created_at: datetime


@dataclass
class OrganisationConsent:
    id: int
    name: str
    kind: str
    categories: list[str] = field(default_factory=list)  # in force now
    purpose: str | None = None  # the purpose of the first category (the form's choice)
    expires_at: datetime | None = None
    request: OpenRequest | None = None
    # purpose -> categories shared for it (a request accepted for payroll
    # adds categories with their own purpose).
    by_purpose: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    receipt: str
    organisation_name: str
    action: str
    categories: list[str]
    purpose: str
    legal_basis: str
    channel: str
    notice_version: str
    at: datetime
    expires_at: datetime | None


async def open_requests(user_id: int) -> list[OpenRequest]:
    rows = await (
        ConsentRequest.select(
            ConsentRequest.id,
            ConsentRequest.organisation,
            ConsentRequest.organisation.name,
            ConsentRequest.categories,
            ConsentRequest.purpose,
            ConsentRequest.created_at,
        )
        .where((ConsentRequest.user == user_id) & (ConsentRequest.status == "open"))
        .order_by(ConsentRequest.created_at, ascending=False)
    )
    return [
        OpenRequest(
            row["id"],
            row["organisation"],
            row["organisation.name"],
            known(row["categories"].split(",")),
            row["purpose"],
            row["created_at"],
        )
        for row in rows
    ]


async def consent_overview(user_id: int) -> list[OrganisationConsent]:
    now = utcnow()
    requests = {request.organisation_id: request for request in await open_requests(user_id)}
    found = []
    for organisation in await joined_organisations(user_id):
        current = await in_force(user_id, organisation["id"], now)
        entry = OrganisationConsent(organisation["id"], organisation["name"], organisation["kind"])
        entry.categories = known(current)
        if current:
            first = current[entry.categories[0]]
            entry.purpose, entry.expires_at = first.purpose, min(c.expires_at for c in current.values())
            for code in entry.categories:
                entry.by_purpose.setdefault(current[code].purpose, []).append(code)
        entry.request = requests.get(organisation["id"])
        found.append(entry)
    return found


def _receipt(row: dict) -> Receipt:
    return Receipt(
        receipt=str(row["receipt"]),
        organisation_name=row["organisation_name"],
        action=row["action"],
        categories=known(row["categories"].split(",")) if row["categories"] else [],
        purpose=row["purpose"],
        legal_basis=row["legal_basis"],
        channel=row["channel"],
        notice_version=row["notice_version"],
        at=row["at"],
        expires_at=row["expires_at"],
    )


async def receipts(user_id: int, limit: int = 50) -> list[Receipt]:
    """The worker's consent receipts, newest first."""
    rows = await (
        ConsentRecord.select()
        .where(ConsentRecord.subject_id == user_id)
        .order_by(ConsentRecord.id, ascending=False)
        .limit(limit)
    )
    return [_receipt(row) for row in rows]


async def receipt(user_id: int, receipt_id: str) -> Receipt | None:
    """One of the worker's own receipts (None for anyone else's)."""
    import uuid

    try:
        key = uuid.UUID(receipt_id)
    except ValueError:
        return None
    row = (
        await ConsentRecord.select()
        .where((ConsentRecord.receipt == key) & (ConsentRecord.subject_id == user_id))
        .first()
    )
    return _receipt(row) if row else None


# The receipt's states in the vocabulary of ISO/IEC TS 27560 (consent record
# information structure).
STATES = {"grant": "given", "change": "given", "withdraw": "withdrawn", "expire": "expired"}


def receipt_record(found: Receipt, subject_id: int) -> dict:
    """One receipt as a machine-readable record shaped after ISO/IEC TS 27560:
    who (the PII principal), to whom (the controller), which PII categories,
    purpose, legal basis, time, channel (collection method), notice version."""
    return {
        "schema_version": "ISO/IEC TS 27560:2023",
        "record_id": found.receipt,
        "pii_principal_id": str(subject_id),
        "pii_controller": {"name": found.organisation_name},
        "event": found.action,
        "state": STATES.get(found.action, found.action),
        "timestamp": found.at.isoformat(),
        "expiry": found.expires_at.isoformat() if found.expires_at else None,
        "purposes": [{"purpose": found.purpose, "legal_basis": found.legal_basis, "pii_categories": found.categories}],
        "collection_method": found.channel,
        "notice": {"name": "Werkpas privacy notice", "version": found.notice_version},
    }
