"""Announcements from an organisation's admin or an ambassador, to the whole
organisation or to one subgroup.

A worker sees the announcements of their organisation and of their own
subgroup; admins and ambassadors see all of their organisation's. Posting
mails the announcement at once to the people who chose "instant" for
announcements; the others find it in their daily or weekly digest
(app.domain.participation.digest). The author, or an admin of the
organisation, deletes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import declare
from app.domain.mail import queue_mail
from app.domain.participation.mail_settings import unsubscribe_headers, unsubscribe_url
from app.domain.participation.notify import frequency
from app.domain.participation.people import Member, member, members_of, organisation_name
from app.domain.participation.setup import manager_of, subgroup_of
from app.domain.participation.text import one_line
from app.i18n import lazy
from app.storage.participation import Announcement
from app.storage.tables import Unit, User

Title = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
Body = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]

ANNOUNCEMENT_CODES = declare(
    "participation",
    {
        "announcement_title_missing": lazy("Give the announcement a title."),
        "announcement_body_missing": lazy("Write the announcement."),
        "not_your_announcement": lazy("Only its author or an admin of the organisation deletes an announcement."),
        "unit_unknown": lazy("Choose a subgroup of this organisation."),
    },
)


class PostAnnouncement(Payload, frozen=True, kw_only=True):
    """participation.post_announcement: to the organisation (no unit_id) or one subgroup."""

    organisation_id: Id
    unit_id: Id | None = None
    title: Title
    body: Body


class DeleteAnnouncement(Payload, frozen=True, kw_only=True):
    announcement_id: Id


@handler("participation.post_announcement", PostAnnouncement, codes=tuple(ANNOUNCEMENT_CODES))
async def post_announcement(command: Command[PostAnnouncement]) -> Effect:
    """Post an announcement to the organisation or one subgroup; mailed at
    once to those who chose instant announcements."""
    payload = command.payload
    organisation_id = payload.organisation_id
    actor = await manager_of(command, organisation_id)
    title = one_line(payload.title)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "announcement_title_missing"
    if not payload.body.strip():
        errors["body"] = "announcement_body_missing"
    if errors:
        raise Rejected.each(errors, organisation_id=organisation_id)
    unit_id = await subgroup_of(organisation_id, payload.unit_id)
    now = utcnow()
    rows = await Announcement.insert(
        Announcement(
            organisation=organisation_id,
            unit=unit_id,
            author=actor.id,
            title=title,
            body=payload.body.strip(),
            created_at=now,
        )
    )
    announcement_id = rows[0]["id"]
    mailed = await _mail_instant(organisation_id, unit_id, title, payload.body.strip(), actor.id)
    return Effect(
        target_type="announcement",
        target_id=announcement_id,
        organisation_id=organisation_id,
        ids={"announcement_id": announcement_id, "mailed": mailed},
        detail=f"unit={unit_id or ''} mailed={mailed}",
    )


async def _mail_instant(organisation_id: int, unit_id: int | None, title: str, body: str, author_id: int | None) -> int:
    audience = await members_of(organisation_id, unit_id)
    if not audience:
        return 0
    organisation = await organisation_name(organisation_id) or ""
    users = await User.select(User.id, User.email, User.language, User.display_name).where(
        User.id.is_in([person["user_id"] for person in audience])
    )
    mailed = 0
    for user in users:
        if user["id"] == author_id or not user["email"] or await frequency(user["id"], "announcement") != "instant":
            continue
        await queue_mail(
            to=user["email"],
            template="participation_announcement",
            language=user["language"],
            context={
                "name": user["display_name"],
                "organisation": organisation,
                "title": title,
                "body": body,
                "link": f"/participation/announcements?organisation={organisation_id}",
                "unsubscribe_url": unsubscribe_url(user["id"], "announcement"),
            },
            headers=unsubscribe_headers(user["id"], "announcement"),
        )
        mailed += 1
    return mailed


@handler("participation.delete_announcement", DeleteAnnouncement, codes=tuple(ANNOUNCEMENT_CODES))
async def delete_announcement(command: Command[DeleteAnnouncement]) -> Effect:
    """Delete an announcement: its author, or an admin of the organisation."""
    row = await Announcement.select().where(Announcement.id == command.payload.announcement_id).first()
    if row is None:
        raise Rejected("not_found")
    actor = await manager_of(command, row["organisation"])
    if actor.user is not None and row["author"] != actor.id:
        place = await member(actor.user.id, row["organisation"], user=actor.user)
        if place is None or not place.is_admin:
            raise Rejected("not_your_announcement", organisation_id=row["organisation"])
    await Announcement.delete().where(Announcement.id == row["id"])
    return Effect(target_type="announcement", target_id=row["id"], organisation_id=row["organisation"])


def _columns():
    return (
        *Announcement.all_columns(),
        Announcement.author.display_name.as_alias("author_name"),
        Announcement.unit.name.as_alias("unit_name"),
    )


def _audience(member_: Member, *, everything: bool):
    where = Announcement.organisation == member_.organisation_id
    if everything and member_.sees_every_subgroup:
        return where
    if member_.unit_id is None:
        return where & Announcement.unit.is_null()
    return where & (Announcement.unit.is_null() | (Announcement.unit == member_.unit_id))


async def recent_for(member_: Member, limit: int = 3) -> list[dict]:
    """The latest announcements a worker is meant to read: their
    organisation's and their own subgroup's, newest first (the worker home
    shows them with templates/participation/announcements/_recent.html)."""
    return await (
        Announcement.select(*_columns())
        .where(_audience(member_, everything=False))
        .order_by(Announcement.created_at, ascending=False)
        .order_by(Announcement.id, ascending=False)
        .limit(limit)
    )


async def list_for(member_: Member, limit: int = 100) -> list[dict]:
    """The announcements page: a worker's own (as recent_for); an admin's or
    ambassador's: every announcement of the organisation."""
    return await (
        Announcement.select(*_columns())
        .where(_audience(member_, everything=True))
        .order_by(Announcement.created_at, ascending=False)
        .order_by(Announcement.id, ascending=False)
        .limit(limit)
    )


async def since(member_: Member, moment: datetime) -> list[dict]:
    """The announcements for the member posted after `moment` (the digest)."""
    return await (
        Announcement.select(*_columns())
        .where(_audience(member_, everything=False) & (Announcement.created_at > moment))
        .order_by(Announcement.created_at)
    )


async def unit_exists(organisation_id: int, unit_id: int) -> bool:
    return await Unit.exists().where((Unit.id == unit_id) & (Unit.organisation == organisation_id))
