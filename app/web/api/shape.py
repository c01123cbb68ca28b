"""From what the read path returns (app.domain.passport.Shared) to the API's
structs: one object per consented category, nothing for the others."""

from __future__ import annotations

from typing import Any

from app.domain import api
from app.domain.passport import Shared
from app.web.api import schemas

FIELD_CATEGORIES: dict[str, tuple[type, type]] = {
    "identity": (schemas.Identity, schemas.IdentityFields),
    "contact": (schemas.Contact, schemas.ContactFields),
    "address": (schemas.Address, schemas.AddressFields),
    "bank": (schemas.Bank, schemas.BankFields),
    "preferences": (schemas.Preferences, schemas.PreferencesFields),
    "mobility": (schemas.Mobility, schemas.MobilityFields),
    "availability": (schemas.Availability, schemas.AvailabilityFields),
}
ITEM_CATEGORIES = ("education", "training", "certificates", "skills", "languages")


def summary(row: api.WorkerRow) -> schemas.WorkerSummary:
    return schemas.WorkerSummary(id=row.id, updated_at=row.updated_at, categories=row.categories)  # type: ignore[arg-type]


def _value(found: Any) -> schemas.Value:
    return schemas.Value(value=found.value, verified_by=found.source.verified_by, verified_at=found.source.verified_at)


def _item(item: Any) -> schemas.Item:
    return schemas.Item(
        id=item.id,
        kind=item.kind,
        name=item.name,
        level=item.level,
        issued_on=item.issued_on,
        expires_on=item.expires_on,
        document_id=item.document_id,
        verified_by=item.source.verified_by,
        verified_at=item.source.verified_at,
        updated_at=item.updated_at,
    )


def worker_of(shared: Shared) -> schemas.Worker:
    contents = shared.contents
    present: dict[str, Any] = {}
    for code in shared.categories:
        consent = schemas.Consent(purpose=shared.purposes[code], expires_at=shared.expires[code])
        if code in FIELD_CATEGORIES:
            wrapper, fields = FIELD_CATEGORIES[code]
            known = set(fields.__struct_fields__)
            values = {
                name: _value(found)
                for name, found in contents.fields.get(code, {}).items()
                if name in known and found.value
            }
            present[code] = wrapper(consent=consent, fields=fields(**values))
        elif code in ITEM_CATEGORIES:
            present[code] = schemas.Items(consent=consent, items=[_item(item) for item in contents.items.get(code, [])])
        elif code == "documents":
            present[code] = schemas.Documents(
                consent=consent,
                documents=[
                    schemas.Document(
                        id=doc.id, name=doc.name, media_type=doc.media_type, size=doc.size, created_at=doc.created_at
                    )
                    for doc in contents.documents
                ],
            )
    return schemas.Worker(id=shared.user_id, updated_at=contents.updated_at, categories=schemas.Categories(**present))
