"""The API's answers as msgspec structs: what the OpenAPI schema documents
(/schema/openapi.json) and what the routes encode.

A worker's passport comes as one object per consented category; a category
without consent is absent (omit_defaults with UNSET), never empty or null.
Field names follow the passport's categories (app.domain.passport
categories; a test keeps them in step).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Struct, UnsetType

CategoryCode = Literal[
    "identity",
    "contact",
    "address",
    "bank",
    "education",
    "training",
    "certificates",
    "skills",
    "languages",
    "preferences",
    "mobility",
    "availability",
    "documents",
]
Cursor = Annotated[str, msgspec.Meta(description="Where the next page starts: pass it back as `after`.")]


class ApiError(Struct, kw_only=True):
    """Every refusal: the HTTP status, a stable code and a sentence."""

    status: int
    code: str
    message: str


class ApiValue(Struct, kw_only=True):
    """One value, with its source: the worker (verified_by null) or the
    organisation that verified it, and when."""

    value: str
    verified_by: str | None = None
    verified_at: datetime | None = None


class ApiConsent(Struct, kw_only=True):
    """The consent this category is shared under."""

    purpose: str
    expires_at: datetime


class ApiIdentityFields(Struct, kw_only=True, omit_defaults=True):
    first_name: ApiValue | UnsetType = UNSET
    last_name: ApiValue | UnsetType = UNSET
    birth_date: ApiValue | UnsetType = UNSET
    # Masked (only the last digits) unless the consent's purpose is payroll.
    national_number: ApiValue | UnsetType = UNSET


class ApiContactFields(Struct, kw_only=True, omit_defaults=True):
    email: ApiValue | UnsetType = UNSET
    mobile: ApiValue | UnsetType = UNSET


class ApiAddressFields(Struct, kw_only=True, omit_defaults=True):
    street: ApiValue | UnsetType = UNSET
    house_number: ApiValue | UnsetType = UNSET
    postcode: ApiValue | UnsetType = UNSET
    town: ApiValue | UnsetType = UNSET


class ApiBankFields(Struct, kw_only=True, omit_defaults=True):
    # Masked unless the consent's purpose is payroll.
    iban: ApiValue | UnsetType = UNSET


class ApiPreferencesFields(Struct, kw_only=True, omit_defaults=True):
    jobs: ApiValue | UnsetType = UNSET
    sectors: ApiValue | UnsetType = UNSET
    regimes: ApiValue | UnsetType = UNSET
    max_distance_km: ApiValue | UnsetType = UNSET


class ApiMobilityFields(Struct, kw_only=True, omit_defaults=True):
    own_car: ApiValue | UnsetType = UNSET
    driving_licence: ApiValue | UnsetType = UNSET
    bicycle: ApiValue | UnsetType = UNSET
    public_transport: ApiValue | UnsetType = UNSET
    sector_bus: ApiValue | UnsetType = UNSET


class ApiAvailabilityFields(Struct, kw_only=True, omit_defaults=True):
    days: ApiValue | UnsetType = UNSET
    from_date: ApiValue | UnsetType = UNSET
    note: ApiValue | UnsetType = UNSET


class ApiIdentity(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiIdentityFields


class ApiContact(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiContactFields


class ApiAddress(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiAddressFields


class ApiBank(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiBankFields


class ApiPreferences(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiPreferencesFields


class ApiMobility(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiMobilityFields


class ApiAvailability(Struct, kw_only=True):
    consent: ApiConsent
    fields: ApiAvailabilityFields


class ApiItem(Struct, kw_only=True):
    """A diploma, course, certificate or licence, skill or language."""

    id: int
    kind: str
    name: str
    level: str
    issued_on: date | None = None
    expires_on: date | None = None
    document_id: int | None = None
    verified_by: str | None = None
    verified_at: datetime | None = None
    updated_at: datetime | None = None


class ApiItems(Struct, kw_only=True):
    consent: ApiConsent
    items: list[ApiItem]


class ApiDocument(Struct, kw_only=True):
    """An uploaded file's description (the file itself is not served here)."""

    id: int
    name: str
    media_type: str
    size: int
    created_at: datetime


class ApiDocuments(Struct, kw_only=True):
    consent: ApiConsent
    documents: list[ApiDocument]


class ApiCategories(Struct, kw_only=True, omit_defaults=True):
    """Only the consented categories are present."""

    identity: ApiIdentity | UnsetType = UNSET
    contact: ApiContact | UnsetType = UNSET
    address: ApiAddress | UnsetType = UNSET
    bank: ApiBank | UnsetType = UNSET
    education: ApiItems | UnsetType = UNSET
    training: ApiItems | UnsetType = UNSET
    certificates: ApiItems | UnsetType = UNSET
    skills: ApiItems | UnsetType = UNSET
    languages: ApiItems | UnsetType = UNSET
    preferences: ApiPreferences | UnsetType = UNSET
    mobility: ApiMobility | UnsetType = UNSET
    availability: ApiAvailability | UnsetType = UNSET
    documents: ApiDocuments | UnsetType = UNSET


class ApiWorker(Struct, kw_only=True):
    id: int
    updated_at: datetime | None
    categories: ApiCategories


class ApiWorkerSummary(Struct, kw_only=True):
    id: int
    # When the worker's passport last changed (null: nothing written yet).
    updated_at: datetime | None
    # The categories the worker shares with the key's organisation.
    categories: list[CategoryCode]


class ApiWorkerList(Struct, kw_only=True):
    data: list[ApiWorkerSummary]
    # null on the last page.
    next: Cursor | None


class ApiConsentEvent(Struct, kw_only=True):
    """A consent receipt: a grant, a change, a withdrawal or an expiry."""

    receipt: str
    worker_id: int
    action: Literal["grant", "change", "withdraw", "expire"]
    # For a withdrawal or an expiry: the categories that stopped.
    categories: list[CategoryCode]
    purpose: str
    at: datetime
    expires_at: datetime | None


class ApiConsentEventList(Struct, kw_only=True):
    data: list[ApiConsentEvent]
    # Pass it back as `after`, also when `data` is empty (then it is the one given).
    cursor: Cursor
    has_more: bool
