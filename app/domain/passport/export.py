"""Everything Werkpas keeps about one account, for the worker (GDPR articles
15 and 20): as JSON with a documented shape, and as a readable PDF.

Only the signed-in worker's own rows: every query below filters on their
account id. Their own numbers (national number, IBAN) are given in full:
it is their own data.

The JSON shape (`Export`, format "werkpas.export/1"), all times in UTC ISO
8601, dates as YYYY-MM-DD:

    {
      "format": "werkpas.export/1",
      "generated_at": "...",
      "account": {"id", "display_name", "email", "phone", "language",
                  "created_at", "last_login_at", "has_password", "has_pin"},
      "passport": [            # every category, in the passport's order
        {"category": "identity", "label": "Identity", "kind": "fields",
         "fields": [{"name", "value", "verified_by", "verified_at"}],
         "items": [{"id", "kind", "name", "level", "issued_on", "expires_on",
                    "document_id", "verified_by", "verified_at"}],
         "documents": [{"id", "name", "media_type", "size", "sha256", "created_at"}]}
      ],
      "organisations": [{"id", "name", "kind", "roles"}],
      "consents": [{"organisation_id", "organisation", "category", "purpose",
                    "granted_at", "expires_at", "receipt"}],
      "consent_receipts": [{"receipt", "organisation_id", "organisation",
                            "action", "categories", "purpose", "legal_basis",
                            "channel", "notice_version", "at", "expires_at"}],
      "consent_requests": [{"organisation_id", "organisation", "categories",
                            "purpose", "status", "created_at", "answered_at"}],
      "access_log": [{"at", "viewer", "by_api_key", "organisation",
                      "categories", "purpose", "legal_basis", "channel"}],
      "audit_events": [{"at", "type", "target_type", "target_id", "outcome",
                        "channel", "detail"}]
    }
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from app import i18n
from app.domain.core.commands import utcnow
from app.domain.passport import consent, identifiers, pdf, store
from app.domain.passport.access_log import Describer, all_entries
from app.domain.passport.categories import CATEGORIES
from app.i18n import _, lazy
from app.storage.passport import Consent, ConsentRecord, ConsentRequest
from app.storage.tables import AuditEvent, Organisation, RoleGrant, User

FORMAT = "werkpas.export/1"
# Audit events where the worker is the actor: the newest, at most this many.
MAX_AUDIT = 10_000


class Account(msgspec.Struct, frozen=True):
    id: int
    display_name: str
    email: str | None
    phone: str | None
    language: str
    created_at: datetime | None
    last_login_at: datetime | None
    has_password: bool
    has_pin: bool


class FieldOut(msgspec.Struct, frozen=True):
    name: str
    value: str
    verified_by: str | None
    verified_at: datetime | None


class ItemOut(msgspec.Struct, frozen=True):
    id: int
    kind: str
    name: str
    level: str
    issued_on: date | None
    expires_on: date | None
    document_id: int | None
    verified_by: str | None
    verified_at: datetime | None


class DocumentOut(msgspec.Struct, frozen=True):
    id: int
    name: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class CategoryOut(msgspec.Struct, frozen=True):
    category: str
    label: str
    kind: str
    fields: list[FieldOut] = []
    items: list[ItemOut] = []
    documents: list[DocumentOut] = []


class OrganisationOut(msgspec.Struct, frozen=True):
    id: int
    name: str
    kind: str
    roles: list[str]


class ConsentOut(msgspec.Struct, frozen=True):
    organisation_id: int
    organisation: str
    category: str
    purpose: str
    granted_at: datetime
    expires_at: datetime
    receipt: str


class ReceiptOut(msgspec.Struct, frozen=True):
    receipt: str
    organisation_id: int
    organisation: str
    action: str
    categories: list[str]
    purpose: str
    legal_basis: str
    channel: str
    notice_version: str
    at: datetime
    expires_at: datetime | None


class RequestOut(msgspec.Struct, frozen=True):
    organisation_id: int
    organisation: str
    categories: list[str]
    purpose: str
    status: str
    created_at: datetime
    answered_at: datetime | None


class AccessOut(msgspec.Struct, frozen=True):
    at: datetime
    viewer: str
    by_api_key: bool
    organisation: str
    categories: list[str]
    purpose: str
    legal_basis: str
    channel: str


class AuditOut(msgspec.Struct, frozen=True):
    at: datetime
    type: str
    target_type: str
    target_id: str
    outcome: str
    channel: str
    detail: str


class Export(msgspec.Struct, frozen=True):
    format: str
    generated_at: datetime
    account: Account
    passport: list[CategoryOut]
    organisations: list[OrganisationOut]
    consents: list[ConsentOut]
    consent_receipts: list[ReceiptOut]
    consent_requests: list[RequestOut]
    access_log: list[AccessOut]
    audit_events: list[AuditOut]


def _codes(text: str) -> list[str]:
    return [code for code in text.split(",") if code]


def _source(source: store.Source) -> tuple[str | None, datetime | None]:
    return (None, None) if source.is_self else (source.verified_by, source.verified_at)


def _passport(contents: store.Contents) -> list[CategoryOut]:
    out = []
    for category in CATEGORIES:
        fields: list[FieldOut] = []
        items: list[ItemOut] = []
        documents: list[DocumentOut] = []
        if category.kind == "fields":
            values = contents.fields.get(category.code, {})
            for name in category.fields:
                if name in values:
                    fields.append(FieldOut(name, values[name].value, *_source(values[name].source)))
            for name, value in values.items():  # a field this version does not list
                if name not in category.fields:
                    fields.append(FieldOut(name, value.value, *_source(value.source)))
        elif category.kind == "items":
            for item in contents.items.get(category.code, []):
                items.append(
                    ItemOut(
                        item.id,
                        item.kind,
                        item.name,
                        item.level,
                        item.issued_on,
                        item.expires_on,
                        item.document_id,
                        *_source(item.source),
                    )
                )
        else:
            documents = [
                DocumentOut(doc.id, doc.name, doc.media_type, doc.size, doc.digest, doc.created_at)
                for doc in contents.documents
            ]
        out.append(CategoryOut(category.code, _(category.label), category.kind, fields, items, documents))
    return out


async def _organisation_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(sorted(ids)))
    return {row["id"]: row["name"] for row in rows}


async def collect(user_id: int) -> Export:
    user = await User.select().where(User.id == user_id).first()
    assert user is not None, "a signed-in user's row exists"
    account = Account(
        id=user["id"],
        display_name=user["display_name"],
        email=user["email"],
        phone=user["phone"],
        language=user["language"],
        created_at=user["created_at"],
        last_login_at=user["last_login_at"],
        has_password=bool(user["password_hash"]),
        has_pin=bool(user["pin_hash"]),
    )
    contents = await store.own(user_id)

    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.organisation).where(
        (RoleGrant.user == user_id) & RoleGrant.organisation.is_not_null()
    )
    roles: dict[int, list[str]] = {}
    for grant in grants:
        roles.setdefault(grant["organisation"], []).append(grant["role"])
    joined = {org["id"]: org for org in await consent.joined_organisations(user_id)}
    extra = await Organisation.select(Organisation.id, Organisation.name, Organisation.kind).where(
        Organisation.id.is_in(sorted(roles) or [-1])
    )
    for org in extra:
        joined.setdefault(org["id"], org)
    organisations = [
        OrganisationOut(org["id"], org["name"], org["kind"], sorted(set(roles.get(org["id"], []))))
        for org in sorted(joined.values(), key=lambda org: org["name"].casefold())
    ]

    consent_rows = await Consent.select().where(Consent.user == user_id).order_by(Consent.id)
    request_rows = await ConsentRequest.select().where(ConsentRequest.user == user_id).order_by(ConsentRequest.id)
    names = await _organisation_names(
        {row["organisation"] for row in consent_rows} | {row["organisation"] for row in request_rows}
    )
    now = utcnow()
    consents = [
        ConsentOut(
            row["organisation"],
            names.get(row["organisation"], ""),
            row["category"],
            row["purpose"],
            row["granted_at"],
            row["expires_at"],
            str(row["receipt"]),
        )
        for row in consent_rows
        if row["expires_at"] > now
    ]
    receipts = [
        ReceiptOut(
            str(row["receipt"]),
            row["organisation_id"],
            row["organisation_name"],
            row["action"],
            _codes(row["categories"]),
            row["purpose"],
            row["legal_basis"],
            row["channel"],
            row["notice_version"],
            row["at"],
            row["expires_at"],
        )
        for row in await ConsentRecord.select()
        .where(ConsentRecord.subject_id == user_id)
        .order_by(ConsentRecord.at, ascending=False)
        .order_by(ConsentRecord.id, ascending=False)
    ]
    requests = [
        RequestOut(
            row["organisation"],
            names.get(row["organisation"], ""),
            _codes(row["categories"]),
            row["purpose"],
            row["status"],
            row["created_at"],
            row["answered_at"],
        )
        for row in request_rows
    ]
    access = [
        AccessOut(
            entry.at,
            entry.viewer,
            entry.by_api_key,
            entry.organisation,
            list(entry.categories),
            entry.purpose,
            entry.legal_basis,
            entry.channel,
        )
        for entry in await all_entries(user_id)
    ]
    audit = [
        AuditOut(
            row["at"], row["type"], row["target_type"], row["target_id"], row["outcome"], row["channel"], row["detail"]
        )
        for row in await AuditEvent.select(
            AuditEvent.at,
            AuditEvent.type,
            AuditEvent.target_type,
            AuditEvent.target_id,
            AuditEvent.outcome,
            AuditEvent.channel,
            AuditEvent.detail,
        )
        .where(AuditEvent.actor_id == user_id)
        .order_by(AuditEvent.at, ascending=False)
        .order_by(AuditEvent.id, ascending=False)
        .limit(MAX_AUDIT)
    ]
    return Export(
        format=FORMAT,
        generated_at=now,
        account=account,
        passport=_passport(contents),
        organisations=organisations,
        consents=consents,
        consent_receipts=receipts,
        consent_requests=requests,
        access_log=access,
        audit_events=audit,
    )


def to_json(export: Export) -> bytes:
    return msgspec.json.format(msgspec.json.encode(export), indent=2)


def schema() -> dict:
    """The JSON Schema of the export (documented shape)."""
    return msgspec.json.schema(Export)


# -- the readable PDF -------------------------------------------------------


def _when(value: datetime | None) -> str:
    return i18n.format_datetime(value) if value else "—"


def _day(value: date | None) -> str:
    return i18n.format_date(value) if value else "—"


def _source_text(verified_by: str | None, verified_at: datetime | None) -> str:
    if verified_by is None:
        return _("entered by you")
    return _("verified by %(organisation)s on %(date)s", organisation=verified_by, date=_day(verified_at))


FIELD_LABELS = {
    "first_name": lazy("First name"),
    "last_name": lazy("Last name"),
    "birth_date": lazy("Birth date"),
    "national_number": lazy("National number"),
    "email": lazy("E-mail address"),
    "mobile": lazy("Mobile number"),
    "street": lazy("Street"),
    "house_number": lazy("House number"),
    "postcode": lazy("Postcode"),
    "town": lazy("Town"),
    "iban": lazy("Bank account (IBAN)"),
    "jobs": lazy("Jobs"),
    "sectors": lazy("Sectors"),
    "regimes": lazy("Working hours"),
    "max_distance_km": lazy("Maximum distance (km)"),
    "own_car": lazy("Own car"),
    "driving_licence": lazy("Driving licence"),
    "bicycle": lazy("Bicycle"),
    "public_transport": lazy("Public transport"),
    "sector_bus": lazy("Sector bus"),
    "days": lazy("Days"),
    "from_date": lazy("Available from"),
    "note": lazy("Note"),
}


def _shown(name: str, value: str) -> str:
    """A field's value as people write it: dates in the reader's format,
    numbers in their usual groups (the JSON keeps the stored form)."""
    if name == "national_number":
        return identifiers.shown_national_number(value)
    if name == "iban":
        return identifiers.shown_iban(value)
    if name in ("birth_date", "from_date"):
        try:
            return _day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def to_pdf(export: Export) -> bytes:
    """The export as a readable PDF in the current language, one heading per
    category."""
    describe = Describer()
    category_labels = describe.categories
    doc = pdf.Document(_("Your data in Werkpas"))
    account = export.account
    doc.paragraph(_("Everything Werkpas keeps about your account, made on %(date)s.", date=_when(export.generated_at)))
    doc.heading(_("Your account"))
    doc.pairs(
        [
            (_("Name"), account.display_name),
            (_("E-mail address"), account.email or "—"),
            (_("Phone number"), account.phone or "—"),
            (_("Language"), i18n.LANGUAGE_NAMES.get(account.language, account.language)),
            (_("Account created"), _when(account.created_at)),
            (_("Last login"), _when(account.last_login_at)),
            (_("Password"), _("yes") if account.has_password else _("no")),
            (_("PIN for the kiosk"), _("yes") if account.has_pin else _("no")),
        ]
    )
    doc.heading(_("Your passport"))
    for category in export.passport:
        doc.heading(category.label, level=3)
        if category.kind == "fields":
            if not category.fields:
                doc.paragraph(_("Nothing filled in."))
            doc.pairs(
                [
                    (
                        _(FIELD_LABELS[f.name]) if f.name in FIELD_LABELS else f.name,
                        f"{_shown(f.name, f.value)}  ({_source_text(f.verified_by, f.verified_at)})",
                    )
                    for f in category.fields
                ]
            )
        elif category.kind == "items":
            if not category.items:
                doc.paragraph(_("Nothing filled in."))
            else:
                doc.table(
                    [_("What"), _("Level"), _("Issued"), _("Valid until"), _("Source")],
                    [
                        [
                            " · ".join(part for part in (i.kind, i.name) if part),
                            i.level or "—",
                            _day(i.issued_on),
                            _day(i.expires_on),
                            _source_text(i.verified_by, i.verified_at),
                        ]
                        for i in category.items
                    ],
                    widths=(34, 12, 16, 16, 22),
                )
        else:
            if not category.documents:
                doc.paragraph(_("No documents."))
            else:
                doc.table(
                    [_("Name"), _("Type"), _("Size"), _("Added")],
                    [
                        [d.name, d.media_type, f"{i18n.format_number(round(d.size / 1024))} kB", _when(d.created_at)]
                        for d in category.documents
                    ],
                    widths=(46, 18, 14, 22),
                )

    doc.heading(_("Organisations you joined"))
    if not export.organisations:
        doc.paragraph(_("None."))
    doc.pairs([(org.name, ", ".join(org.roles)) for org in export.organisations])

    doc.heading(_("Consent in force"))
    if not export.consents:
        doc.paragraph(_("You share nothing with any organisation right now."))
    else:
        doc.table(
            [_("Organisation"), _("Category"), _("Purpose"), _("Given"), _("Until")],
            [
                [
                    c.organisation,
                    category_labels.get(c.category, c.category),
                    describe.purpose(c.purpose),
                    _when(c.granted_at),
                    _when(c.expires_at),
                ]
                for c in export.consents
            ],
            widths=(22, 22, 20, 18, 18),
        )

    doc.heading(_("Consent receipts"))
    if not export.consent_receipts:
        doc.paragraph(_("None."))
    else:
        actions = {code: _(label) for code, label in consent.ACTIONS.items()}
        doc.table(
            [_("When"), _("Organisation"), _("What"), _("Categories"), _("Receipt")],
            [
                [
                    _when(r.at),
                    r.organisation,
                    actions.get(r.action, r.action),
                    ", ".join(category_labels.get(code, code) for code in r.categories),
                    r.receipt,
                ]
                for r in export.consent_receipts
            ],
            widths=(17, 18, 12, 25, 28),
        )

    doc.heading(_("Requests for consent"))
    if not export.consent_requests:
        doc.paragraph(_("None."))
    else:
        doc.table(
            [_("Organisation"), _("Categories"), _("Status"), _("Asked")],
            [
                [
                    r.organisation,
                    ", ".join(category_labels.get(code, code) for code in r.categories),
                    r.status,
                    _when(r.created_at),
                ]
                for r in export.consent_requests
            ],
            widths=(25, 40, 15, 20),
        )

    doc.heading(_("Who looked at your data"))
    if not export.access_log:
        doc.paragraph(_("Nobody has looked at your data yet."))
    else:
        doc.table(
            [_("When"), _("Who"), _("Organisation"), _("Categories"), _("Why")],
            [
                [
                    _when(a.at),
                    describe.api_key % {"name": a.viewer} if a.by_api_key else (a.viewer or describe.someone),
                    a.organisation,
                    ", ".join(category_labels.get(code, code) for code in a.categories),
                    f"{describe.purpose(a.purpose)} ({describe.bases.get(a.legal_basis, a.legal_basis)})",
                ]
                for a in export.access_log
            ],
            widths=(17, 20, 18, 25, 20),
        )

    doc.heading(_("What you did in Werkpas"))
    if not export.audit_events:
        doc.paragraph(_("None."))
    else:
        doc.table(
            [_("When"), _("Action"), _("Result"), _("Channel")],
            [
                [_when(e.at), e.type, e.outcome, describe.channels.get(e.channel, e.channel)]
                for e in export.audit_events
            ],
            widths=(22, 44, 14, 20),
        )
    return doc.build()
