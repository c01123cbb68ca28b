"""From what the read path returns (app.domain.passport.Shared) to the API's
structs: one object per consented category, nothing for the others."""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from app.domain import api
from app.domain.passport import Shared
from app.web.api import schemas

FIELD_CATEGORIES: dict[str, tuple[type[Struct], type[Struct]]] = {
    "identity": (schemas.ApiIdentity, schemas.ApiIdentityFields),
    "contact": (schemas.ApiContact, schemas.ApiContactFields),
    "address": (schemas.ApiAddress, schemas.ApiAddressFields),
    "bank": (schemas.ApiBank, schemas.ApiBankFields),
    "preferences": (schemas.ApiPreferences, schemas.ApiPreferencesFields),
    "mobility": (schemas.ApiMobility, schemas.ApiMobilityFields),
    "availability": (schemas.ApiAvailability, schemas.ApiAvailabilityFields),
}
ITEM_CATEGORIES = ("education", "training", "certificates", "skills", "languages")


def summary(row: api.WorkerRow) -> schemas.ApiWorkerSummary:
    return schemas.ApiWorkerSummary(id=row.id, updated_at=row.updated_at, categories=row.categories)  # type: ignore[arg-type]


def _value(found: Any) -> schemas.ApiValue:
    return schemas.ApiValue(
        value=found.value, verified_by=found.source.verified_by, verified_at=found.source.verified_at
    )


def _item(item: Any) -> schemas.ApiItem:
    return schemas.ApiItem(
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


def worker_of(shared: Shared) -> schemas.ApiWorker:
    contents = shared.contents
    present: dict[str, Any] = {}
    for code in shared.categories:
        consent = schemas.ApiConsent(purpose=shared.purposes[code], expires_at=shared.expires[code])
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
            present[code] = schemas.ApiItems(
                consent=consent, items=[_item(item) for item in contents.items.get(code, [])]
            )
        elif code == "documents":
            present[code] = schemas.ApiDocuments(
                consent=consent,
                documents=[
                    schemas.ApiDocument(
                        id=doc.id, name=doc.name, media_type=doc.media_type, size=doc.size, created_at=doc.created_at
                    )
                    for doc in contents.documents
                ],
            )
    return schemas.ApiWorker(
        id=shared.user_id, updated_at=contents.updated_at, categories=schemas.ApiCategories(**present)
    )
