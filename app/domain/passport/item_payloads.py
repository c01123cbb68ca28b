"""The payloads of the passport's list, preference, mobility, availability
and document commands (frozen msgspec structs: structural limits only; the
rules with their own messages are in lists.py and files.py)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from app.domain.core.payloads import MAX_ID, NO_NUL, Id, Payload

Typed = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
Note = Annotated[str, msgspec.Meta(max_length=1000, pattern=NO_NUL)]
Code = Annotated[str, msgspec.Meta(max_length=40, pattern=r"^[A-Za-z0-9_]*$")]
Codes = Annotated[list[Code], msgspec.Meta(max_length=20)]
DocumentRef = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None


class ItemFields(Payload, frozen=True, kw_only=True):
    kind: Code = ""
    name: Typed = ""
    level: Code = ""
    issued_on: Typed = ""
    expires_on: Typed = ""
    document_id: DocumentRef = None


class AddItem(ItemFields, frozen=True, kw_only=True):
    """passport.add_item: a new entry in a list category."""

    category: Code


class ChangeItem(ItemFields, frozen=True, kw_only=True):
    """passport.change_item: one's own entry, with new values."""

    item_id: Id


class RemoveItem(Payload, frozen=True, kw_only=True):
    """passport.remove_item: one's own entry."""

    item_id: Id


class SavePreferences(Payload, frozen=True, kw_only=True):
    """passport.save_preferences: jobs, sectors, regimes, distance."""

    jobs: Note = ""
    sectors: Codes = msgspec.field(default_factory=list)
    regimes: Codes = msgspec.field(default_factory=list)
    max_distance_km: Typed = ""


class SaveMobility(Payload, frozen=True, kw_only=True):
    """passport.save_mobility: how one can get to work."""

    own_car: bool = False
    driving_licence: bool = False
    bicycle: bool = False
    public_transport: bool = False
    sector_bus: bool = False


class SaveAvailability(Payload, frozen=True, kw_only=True):
    """passport.save_availability: weekdays, from when, a note."""

    days: Codes = msgspec.field(default_factory=list)
    from_date: Typed = ""
    note: Note = ""


class AddDocument(Payload, frozen=True, kw_only=True):
    """passport.add_document: a file already in the content-addressed store."""

    digest: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
    media_type: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]
    size: Annotated[int, msgspec.Meta(ge=1, le=10 * 1024 * 1024)]
    name: Typed


class RemoveDocument(Payload, frozen=True, kw_only=True):
    """passport.remove_document: one's own document."""

    document_id: Id
