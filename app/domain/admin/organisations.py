"""Organisations: the platform admin creates and edits them."""

from __future__ import annotations

import re
import uuid
from typing import Any

from app.domain.admin.payloads import CreateOrganisation, OrganisationFields, UpdateOrganisation
from app.domain.admin.rules import name_code
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.core.pagination import Page, clamp, contains
from app.i18n import LANGUAGES, lazy
from app.storage.tables import Organisation

KINDS = ("agency", "employer", "sector")
KIND_LABELS = {"agency": lazy("Staffing agency"), "employer": lazy("Employer"), "sector": lazy("Sector organisation")}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PER_PAGE = 25
MAX_SLUG = 80
MAX_DAYS = 365
FIELD_CODES = (
    "name_missing",
    "name_too_long",
    "slug_missing",
    "slug_invalid",
    "organisation_kind_missing",
    "language_missing",
    "days_invalid",
    "slug_taken",
)


def _validate(payload: OrganisationFields) -> dict:
    """The columns, or Rejected with a code for every field that is wrong."""
    values: dict[str, Any] = {
        "name": payload.name.strip(),
        "slug": payload.slug.strip(),
        "kind": payload.kind.strip(),
        "default_language": payload.default_language.strip(),
        "invitation_days": payload.invitation_days,
    }
    errors = {}
    if code := name_code(values["name"]):
        errors["name"] = code
    if not values["slug"]:
        errors["slug"] = "slug_missing"
    elif len(values["slug"]) > MAX_SLUG or not SLUG.match(values["slug"]):
        errors["slug"] = "slug_invalid"
    if values["kind"] not in KINDS:
        errors["kind"] = "organisation_kind_missing"
    if values["default_language"] not in LANGUAGES:
        errors["default_language"] = "language_missing"
    if not 1 <= values["invitation_days"] <= MAX_DAYS:
        errors["invitation_days"] = "days_invalid"
    if errors:
        raise Rejected.each(errors)
    return values


async def _slug_taken(slug: str, other_than: int | None) -> bool:
    query = Organisation.select(Organisation.id).where(Organisation.slug == slug)
    if other_than is not None:
        query = query.where(Organisation.id != other_than)
    return await query.first() is not None


@handler("admin.create_organisation", CreateOrganisation, codes=FIELD_CODES)
async def create_organisation(command: Command[CreateOrganisation]) -> Effect:
    await acting(command, "admin.organisations")
    values = _validate(command.payload)
    if await _slug_taken(values["slug"], None):
        raise Rejected("slug_taken", "slug")
    rows = await Organisation.insert(Organisation(**values, created_at=utcnow()))
    organisation_id = rows[0]["id"]
    await _set_up_participation(command, organisation_id)
    return Effect(
        target_type="organisation",
        target_id=organisation_id,
        organisation_id=organisation_id,
        ids={"organisation_id": organisation_id},
    )


@handler("admin.update_organisation", UpdateOrganisation, codes=FIELD_CODES)
async def update_organisation(command: Command[UpdateOrganisation]) -> Effect:
    await acting(command, "admin.organisations")
    organisation_id = command.payload.organisation_id
    if await get_organisation(organisation_id) is None:
        raise Rejected("not_found")
    values = _validate(command.payload)
    if await _slug_taken(values["slug"], organisation_id):
        raise Rejected("slug_taken", "slug", organisation_id=organisation_id)
    await Organisation.update({getattr(Organisation, key): value for key, value in values.items()}).where(
        Organisation.id == organisation_id
    )
    return Effect(
        target_type="organisation",
        target_id=organisation_id,
        organisation_id=organisation_id,
        ids={"organisation_id": organisation_id},
    )


async def _set_up_participation(command: Command, organisation_id: int) -> None:
    """A new organisation works the day it is created: participation's own
    command (named, not imported: that area builds on this one) adds its
    default rooms, in this transaction, with an id derived from this one."""
    await execute(
        Command(
            type="participation.set_up_defaults",
            payload={"organisation_id": organisation_id},
            actor_id=command.actor_id,
            channel=command.channel,
            id=uuid.uuid5(command.id, "participation.set_up_defaults"),
        )
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
