"""What the API answers, and the key lists of the admin panel.

Workers' data comes only through the passport's one read path
(app.domain.passport.read_shared), with the API key as the viewer: it checks
consent per category at this very moment and writes the access log. The
queries here read only ids and times to choose the page (who has a consent
in force, whose passport changed), and the consent receipts of the key's own
organisation for the events feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.api.keys import Caller, prefix_of
from app.domain.core.access import Reach
from app.domain.core.commands import utcnow
from app.domain.core.ids import parse_id
from app.domain.passport import Shared, Viewer, read_shared
from app.storage.api import ApiKey
from app.storage.passport import Consent, ConsentRecord, Passport
from app.storage.tables import Organisation

# Why an agency's own system reads: the consents it reads under are for
# finding and offering work (the passport's default purpose).
PURPOSE = "staffing"
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# The events feed leaves out receipts younger than this: a receipt written
# by a transaction that commits later than a newer one's could otherwise be
# passed by a cursor (PostgreSQL hands out ids before commit).
SETTLE = timedelta(seconds=2)


def viewer(caller: Caller) -> Viewer:
    return Viewer(
        organisation_id=caller.organisation_id,
        organisation_name=caller.organisation_name,
        api_key_id=caller.id,
        name=caller.name,
        channel="api",
    )


@dataclass(frozen=True)
class WorkerRow:
    id: int
    updated_at: datetime | None
    categories: list[str]


@dataclass(frozen=True)
class WorkersPage:
    rows: list[WorkerRow]
    next: int | None  # the cursor of the next page, None at the end


async def _consented_ids(organisation_id: int, since: datetime | None, after: int, limit: int) -> list[int]:
    now = utcnow()
    query = (
        Consent.select(Consent.user)
        .where((Consent.organisation == organisation_id) & (Consent.expires_at > now) & (Consent.user > after))
        .distinct()
        .order_by(Consent.user)
        .limit(limit)
    )
    if since is not None:
        query = query.where(Consent.user.is_in(Passport.select(Passport.user).where(Passport.updated_at >= since)))
    return [row["user"] for row in await query]


async def workers(caller: Caller, since: datetime | None, after: int, limit: int) -> WorkersPage:
    """The workers with a consent in force to the key's organisation, by id,
    after the cursor; each with what they share (names of categories only,
    but read and logged through the one read path)."""
    ids = await _consented_ids(caller.organisation_id, since, after, limit + 1)
    page, more = ids[:limit], len(ids) > limit
    shared = await read_shared(viewer(caller), page, PURPOSE)
    rows = [
        WorkerRow(user_id, shared[user_id].contents.updated_at, list(shared[user_id].categories))
        for user_id in page
        if user_id in shared
    ]
    return WorkersPage(rows, page[-1] if more else None)


async def worker(caller: Caller, worker_id: int) -> Shared | None:
    """What this worker shares with the key's organisation right now (None:
    nothing, or no such worker; the same answer, so nothing is learned)."""
    return (await read_shared(viewer(caller), [worker_id], PURPOSE)).get(worker_id)


@dataclass(frozen=True)
class ConsentEvent:
    id: int
    receipt: str
    worker_id: int
    action: str
    categories: list[str]
    purpose: str
    at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class EventsPage:
    events: list[ConsentEvent]
    cursor: int  # where the next request starts (the last event's, or the one given)
    has_more: bool


async def consent_events(caller: Caller, after: int, limit: int) -> EventsPage:
    """The consent receipts of the key's organisation (grants, changes,
    withdrawals, expiries) after the cursor, oldest first."""
    rows = (
        await ConsentRecord.select(
            ConsentRecord.id,
            ConsentRecord.receipt,
            ConsentRecord.subject_id,
            ConsentRecord.action,
            ConsentRecord.categories,
            ConsentRecord.purpose,
            ConsentRecord.at,
            ConsentRecord.expires_at,
        )
        .where(
            (ConsentRecord.organisation_id == caller.organisation_id)
            & (ConsentRecord.id > after)
            & (ConsentRecord.at <= utcnow() - SETTLE)
        )
        .order_by(ConsentRecord.id)
        .limit(limit + 1)
    )
    events = [
        ConsentEvent(
            id=row["id"],
            receipt=str(row["receipt"]),
            worker_id=row["subject_id"],
            action=row["action"],
            categories=[code for code in row["categories"].split(",") if code],
            purpose=row["purpose"],
            at=row["at"],
            expires_at=row["expires_at"],
        )
        for row in rows[:limit]
    ]
    return EventsPage(events, events[-1].id if events else after, len(rows) > limit)


# -- the admin panel's lists -----------------------------------------------


async def organisations(reach: Reach) -> list[dict]:
    """The organisations whose keys the user manages ({id, name}), by name."""
    query = Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if not reach.everywhere:
        ids = sorted(reach.organisations)
        if not ids:
            return []
        query = query.where(Organisation.id.is_in(ids))
    return await query


async def keys_of(organisation_id: int) -> list[dict]:
    """The organisation's keys, newest first: in use, then revoked."""
    rows = (
        await ApiKey.select(
            ApiKey.id,
            ApiKey.name,
            ApiKey.prefix,
            ApiKey.created_at,
            ApiKey.created_by,
            ApiKey.revoked_at,
            ApiKey.last_used_at,
        )
        .where(ApiKey.organisation == organisation_id)
        .order_by(ApiKey.id, ascending=False)
    )
    return sorted(rows, key=lambda row: row["revoked_at"] is not None)


async def key(api_key_id: int, reach: Reach) -> dict | None:
    """One key with its organisation's name, if the user manages its organisation."""
    row = (
        await ApiKey.select(
            ApiKey.id,
            ApiKey.name,
            ApiKey.prefix,
            ApiKey.organisation,
            ApiKey.organisation.name,
            ApiKey.created_at,
            ApiKey.revoked_at,
            ApiKey.last_used_at,
        )
        .where(ApiKey.id == api_key_id)
        .first()
    )
    if row is None or not reach.covers_whole(row["organisation"]):
        return None
    return row


async def key_by_prefix_or_id(value: str) -> dict | None:
    """For the command line: a key by its prefix (or the key itself) or its id."""
    value = value.strip()
    columns = (ApiKey.id, ApiKey.name, ApiKey.prefix, ApiKey.organisation, ApiKey.revoked_at)
    prefix = prefix_of(value) or value.lower()
    row = await ApiKey.select(*columns).where(ApiKey.prefix == prefix).first()
    if row is None and (number := parse_id(value)) is not None:
        row = await ApiKey.select(*columns).where(ApiKey.id == number).first()
    return row


async def organisation_by_slug(slug: str) -> dict | None:
    """For the command line: {id, name, slug} of the organisation, or None."""
    return (
        await Organisation.select(Organisation.id, Organisation.name, Organisation.slug)
        .where(Organisation.slug == slug.strip())
        .first()
    )
