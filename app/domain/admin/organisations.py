"""Organisations: the platform admin creates and edits them."""

from __future__ import annotations

import re

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.ids import is_number, require_id
from app.domain.core.pagination import Page, clamp, contains
from app.domain.core.reasons import NOT_FOUND
from app.domain.core.text import name_problem, text
from app.i18n import LANGUAGES, lazy
from app.storage.tables import Organisation

KINDS = ("agency", "employer", "sector")
KIND_LABELS = {"agency": lazy("Staffing agency"), "employer": lazy("Employer"), "sector": lazy("Sector organisation")}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PER_PAGE = 25


def _validate(payload: dict) -> dict:
    values = {
        "name": text(payload, "name"),
        "slug": text(payload, "slug"),
        "kind": text(payload, "kind"),
        "default_language": text(payload, "default_language"),
        "invitation_days": text(payload, "invitation_days"),
    }
    errors = {}
    if problem := name_problem(values["name"]):
        errors["name"] = problem
    if not values["slug"]:
        errors["slug"] = lazy("Enter a short name for web addresses.")
    elif len(values["slug"]) > 80 or not SLUG.match(values["slug"]):
        errors["slug"] = lazy("Use only lowercase letters a-z, digits and single hyphens (at most 80).")
    if values["kind"] not in KINDS:
        errors["kind"] = lazy("Choose a kind of organisation.")
    if values["default_language"] not in LANGUAGES:
        errors["default_language"] = lazy("Choose a language.")
    days = values["invitation_days"]
    if not (is_number(days) and len(days) < 4 and 1 <= int(days) <= 365):
        errors["invitation_days"] = lazy("Enter a whole number of days from 1 to 365.")
    if errors:
        raise Rejected(errors)
    values["invitation_days"] = int(days)
    return values


async def _slug_taken(slug: str, other_than: int | None) -> bool:
    query = Organisation.select(Organisation.id).where(Organisation.slug == slug)
    if other_than is not None:
        query = query.where(Organisation.id != other_than)
    return await query.first() is not None


SLUG_TAKEN = lazy("Another organisation already uses this short name.")


@handler("admin.create_organisation")
async def create_organisation(command: Command) -> Effect:
    await acting(command, "admin.organisations")
    values = _validate(command.payload)
    if await _slug_taken(values["slug"], None):
        raise Rejected({"slug": SLUG_TAKEN})
    rows = await Organisation.insert(Organisation(**values, created_at=utcnow()))
    organisation_id = rows[0]["id"]
    return Effect(
        target_type="organisation",
        target_id=organisation_id,
        organisation_id=organisation_id,
        ids={"organisation_id": organisation_id},
    )


@handler("admin.update_organisation")
async def update_organisation(command: Command) -> Effect:
    await acting(command, "admin.organisations")
    organisation_id = require_id(command.payload, "organisation_id")
    if await get_organisation(organisation_id) is None:
        raise Rejected({"_": NOT_FOUND})
    values = _validate(command.payload)
    if await _slug_taken(values["slug"], organisation_id):
        raise Rejected({"slug": SLUG_TAKEN}, organisation_id=organisation_id)
    await Organisation.update({getattr(Organisation, key): value for key, value in values.items()}).where(
        Organisation.id == organisation_id
    )
    return Effect(
        target_type="organisation",
        target_id=organisation_id,
        organisation_id=organisation_id,
        ids={"organisation_id": organisation_id},
    )


# -- queries -------------------------------------------------------------


async def list_organisations(search: str, number: int) -> Page:
    query = Organisation.select(
        Organisation.id, Organisation.name, Organisation.slug, Organisation.kind, Organisation.default_language
    )
    count = Organisation.count()
    if search:
        where = contains(('"organisation"."name"', '"organisation"."slug"'), search)
        query, count = query.where(where), count.where(where)
    total = await count
    number = clamp(number, total, PER_PAGE)
    rows = (
        await query.order_by(Organisation.name)
        .order_by(Organisation.id)
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    return Page(items=rows, number=number, per_page=PER_PAGE, total=total)


async def get_organisation(organisation_id: int) -> dict | None:
    return await Organisation.select().where(Organisation.id == organisation_id).first()


async def organisation_choices(scope: frozenset[int] | None) -> list[dict]:
    """Organisations an actor may pick from, by name."""
    query = Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if scope is not None:
        if not scope:
            return []
        query = query.where(Organisation.id.is_in(list(scope)))
    return await query
