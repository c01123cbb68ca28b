"""Ambassadors per subgroup: one post per subgroup with an ambassador and a
deputy (seed 002: uptake failed where the ambassador was absent).

A post does not grant a role: it names people of the organisation who
already hold the ambassador role there (an org_admin grants that role in
the staff admin, where the rules about accounts with more rights apply).
So choosing a post never changes anyone's account or rights.

A subgroup is without an active ambassador when its post names nobody, or
when neither the ambassador nor the deputy is still an active account
holding the ambassador role in the organisation: the set-up page and the
admin panel then show a warning.

Workers reach their ambassador by mail (participation.ask_ambassador), at
most ASK_LIMIT times a day.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import msgspec

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import declare
from app.domain.mail import queue_mail
from app.domain.participation.people import member, organisation_name, subgroups
from app.domain.participation.setup import manager_of, subgroup_of
from app.i18n import lazy
from app.storage import db
from app.storage.participation import AmbassadorPost
from app.storage.tables import CommandRecord, Organisation, RoleGrant, User

ASK_LIMIT = 5  # questions per person per 24 hours (our choice)

AMBASSADOR_CODES = declare(
    "participation",
    {
        "not_an_ambassador": lazy(
            "Choose someone who holds the ambassador role in this organisation (an admin grants it under Staff)."
        ),
        "deputy_is_ambassador": lazy("The deputy must be someone other than the ambassador."),
        "unit_unknown": lazy("Choose a subgroup of this organisation."),
        "ask_question_missing": lazy("Write your question."),
        "no_ambassador": lazy("Your subgroup has no ambassador at the moment. Ask an admin of your organisation."),
        "ask_limit_reached": lazy(
            "You already sent %(limit)d questions today. Your ambassador will answer: try again tomorrow."
        ),
    },
)


class SetAmbassadorPost(Payload, frozen=True, kw_only=True):
    """participation.set_ambassador_post: who is the ambassador and the deputy of a subgroup (None: nobody)."""

    organisation_id: Id
    unit_id: Id
    ambassador_id: Id | None = None
    deputy_id: Id | None = None


async def ambassador_ids(organisation_id: int) -> set[int]:
    """Active accounts holding the ambassador role in the organisation."""
    rows = await RoleGrant.select(RoleGrant.user).where(
        (RoleGrant.organisation == organisation_id)
        & (RoleGrant.role == "ambassador")
        & (RoleGrant.user.is_active == True)  # noqa: E712
    )
    return {row["user"] for row in rows}


async def candidates(organisation_id: int) -> list[dict]:
    """The people who may fill a post: {id, name}, by name."""
    ids = await ambassador_ids(organisation_id)
    if not ids:
        return []
    return (
        await User.select(User.id, User.display_name.as_alias("name"))
        .where(User.id.is_in(list(ids)))
        .order_by(User.display_name)
    )


@handler("participation.set_ambassador_post", SetAmbassadorPost, codes=tuple(AMBASSADOR_CODES))
async def set_ambassador_post(command: Command[SetAmbassadorPost]) -> Effect:
    """Name the ambassador and the deputy of a subgroup."""
    payload = command.payload
    organisation_id = payload.organisation_id
    await manager_of(command, organisation_id)
    await subgroup_of(organisation_id, payload.unit_id)
    allowed = await ambassador_ids(organisation_id)
    errors: dict[str, str] = {}
    if payload.ambassador_id is not None and payload.ambassador_id not in allowed:
        errors["ambassador_id"] = "not_an_ambassador"
    if payload.deputy_id is not None and payload.deputy_id not in allowed:
        errors["deputy_id"] = "not_an_ambassador"
    elif payload.deputy_id is not None and payload.deputy_id == payload.ambassador_id:
        errors["deputy_id"] = "deputy_is_ambassador"
    if errors:
        raise Rejected.each(errors, organisation_id=organisation_id)
    await db.lock(Organisation, organisation_id)  # one post per subgroup, also in parallel
    values: dict[Any, Any] = {"ambassador": payload.ambassador_id, "deputy": payload.deputy_id, "updated_at": utcnow()}
    if await AmbassadorPost.exists().where(AmbassadorPost.unit == payload.unit_id):
        await AmbassadorPost.update(values).where(AmbassadorPost.unit == payload.unit_id)
    else:
        await AmbassadorPost.insert(AmbassadorPost(organisation=organisation_id, unit=payload.unit_id, **values))
    return Effect(
        target_type="unit",
        target_id=payload.unit_id,
        organisation_id=organisation_id,
        detail=f"ambassador={payload.ambassador_id or ''} deputy={payload.deputy_id or ''}",
    )


def _contact(user: dict | None, allowed: set[int]) -> dict | None:
    if user is None:
        return None
    return {**user, "active": user["id"] in allowed}


async def posts(organisation_id: int) -> list[dict]:
    """Every subgroup of the organisation with its post: {unit, ambassador,
    deputy (each {id, name, email, phone, active} or None), people, warning}."""
    units = await subgroups(organisation_id)
    rows = await AmbassadorPost.select().where(AmbassadorPost.organisation == organisation_id)
    by_unit = {row["unit"]: row for row in rows}
    user_ids = {row[key] for row in rows for key in ("ambassador", "deputy") if row[key]}
    users = (
        {
            user["id"]: user
            for user in await User.select(User.id, User.display_name.as_alias("name"), User.email, User.phone).where(
                User.id.is_in(list(user_ids))
            )
        }
        if user_ids
        else {}
    )
    allowed = await ambassador_ids(organisation_id)
    counts = await _people_per_unit(organisation_id)
    found = []
    for unit in units:
        post = by_unit.get(unit["id"]) or {}
        ambassador = _contact(users.get(post.get("ambassador")), allowed)
        deputy = _contact(users.get(post.get("deputy")), allowed)
        active = [person for person in (ambassador, deputy) if person and person["active"]]
        found.append(
            {
                "unit": unit,
                "ambassador": ambassador,
                "deputy": deputy,
                "active": active,
                "people": counts.get(unit["id"], 0),
                "warning": not active,
            }
        )
    return found


async def _people_per_unit(organisation_id: int) -> dict[int, int]:
    rows = await RoleGrant.select(RoleGrant.user, RoleGrant.unit).where(
        (RoleGrant.organisation == organisation_id)
        & RoleGrant.role.is_in(["worker", "ambassador"])
        & (RoleGrant.user.is_active == True)  # noqa: E712
    )
    seen: dict[int, set[int]] = {}
    for row in rows:
        if row["unit"] is not None:
            seen.setdefault(row["unit"], set()).add(row["user"])
    return {unit: len(users) for unit, users in seen.items()}


async def without_ambassador(organisation_id: int) -> list[dict]:
    """The subgroups with no active ambassador nor deputy (the warning)."""
    return [post["unit"] for post in await posts(organisation_id) if post["warning"]]


async def post_for(organisation_id: int, unit_id: int | None) -> dict | None:
    """The post of one subgroup (the worker's own), or None."""
    if unit_id is None:
        return None
    return next((post for post in await posts(organisation_id) if post["unit"]["id"] == unit_id), None)


# -- asking one's ambassador ------------------------------------------------------

QuestionText = Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)]


class AskAmbassador(Payload, frozen=True, kw_only=True):
    """participation.ask_ambassador: a short question mailed to my subgroup's
    ambassador and deputy (at most ASK_LIMIT a day)."""

    organisation_id: Id
    question: QuestionText


@handler("participation.ask_ambassador", AskAmbassador, codes=tuple(AMBASSADOR_CODES))
async def ask_ambassador(command: Command[AskAmbassador]) -> Effect:
    """Mail a short question to my ambassador and deputy (5 a day at most)."""
    payload = command.payload
    actor = await acting(command, "participation.take_part")
    if actor.user is None:
        raise Rejected("not_allowed")
    me = await member(actor.user.id, payload.organisation_id, user=actor.user)
    if me is None or not me.takes_part:
        raise Rejected("not_found")
    organisation_id = payload.organisation_id
    if not payload.question.strip():
        raise Rejected("ask_question_missing", "question", organisation_id=organisation_id)
    post = await post_for(organisation_id, me.unit_id)
    recipients = [person for person in (post or {}).get("active", []) if person["email"] and person["id"] != me.user_id]
    if not recipients:
        raise Rejected("no_ambassador", organisation_id=organisation_id)
    # Parallel questions of one person take turns on their account row.
    await db.lock(User, me.user_id)
    sent = await CommandRecord.count().where(
        (CommandRecord.type == "participation.ask_ambassador")
        & (CommandRecord.actor_id == me.user_id)
        & (CommandRecord.status == "applied")
        & (CommandRecord.created_at > utcnow() - timedelta(days=1))
    )
    if sent >= ASK_LIMIT:
        raise Rejected("ask_limit_reached", organisation_id=organisation_id, limit=ASK_LIMIT)
    asker = await User.select(User.display_name, User.email, User.phone).where(User.id == me.user_id).first()
    organisation = await organisation_name(organisation_id) or ""
    languages = {
        row["id"]: row["language"]
        for row in await User.select(User.id, User.language).where(User.id.is_in([p["id"] for p in recipients]))
    }
    for person in recipients:
        await queue_mail(
            to=person["email"],
            template="participation_question",
            language=languages.get(person["id"], "nl"),
            context={
                "name": person["name"],
                "asker": asker["display_name"] if asker else "",
                "asker_email": (asker or {}).get("email") or "",
                "asker_phone": (asker or {}).get("phone") or "",
                "organisation": organisation,
                "unit": post["unit"]["label"] if post else "",
                "question": payload.question.strip(),
            },
        )
    return Effect(
        target_type="unit",
        target_id=me.unit_id or "",
        organisation_id=organisation_id,
        ids={"sent_to": len(recipients)},
    )
