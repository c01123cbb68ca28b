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


class Value(Struct, kw_only=True):
    """One value, with its source: the worker (verified_by null) or the
    organisation that verified it, and when."""

    value: str
    verified_by: str | None = None
    verified_at: datetime | None = None


class Consent(Struct, kw_only=True):
    """The consent this category is shared under."""

    purpose: str
    expires_at: datetime


class IdentityFields(Struct, kw_only=True, omit_defaults=True):
    first_name: Value | UnsetType = UNSET
    last_name: Value | UnsetType = UNSET
    birth_date: Value | UnsetType = UNSET
    # Masked (only the last digits) unless the consent's purpose is payroll.
    national_number: Value | UnsetType = UNSET


class ContactFields(Struct, kw_only=True, omit_defaults=True):
    email: Value | UnsetType = UNSET
    mobile: Value | UnsetType = UNSET


class AddressFields(Struct, kw_only=True, omit_defaults=True):
    street: Value | UnsetType = UNSET
    house_number: Value | UnsetType = UNSET
    postcode: Value | UnsetType = UNSET
    town: Value | UnsetType = UNSET


class BankFields(Struct, kw_only=True, omit_defaults=True):
    # Masked unless the consent's purpose is payroll.
    iban: Value | UnsetType = UNSET


class PreferencesFields(Struct, kw_only=True, omit_defaults=True):
    jobs: Value | UnsetType = UNSET
    sectors: Value | UnsetType = UNSET
    regimes: Value | UnsetType = UNSET
    max_distance_km: Value | UnsetType = UNSET


class MobilityFields(Struct, kw_only=True, omit_defaults=True):
    own_car: Value | UnsetType = UNSET
    driving_licence: Value | UnsetType = UNSET
    bicycle: Value | UnsetType = UNSET
    public_transport: Value | UnsetType = UNSET
    sector_bus: Value | UnsetType = UNSET


class AvailabilityFields(Struct, kw_only=True, omit_defaults=True):
    days: Value | UnsetType = UNSET
    from_date: Value | UnsetType = UNSET
    note: Value | UnsetType = UNSET


class Identity(Struct, kw_only=True):
    consent: Consent
    fields: IdentityFields


class Contact(Struct, kw_only=True):
    consent: Consent
    fields: ContactFields


class Address(Struct, kw_only=True):
    consent: Consent
    fields: AddressFields


class Bank(Struct, kw_only=True):
    consent: Consent
    fields: BankFields


class Preferences(Struct, kw_only=True):
    consent: Consent
    fields: PreferencesFields


class Mobility(Struct, kw_only=True):
    consent: Consent
    fields: MobilityFields


class Availability(Struct, kw_only=True):
    consent: Consent
    fields: AvailabilityFields


class Item(Struct, kw_only=True):
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


class Items(Struct, kw_only=True):
    consent: Consent
    items: list[Item]


class Document(Struct, kw_only=True):
    """An uploaded file's description (the file itself is not served here)."""

    id: int
    name: str
    media_type: str
    size: int
    created_at: datetime


class Documents(Struct, kw_only=True):
    consent: Consent
    documents: list[Document]


class Categories(Struct, kw_only=True, omit_defaults=True):
    """Only the consented categories are present."""

    identity: Identity | UnsetType = UNSET
    contact: Contact | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    bank: Bank | UnsetType = UNSET
    education: Items | UnsetType = UNSET
    training: Items | UnsetType = UNSET
    certificates: Items | UnsetType = UNSET
    skills: Items | UnsetType = UNSET
    languages: Items | UnsetType = UNSET
    preferences: Preferences | UnsetType = UNSET
    mobility: Mobility | UnsetType = UNSET
    availability: Availability | UnsetType = UNSET
    documents: Documents | UnsetType = UNSET


class Worker(Struct, kw_only=True):
    id: int
    updated_at: datetime | None
    categories: Categories


class WorkerSummary(Struct, kw_only=True):
    id: int
    # When the worker's passport last changed (null: nothing written yet).
    updated_at: datetime | None
    # The categories the worker shares with the key's organisation.
    categories: list[CategoryCode]


class WorkerList(Struct, kw_only=True):
    data: list[WorkerSummary]
    # null on the last page.
    next: Cursor | None


class ConsentEvent(Struct, kw_only=True):
    """A consent receipt: a grant, a change, a withdrawal or an expiry."""

    receipt: str
    worker_id: int
    action: Literal["grant", "change", "withdraw", "expire"]
    # For a withdrawal or an expiry: the categories that stopped.
    categories: list[CategoryCode]
    purpose: str
    at: datetime
    expires_at: datetime | None


class ConsentEventList(Struct, kw_only=True):
    data: list[ConsentEvent]
    # Pass it back as `after`, also when `data` is empty (then it is the one given).
    cursor: Cursor
    has_more: bool
