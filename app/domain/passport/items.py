"""The passport's commands for the list categories (education, training,
certificates and licences, skills, languages), for preferences, mobility and
availability, and for documents.

As in handlers.py, every command acts on the actor's own passport: an item
or document id of another worker is answered as one that does not exist.
A changed entry is the worker's own again (its verification is dropped); an
entry saved unchanged keeps its verifier.
"""

from __future__ import annotations

from datetime import date

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.passport import files, lists, store
from app.domain.passport.handlers import _refuse, _save, owner
from app.domain.passport.item_payloads import (
    AddDocument,
    AddItem,
    ChangeItem,
    ItemFields,
    RemoveDocument,
    RemoveItem,
    SaveAvailability,
    SaveMobility,
    SavePreferences,
)
from app.storage.passport import Document, PassportItem

MAX_DOCUMENTS = 50
DOCUMENT_CATEGORIES = ("training", "certificates")


async def _document_of(user_id: int, document_id: int | None) -> int | None:
    if document_id is None:
        return None
    if not await Document.exists().where((Document.id == document_id) & (Document.user == user_id)):
        raise Rejected("document_unknown", "document_id")
    return document_id


def _checked(category: str, payload: ItemFields) -> dict:
    raw = {name: getattr(payload, name) for name in ("kind", "name", "level", "issued_on", "expires_on")}
    values, problems, params = lists.check_item(category, raw, date.today())
    _refuse(problems, params)
    return values


async def _own_item(user_id: int, item_id: int) -> dict:
    row = await PassportItem.select().where((PassportItem.id == item_id) & (PassportItem.user == user_id)).first()
    if row is None:
        raise Rejected("not_found")
    return row


@handler("passport.add_item", AddItem, codes=lists.ITEM_CODES)
async def add_item(command: Command[AddItem]) -> Effect:
    """Add an entry to one's passport: a diploma, course, certificate, skill or language."""
    payload = command.payload
    if payload.category not in lists.ITEM_CATEGORIES:
        raise Rejected("value_unknown", "category")
    user_id = await owner(command)
    values = _checked(payload.category, payload)
    document = await _document_of(user_id, payload.document_id if payload.category in DOCUMENT_CATEGORIES else None)
    count = await PassportItem.count().where(
        (PassportItem.user == user_id) & (PassportItem.category == payload.category)
    )
    if count >= lists.MAX_ITEMS:
        raise Rejected("item_limit")
    now = utcnow()
    rows = await PassportItem.insert(
        PassportItem(
            user=user_id, category=payload.category, document=document, created_at=now, updated_at=now, **values
        )
    ).returning(PassportItem.id)
    await store.touch(user_id)
    item_id = rows[0]["id"]
    return Effect(
        target_type="passport", target_id=user_id, ids={"item_id": item_id, "category": payload.category},
        detail=payload.category,
    )  # fmt: skip


@handler("passport.change_item", ChangeItem, codes=lists.ITEM_CODES)
async def change_item(command: Command[ChangeItem]) -> Effect:
    """Change an entry of one's passport."""
    payload = command.payload
    user_id = await owner(command)
    row = await _own_item(user_id, payload.item_id)
    category = row["category"]
    values = _checked(category, payload)
    document = await _document_of(user_id, payload.document_id if category in DOCUMENT_CATEGORIES else None)
    changed = [name for name, value in values.items() if row[name] != value]
    update: dict = {getattr(PassportItem, name): value for name, value in values.items()}
    update[PassportItem.document] = document
    if changed:
        update.update({PassportItem.verified_by: None, PassportItem.verified_at: None})
    if changed or row["document"] != document:
        update[PassportItem.updated_at] = utcnow()
        await PassportItem.update(update).where(PassportItem.id == row["id"])
        await store.touch(user_id)
    return Effect(
        target_type="passport", target_id=user_id, ids={"item_id": row["id"], "category": category, "changed": changed},
        detail=category,
    )  # fmt: skip


@handler("passport.remove_item", RemoveItem)
async def remove_item(command: Command[RemoveItem]) -> Effect:
    """Remove an entry from one's passport."""
    user_id = await owner(command)
    row = await _own_item(user_id, command.payload.item_id)
    await PassportItem.delete().where(PassportItem.id == row["id"])
    await store.touch(user_id)
    return Effect(
        target_type="passport", target_id=user_id, ids={"item_id": row["id"], "category": row["category"]},
        detail=row["category"],
    )  # fmt: skip


@handler("passport.save_preferences", SavePreferences, codes=("text_too_long", "value_unknown", "distance_invalid"))
async def save_preferences(command: Command[SavePreferences]) -> Effect:
    """Save one's work preferences: jobs, sectors, regimes, distance."""
    payload = command.payload
    raw = {
        "jobs": payload.jobs,
        "sectors": payload.sectors,
        "regimes": payload.regimes,
        "max_distance_km": payload.max_distance_km,
    }
    values, problems = lists.check_preferences(raw, date.today())
    _refuse(problems)
    return await _save(command, "preferences", values)


@handler("passport.save_mobility", SaveMobility)
async def save_mobility(command: Command[SaveMobility]) -> Effect:
    """Save how one can get to work: car, licence, bicycle, public transport, sector bus."""
    values, _problems = lists.check_mobility({name: getattr(command.payload, name) for name in lists.MOBILITY})
    return await _save(command, "mobility", values)


AVAILABILITY_CODES = ("value_unknown", "date_format", "date_no_such_day", "date_out_of_range", "text_too_long")


@handler("passport.save_availability", SaveAvailability, codes=AVAILABILITY_CODES)
async def save_availability(command: Command[SaveAvailability]) -> Effect:
    """Save when one can work: weekdays, from which date, a note."""
    payload = command.payload
    values, problems, params = lists.check_availability(
        {"days": payload.days, "from_date": payload.from_date, "note": payload.note}, date.today()
    )
    _refuse(problems, params)
    return await _save(command, "availability", values)


DOCUMENT_CODES = ("document_type", "document_extension", "document_limit", "document_missing")


@handler("passport.add_document", AddDocument, codes=DOCUMENT_CODES)
async def add_document(command: Command[AddDocument]) -> Effect:
    """Add a document (PDF, JPEG or PNG) to one's passport."""
    payload = command.payload
    user_id = await owner(command)
    # The bytes were put in the store by the channel; checked again here.
    data = files.read(payload.digest) if files.kept(payload.digest, payload.size) else None
    if data is None:
        raise Rejected("document_missing", "file")
    media_type, problem = files.problem(data, payload.name)
    if problem or media_type != payload.media_type:
        raise Rejected(problem or "document_type", "file")
    if await Document.count().where(Document.user == user_id) >= MAX_DOCUMENTS:
        raise Rejected("document_limit", "file")
    rows = await Document.insert(
        Document(
            user=user_id,
            digest=payload.digest,
            media_type=media_type,
            size=payload.size,
            name=files.safe_name(payload.name),
            created_at=utcnow(),
        )
    ).returning(Document.id)
    await store.touch(user_id)
    return Effect(target_type="passport", target_id=user_id, ids={"document_id": rows[0]["id"]}, detail="documents")


@handler("passport.remove_document", RemoveDocument)
async def remove_document(command: Command[RemoveDocument]) -> Effect:
    """Remove a document from one's passport (entries pointing to it keep their other data)."""
    user_id = await owner(command)
    row = (
        await Document.select(Document.id, Document.digest)
        .where((Document.id == command.payload.document_id) & (Document.user == user_id))
        .first()
    )
    if row is None:
        raise Rejected("not_found")
    await PassportItem.update({PassportItem.document: None}).where(
        (PassportItem.user == user_id) & (PassportItem.document == row["id"])
    )
    await Document.delete().where(Document.id == row["id"])
    await store.touch(user_id)
    if not await Document.exists().where(Document.digest == row["digest"]):
        files.discard(row["digest"])
    return Effect(target_type="passport", target_id=user_id, ids={"document_id": row["id"]}, detail="documents")
