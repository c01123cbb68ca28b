"""Reading and writing a worker's passport rows. Callers are the worker's own
pages, the command handlers and the one read path (reads.py); nobody else
reads these tables, so consent cannot be bypassed by another query.

Sensitive fields are encrypted on the way in and decrypted on the way out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.core.commands import utcnow
from app.domain.passport import vault
from app.domain.passport.categories import BY_CODE, CATEGORIES
from app.storage.passport import Document, Passport, PassportField, PassportItem
from app.storage.tables import Organisation


@dataclass(frozen=True)
class Source:
    """Who stands behind a value: the worker ("self"), or an organisation
    that verified it, with the date."""

    verified_by: str | None = None  # the organisation's name
    verified_at: datetime | None = None

    @property
    def is_self(self) -> bool:
        return self.verified_by is None


@dataclass(frozen=True)
class FieldValue:
    value: str
    source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    name: str
    level: str
    issued_on: date | None
    expires_on: date | None
    document_id: int | None
    source: Source
    updated_at: datetime


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    name: str
    media_type: str
    size: int
    digest: str
    created_at: datetime


@dataclass
class Contents:
    """A passport's contents by category: fields {name: FieldValue}, items
    [Item] or documents [DocumentInfo], for the categories asked for."""

    fields: dict[str, dict[str, FieldValue]] = field(default_factory=dict)
    items: dict[str, list[Item]] = field(default_factory=dict)
    documents: list[DocumentInfo] = field(default_factory=list)
    updated_at: datetime | None = None

    def value(self, category: str, name: str) -> str:
        found = self.fields.get(category, {}).get(name)
        return found.value if found else ""

    def has(self, category: str) -> bool:
        kind = BY_CODE[category].kind
        if kind == "fields":
            return any(v.value for v in self.fields.get(category, {}).values())
        if kind == "items":
            return bool(self.items.get(category))
        return bool(self.documents)


async def _organisation_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(sorted(ids)))
    return {row["id"]: row["name"] for row in rows}


def _source(row: dict, names: dict[int, str]) -> Source:
    if row["verified_by"] is None:
        return Source()
    return Source(names.get(row["verified_by"], ""), row["verified_at"])


async def load(user_ids: list[int], categories: list[str]) -> dict[int, Contents]:
    """The contents of these workers' passports in these categories (one
    query per table, whatever the number of workers)."""
    result = {user_id: Contents() for user_id in user_ids}
    if not user_ids or not categories:
        return result
    field_categories = [c for c in categories if BY_CODE[c].kind == "fields"]
    item_categories = [c for c in categories if BY_CODE[c].kind == "items"]
    rows: list[dict] = []
    if field_categories:
        rows = await PassportField.select().where(
            PassportField.user.is_in(user_ids) & PassportField.category.is_in(field_categories)
        )
    items: list[dict] = []
    if item_categories:
        items = await (
            PassportItem.select()
            .where(PassportItem.user.is_in(user_ids) & PassportItem.category.is_in(item_categories))
            .order_by(PassportItem.id)
        )
    names = await _organisation_names({row["verified_by"] for row in rows + items if row["verified_by"]})
    for row in rows:
        value = vault.decrypt(row["value"]) or "" if row["encrypted"] else row["value"]
        result[row["user"]].fields.setdefault(row["category"], {})[row["name"]] = FieldValue(value, _source(row, names))
    for row in items:
        result[row["user"]].items.setdefault(row["category"], []).append(
            Item(
                id=row["id"],
                kind=row["kind"],
                name=row["name"],
                level=row["level"],
                issued_on=row["issued_on"],
                expires_on=row["expires_on"],
                document_id=row["document"],
                source=_source(row, names),
                updated_at=row["updated_at"],
            )
        )
    if "documents" in categories:
        documents = await Document.select().where(Document.user.is_in(user_ids)).order_by(Document.id)
        for row in documents:
            result[row["user"]].documents.append(
                DocumentInfo(row["id"], row["name"], row["media_type"], row["size"], row["digest"], row["created_at"])
            )
    stamps = await Passport.select(Passport.user, Passport.updated_at).where(Passport.user.is_in(user_ids))
    for stamp in stamps:
        result[stamp["user"]].updated_at = stamp["updated_at"]
    return result


async def own(user_id: int) -> Contents:
    """The worker's whole passport, for the worker."""
    return (await load([user_id], [category.code for category in CATEGORIES]))[user_id]


async def touch(user_id: int) -> None:
    """Marks the passport as changed now (the API's `updated_since`)."""
    now = utcnow()
    if await Passport.exists().where(Passport.user == user_id):
        await Passport.update({Passport.updated_at: now}).where(Passport.user == user_id)
    else:
        await Passport.insert(Passport(user=user_id, updated_at=now, created_at=now))


async def save_fields(user_id: int, category: str, values: dict[str, str]) -> list[str]:
    """Replaces the category's fields with `values` (an empty value removes
    the field). A value the worker changes is their own again: its
    verification is dropped; an unchanged one keeps it. Returns the names
    of the fields that changed. Runs inside the command's transaction."""
    sensitive = set(BY_CODE[category].sensitive)
    current = {
        row["name"]: row
        for row in await PassportField.select().where(
            (PassportField.user == user_id) & (PassportField.category == category)
        )
    }
    changed: list[str] = []
    now = utcnow()
    for name, value in values.items():
        row = current.get(name)
        old = (vault.decrypt(row["value"]) if row["encrypted"] else row["value"]) if row else None
        if (old or "") == value:
            continue
        changed.append(name)
        if row is not None:
            await PassportField.delete().where(PassportField.id == row["id"])
        if value:
            await PassportField.insert(
                PassportField(
                    user=user_id,
                    category=category,
                    name=name,
                    value=vault.encrypt(value) if name in sensitive else value,
                    encrypted=name in sensitive,
                    updated_at=now,
                )
            )
    if changed:
        await touch(user_id)
    return changed
