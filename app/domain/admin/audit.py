"""Browsing the audit log (read-only: this module only selects).

A platform admin (`scope` None) reads the whole log, refusals and logins
included. An organisation admin reads their organisation's history: the
changes applied to its objects (app.domain.admin.history.in_history), never
another organisation's events, never the security log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.domain.admin import history
from app.domain.admin.audit_names import describe
from app.domain.admin.rules import email_code
from app.domain.core.commands import registered_types
from app.domain.core.ids import is_number, parse_id
from app.domain.core.pagination import Page, clamp
from app.i18n import TIMEZONE
from app.storage.tables import AuditEvent, User

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    organisation_id: int | None = None
    type: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


def parse_filters(raw: dict[str, str]) -> tuple[AuditFilters, dict[str, str]]:
    """Filters from a query string, with a reason code (app.domain.admin.reasons)
    per field that is wrong (a wrong field is left out of the filter)."""
    errors = {}
    actor = (raw.get("actor") or "").strip()[:254]
    if actor and not is_number(actor) and email_code(actor.lower()):
        errors["actor"] = "actor_invalid"
    organisation = (raw.get("organisation") or "").strip()
    organisation_id = parse_id(organisation)
    if organisation and organisation_id is None:
        errors["organisation"] = "organisation_not_listed"
    dates = {}
    for key in ("date_from", "date_to"):
        value = (raw.get(key) or "").strip()
        dates[key] = _date(value) if value else None
        if value and dates[key] is None:
            errors[key] = "date_invalid"
    if dates["date_from"] and dates["date_to"] and dates["date_to"] < dates["date_from"]:
        errors["date_to"] = "dates_reversed"
        dates["date_to"] = None
    filters = AuditFilters(
        actor="" if "actor" in errors else actor,
        organisation_id=organisation_id,
        type=(raw.get("type") or "").strip()[:80],
        **dates,
    )
    return filters, errors


def brussels_midnight(day: date) -> datetime:
    """The UTC instant at which `day` starts in Brussels (DST-aware)."""
    return datetime.combine(day, time(0), tzinfo=TIMEZONE).astimezone(UTC)


async def _actor_ids(actor: str) -> list[int]:
    if is_number(actor):
        return [number] if (number := parse_id(actor)) else []
    rows = await User.select(User.id).where(User.email == actor.lower())
    return [row["id"] for row in rows]


async def list_events(filters: AuditFilters, scope: frozenset[int] | None, number: int) -> Page:
    """Newest first, each row with its "sentence" and "parts"
    (audit_names.describe); an organisation admin sees only the history of
    their organisations' objects."""
    wheres = []
    if scope is not None:
        wheres.append(AuditEvent.organisation_id.is_in(list(scope)) if scope else AuditEvent.id < 0)
        wheres.append(AuditEvent.outcome == "applied")
        wheres.append(AuditEvent.type.not_in(history.hidden_from_history()))
    if filters.actor:
        ids = await _actor_ids(filters.actor)
        wheres.append(AuditEvent.actor_id.is_in(ids) if ids else AuditEvent.id < 0)
    if filters.organisation_id is not None:
        wheres.append(AuditEvent.organisation_id == filters.organisation_id)
    if filters.type:
        wheres.append(AuditEvent.type == filters.type)
    if filters.date_from:
        wheres.append(AuditEvent.at >= brussels_midnight(filters.date_from))
    if filters.date_to:
        wheres.append(AuditEvent.at < brussels_midnight(filters.date_to + timedelta(days=1)))
    query, count = AuditEvent.select(), AuditEvent.count()
    for where in wheres:
        query, count = query.where(where), count.where(where)
    total = await count
    number = clamp(number, total, PER_PAGE)
    rows = (
        await query.order_by(AuditEvent.at, ascending=False)
        .order_by(AuditEvent.id, ascending=False)
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    await describe(rows, scope)
    return Page(items=rows, number=number, per_page=PER_PAGE, total=total)


async def event_types(scope: frozenset[int] | None) -> list[str]:
    """The types the type filter offers: every command type and every other
    type already in the log (logins and the like); for an organisation
    admin only the types of their history."""
    seen = await AuditEvent.select(AuditEvent.type).distinct()
    types = {*registered_types(), *history.WORDINGS, *(row["type"] for row in seen)}
    return sorted(t for t in types if scope is None or history.in_history(t))
