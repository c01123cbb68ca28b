"""How the worker's own passport reads on the page: one card per category,
each value with its source, numbers masked, dates as dd/mm/yyyy. Plain
data for the templates (which never query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app import i18n
from app.domain.passport import identifiers, lists
from app.domain.passport.categories import CATEGORIES
from app.domain.passport.fields import parse_date
from app.domain.passport.mine import Mine
from app.domain.passport.store import Contents, DocumentInfo, Item, Source
from app.i18n import _, lazy

FIELD_LABELS = {
    "identity": {
        "first_name": lazy("First name"),
        "last_name": lazy("Last name"),
        "birth_date": lazy("Birth date"),
        "national_number": lazy("National number"),
    },
    "contact": {"email": lazy("E-mail address"), "mobile": lazy("Mobile number")},
    "address": {
        "street": lazy("Street"),
        "house_number": lazy("House number"),
        "postcode": lazy("Postcode"),
        "town": lazy("Town"),
    },
    "bank": {"iban": lazy("Account number (IBAN)")},
    "preferences": {
        "jobs": lazy("Jobs I would like"),
        "sectors": lazy("Sectors"),
        "regimes": lazy("Working hours"),
        "max_distance_km": lazy("Furthest distance to work"),
    },
    "mobility": dict(lists.MOBILITY),
    "availability": {"days": lazy("Days I can work"), "from_date": lazy("Available from"), "note": lazy("Note")},
}

INTRODUCTIONS = {
    "identity": lazy("Your name, birth date and national number, as on your identity card."),
    "contact": lazy("How an employer or agency can reach you."),
    "address": lazy("Where you live: it tells how far work is."),
    "bank": lazy("Where your pay goes."),
    "education": lazy("Your schools and diplomas."),
    "training": lazy("Courses you took, with their attendance certificates."),
    "certificates": lazy("VCA, forklift, driving licences and others, with their expiry dates."),
    "skills": lazy("What you can do, also without a diploma."),
    "languages": lazy("The languages you speak, and how well."),
    "preferences": lazy("The work you are looking for."),
    "mobility": lazy("How you can get to work."),
    "availability": lazy("When you can work."),
    "documents": lazy("Scans and photos of your certificates and other papers (PDF, JPEG or PNG, at most 10 MB)."),
}

ADD_LABELS = {
    "education": lazy("Add a diploma"),
    "training": lazy("Add a course"),
    "certificates": lazy("Add a certificate or licence"),
    "skills": lazy("Add a skill"),
    "languages": lazy("Add a language"),
}

MEDIA_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def day(value: date | str | None) -> str:
    """dd/mm/yyyy, from a date or a stored ISO date."""
    if isinstance(value, str):
        value = parse_date(value)[0] if value else None
    return value.strftime("%d/%m/%Y") if value else ""


def source_text(source: Source) -> str:
    if source.is_self:
        return _("You")
    when = day(i18n.local_time(source.verified_at).date()) if source.verified_at else ""
    if when:
        return _("Verified by %(organisation)s, %(date)s", organisation=source.verified_by or "", date=when)
    return _("Verified by %(organisation)s", organisation=source.verified_by or "")


def _labels(codes: str, labels: dict[str, str]) -> str:
    return ", ".join(_(labels[code]) for code in lists.split(codes) if code in labels)


def shown_value(category: str, name: str, value: str) -> str:
    """A field's value as the overview shows it (numbers masked)."""
    if not value:
        return ""
    if name == "national_number":
        return identifiers.masked_national_number(value)
    if name == "iban":
        return identifiers.masked_iban(value)
    if name in ("birth_date", "from_date"):
        return day(value)
    if name == "sectors":
        return _labels(value, lists.SECTORS)
    if name == "regimes":
        return _labels(value, lists.REGIMES)
    if name == "days":
        return _labels(value, lists.DAYS)
    if name == "max_distance_km":
        return _("%(km)s km", km=value)
    if category == "mobility":
        return _("Yes")
    return value


@dataclass
class Row:
    label: str
    value: str
    source: str


@dataclass
class Entry:
    id: int
    title: str
    details: list[str]
    status: str  # expired | soon | ""
    document: DocumentInfo | None
    source: str


@dataclass
class Card:
    code: str
    label: str
    kind: str
    intro: str
    filled: bool
    rows: list[Row] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    documents: list[DocumentInfo] = field(default_factory=list)
    edit_url: str = ""
    add_label: str = ""


def item_title(category: str, item: Item) -> str:
    if category == "education":
        return item.name
    if category == "certificates":
        return item.name if item.kind == "other" else _(lists.CERTIFICATE_KINDS.get(item.kind, item.kind))
    if category == "languages":
        return item.name if item.kind == "other" else _(lists.LANGUAGES.get(item.kind, item.kind))
    return item.name


def item_details(category: str, item: Item, today: date) -> list[str]:
    details: list[str] = []
    if category == "education" and item.kind in lists.EDUCATION_LEVELS:
        details.append(_(lists.EDUCATION_LEVELS[item.kind]))
    if category == "skills" and item.level in lists.SKILL_LEVELS:
        details.append(_(lists.SKILL_LEVELS[item.level]))
    if category == "languages" and item.level in lists.LANGUAGE_LEVELS:
        details.append(_(lists.LANGUAGE_LEVELS[item.level]))
    if item.issued_on:
        if category == "training":
            details.append(_("Taken on %(date)s", date=day(item.issued_on)))
        elif category == "education":
            details.append(_("Obtained on %(date)s", date=day(item.issued_on)))
        else:
            details.append(_("Issued on %(date)s", date=day(item.issued_on)))
    if item.expires_on:
        if lists.item_status(item.expires_on, today) == "expired":
            details.append(_("Expired on %(date)s", date=day(item.expires_on)))
        else:
            details.append(_("Valid until %(date)s", date=day(item.expires_on)))
    return details


def cards(found: Mine) -> list[Card]:
    contents: Contents = found.contents
    documents = found.documents
    result = []
    for category in CATEGORIES:
        card = Card(
            category.code,
            _(category.label),
            category.kind,
            _(INTRODUCTIONS[category.code]),
            contents.has(category.code),
        )
        if category.kind == "fields":
            values = contents.fields.get(category.code, {})
            for name, label in FIELD_LABELS[category.code].items():
                value = values.get(name)
                if value is not None and value.value:
                    card.rows.append(
                        Row(_(label), shown_value(category.code, name, value.value), source_text(value.source))
                    )
            card.edit_url = f"/passport/{category.code}"
        elif category.kind == "items":
            for item in contents.items.get(category.code, []):
                card.entries.append(
                    Entry(
                        item.id,
                        item_title(category.code, item),
                        item_details(category.code, item, found.today),
                        lists.item_status(item.expires_on, found.today) if category.code == "certificates" else "",
                        documents.get(item.document_id) if item.document_id else None,
                        source_text(item.source),
                    )
                )
            card.edit_url = f"/passport/{category.code}/new"
            card.add_label = _(ADD_LABELS[category.code])
        else:
            card.documents = list(contents.documents)
            card.edit_url = "/passport/documents"
            card.add_label = _("Add a document")
        result.append(card)
    return result


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)s MB", size=i18n.format_number(round(size / (1024 * 1024), 1)))
    return _("%(size)s KB", size=i18n.format_number(max(1, round(size / 1024))))
