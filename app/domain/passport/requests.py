"""Organisations ask workers to share more: `passport.request_consent` (a
consultant asks one worker for categories, with a purpose) and the worker's
open requests (`open_requests`, for the worker's consent page, where the
worker accepts, narrows or refuses).

Rules:
- Only a worker who joined the organisation and is visible to it (a consent
  in force) can be asked; anyone else answers not_found, like an id that
  does not exist.
- At most one open request per worker and organisation: asking again
  replaces what the open request asks for (a partial unique index of 0007
  backs this; parallel asks take turns on the worker's account row).
- Asking only for what is already shared, for that purpose, is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import msgspec

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import Id, Payload
from app.domain.core.reasons import declare
from app.domain.passport import consent
from app.domain.passport.categories import CODES, known
from app.domain.passport.consultant import PERMISSION
from app.domain.passport.reasons import CONSENT_CODES
from app.i18n import lazy
from app.storage import db
from app.storage.passport import ConsentRequest
from app.storage.tables import Organisation, User

Code = Annotated[str, msgspec.Meta(max_length=40, pattern=r"^[a-z0-9_]*$")]

REQUEST_CODES = declare(
    "passport",
    {
        "categories_missing": lazy("Choose at least one part of the passport to ask for."),
        "request_nothing_new": lazy("The worker already shares all of this with you, for this purpose."),
    },
)


class RequestConsent(Payload, frozen=True, kw_only=True):
    """passport.request_consent: an organisation asks a worker to share these
    categories for this purpose."""

    user_id: Id
    organisation_id: Id
    categories: Annotated[list[Code], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    purpose: Code = consent.DEFAULT_PURPOSE


async def _in_reach(command: Command, organisation_id: int) -> None:
    """The actor works for this organisation (the system may act for any)."""
    actor = await acting(command, PERMISSION)
    if actor.user is None:
        return
    # A platform admin holds every permission but works for no organisation:
    # asking for a worker's data needs a role in the organisation itself.
    scope = actor.user.organisations_with(PERMISSION)
    if scope is None or organisation_id not in scope:
        raise Rejected("not_found")


@handler(
    "passport.request_consent",
    RequestConsent,
    codes=(*REQUEST_CODES, "categories_unknown", "purpose_unknown"),
)
async def request_consent(command: Command[RequestConsent]) -> Effect:
    """Ask a worker who shares part of their passport with the organisation to share more."""
    payload = command.payload
    await _in_reach(command, payload.organisation_id)
    # Parallel asks (and the worker's own consent changes) take turns.
    await db.lock(User, payload.user_id)
    if not await consent.has_joined(payload.user_id, payload.organisation_id):
        raise Rejected("not_found")
    current = await consent.in_force(payload.user_id, payload.organisation_id)
    if not current:
        raise Rejected("not_found")
    if any(code not in CODES for code in payload.categories):
        raise Rejected("categories_unknown", "categories")
    if not payload.categories:
        raise Rejected("categories_missing", "categories")
    if payload.purpose not in consent.PURPOSES:
        raise Rejected("purpose_unknown", "purpose")
    wanted = [
        code for code in known(payload.categories) if code not in current or current[code].purpose != payload.purpose
    ]
    if not wanted:
        raise Rejected("request_nothing_new", "categories")
    now = utcnow()
    values: dict[Any, Any] = {
        ConsentRequest.categories: ",".join(wanted),
        ConsentRequest.purpose: payload.purpose,
        ConsentRequest.requested_by: command.actor_id,
        ConsentRequest.created_at: now,
    }
    where = (
        (ConsentRequest.user == payload.user_id)
        & (ConsentRequest.organisation == payload.organisation_id)
        & (ConsentRequest.status == "open")
    )
    open_request = await ConsentRequest.select(ConsentRequest.id).where(where).first()
    if open_request is not None:
        await ConsentRequest.update(values).where(ConsentRequest.id == open_request["id"])
        request_id, detail = open_request["id"], "replaced"
    else:
        rows = await ConsentRequest.insert(
            ConsentRequest(
                user=payload.user_id,
                organisation=payload.organisation_id,
                categories=",".join(wanted),
                purpose=payload.purpose,
                requested_by=command.actor_id,
                status="open",
                created_at=now,
            )
        ).returning(ConsentRequest.id)
        request_id, detail = rows[0]["id"], "asked"
    return Effect(
        target_type="user",
        target_id=payload.user_id,
        organisation_id=payload.organisation_id,
        ids={"request_id": request_id, "categories": wanted},
        detail=detail,
    )


@dataclass(frozen=True)
class OpenRequest:
    id: int
    organisation_id: int
    organisation_name: str
    categories: list[str]  # category codes, in the passport's order
    purpose: str
    created_at: datetime


async def open_requests(user_id: int) -> list[OpenRequest]:
    """What organisations ask this worker to share and the worker has not
    answered yet, newest first (one per organisation)."""
    rows = await (
        ConsentRequest.select(
            ConsentRequest.id,
            ConsentRequest.organisation,
            ConsentRequest.categories,
            ConsentRequest.purpose,
            ConsentRequest.created_at,
        )
        .where((ConsentRequest.user == user_id) & (ConsentRequest.status == "open"))
        .order_by(ConsentRequest.created_at, ascending=False)
        .order_by(ConsentRequest.id, ascending=False)
    )
    ids = sorted({row["organisation"] for row in rows})
    names = (
        {
            org["id"]: org["name"]
            for org in await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(ids))
        }
        if ids
        else {}
    )
    return [
        OpenRequest(
            id=row["id"],
            organisation_id=row["organisation"],
            organisation_name=names.get(row["organisation"], ""),
            categories=known(row["categories"].split(",")),
            purpose=row["purpose"],
            created_at=row["created_at"],
        )
        for row in rows
    ]


__all__ = ["CONSENT_CODES", "OpenRequest", "open_request", "open_requests"]


async def open_request(user_id: int, organisation_id: int) -> OpenRequest | None:
    """This organisation's open request to this worker, if any."""
    return next((found for found in await open_requests(user_id) if found.organisation_id == organisation_id), None)
