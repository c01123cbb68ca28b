"""The worker reading their own passport: the overview page, the edit forms,
their documents. This is the owner reading their own data, so it writes no
access-log entry (reads.read_shared is for everyone else)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.passport import files, store
from app.domain.passport.queries import Overview, overview
from app.domain.passport.store import Contents, DocumentInfo, Item


@dataclass(frozen=True)
class Mine:
    overview: Overview
    contents: Contents
    today: date

    @property
    def documents(self) -> dict[int, DocumentInfo]:
        return {document.id: document for document in self.contents.documents}


async def mine(user_id: int) -> Mine:
    """The whole page: the introduction's state and the whole passport."""
    return Mine(await overview(user_id), await store.own(user_id), date.today())


async def contents(user_id: int) -> Contents:
    return await store.own(user_id)


async def item(user_id: int, item_id: int) -> tuple[str, Item] | None:
    """(category, the entry) when it is this worker's, else None."""
    found = await store.own(user_id)
    for category, entries in found.items.items():
        for entry in entries:
            if entry.id == item_id:
                return category, entry
    return None


async def document(
    user_id: int, document_id: int, *, with_bytes: bool = False
) -> tuple[DocumentInfo, bytes | None] | None:
    """The worker's own document (and its bytes when asked, None when the
    file is gone), else None."""
    found = await store.load([user_id], ["documents"])
    for info in found[user_id].documents:
        if info.id == document_id:
            return info, files.read(info.digest) if with_bytes else None
    return None
