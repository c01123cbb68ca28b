"""The participation digest: one mail per person and period, in their
language, with what is new for them. Sent by two periodic jobs: weekly
(Monday 07:00 Brussels) and daily (07:00) for the kinds a person set to
"daily" (app.domain.participation.notify).

A run of cadence C (daily or weekly) gathers, per organisation the person
takes part in, the sections of the kinds they set to C:
- "digest": new tables in my subgroup (with date and place once known),
  minutes now available (held tables whose minutes I may read), my
  upcoming meetings, my open action points;
- "reminder": evaluations waiting (held tables where I sat, not answered);
- "announcement": announcements to my organisation or subgroup.
"Since" is the previous digest of that cadence, or one period back.

Nothing is sent when there is nothing to say. A person gets one digest per
period: the command id derives from the person and the period, and
DigestSent is unique per person and period, so parallel runs send one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from app import i18n
from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.core.payloads import Id, Payload
from app.domain.core.reasons import declare
from app.domain.jobs import daily, periodic, weekly
from app.domain.mail import queue_mail
from app.domain.participation.announcements import since as announcements_since
from app.domain.participation.mail_settings import unsubscribe_headers, unsubscribe_url
from app.domain.participation.notify import frequencies
from app.domain.participation.people import Member, member, organisations_of
from app.domain.participation.visibility import sees_minutes, sees_table
from app.i18n import TIMEZONE, lazy
from app.storage.participation import ActionPoint, DigestSent, Evaluation, Minutes, ParticipationTable, Seat
from app.storage.tables import RoleGrant, User

CADENCES = ("daily", "weekly")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "werkpas:participation.send_digest")
OPEN_PHASES = ("proposed", "planned")

DIGEST_CODES = declare(
    "participation",
    {
        "digest_already_sent": lazy("This digest was already sent."),
        "nothing_to_say": lazy("There is nothing new to mail."),
    },
)


def period_key(cadence: str, moment: datetime) -> str:
    """The period a digest belongs to: "2026-W49" (ISO week) or "2026-12-03" (Brussels)."""
    local = moment.astimezone(TIMEZONE)
    if cadence == "weekly":
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def digest_command_id(user_id: int, period: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{user_id}:{period}")


async def _since(user_id: int, cadence: str, now: datetime) -> datetime:
    pattern = "%-W%" if cadence == "weekly" else "____-__-__"
    last = await (
        DigestSent.select(DigestSent.at)
        .where((DigestSent.user == user_id) & DigestSent.period.like(pattern))
        .order_by(DigestSent.at, ascending=False)
        .first()
    )
    return last["at"] if last else now - (timedelta(days=7) if cadence == "weekly" else timedelta(days=1))


async def _seated(user_id: int) -> set[int]:
    rows = await Seat.select(Seat.table).where(
        (Seat.user == user_id) & Seat.refunded_at.is_null() & Seat.left_at.is_null()
    )
    return {row["table"] for row in rows}


async def _digest_sections(me: Member, since: datetime, now: datetime, seated: set[int]) -> dict[str, list]:
    columns = (*ParticipationTable.all_columns(), ParticipationTable.room.name.as_alias("room_name"))
    of_org = ParticipationTable.organisation == me.organisation_id
    # New tables (or tables that got a date) in my subgroup, not my own.
    fresh = (
        await ParticipationTable.select(*columns)
        .where(
            of_org
            & ParticipationTable.phase.is_in(list(OPEN_PHASES))
            & (ParticipationTable.practice == False)  # noqa: E712
            & (
                (ParticipationTable.created_at > since)
                | (ParticipationTable.starts_at.is_not_null() & (ParticipationTable.updated_at > since))
            )
        )
        .order_by(ParticipationTable.created_at)
    )
    new_tables = [
        table
        for table in fresh
        if table["id"] not in seated
        and sees_table(me, table)
        and (table["unit"] is None or table["unit"] == me.unit_id)
    ]
    published = await Minutes.select(Minutes.table, Minutes.published_at).where(
        Minutes.published_at.is_not_null()
        & (Minutes.published_at > since)
        & (Minutes.table.organisation == me.organisation_id)
    )
    minutes = []
    if published:
        tables = await ParticipationTable.select(*columns).where(
            ParticipationTable.id.is_in([row["table"] for row in published])
        )
        minutes = [table for table in tables if sees_minutes(me, table, seated=table["id"] in seated)]
    upcoming = []
    if seated:
        upcoming = (
            await ParticipationTable.select(*columns)
            .where(
                of_org
                & ParticipationTable.id.is_in(list(seated))
                & ParticipationTable.phase.is_in(list(OPEN_PHASES))
                & ParticipationTable.starts_at.is_not_null()
                & (ParticipationTable.starts_at > now)
            )
            .order_by(ParticipationTable.starts_at)
        )
    actions = (
        await ActionPoint.select(*ActionPoint.all_columns(), ActionPoint.table.title.as_alias("table_title"))
        .where(
            (ActionPoint.who == me.user_id)
            & (ActionPoint.status != "done")
            & (ActionPoint.table.organisation == me.organisation_id)
        )
        .order_by(ActionPoint.due_on)
    )
    return {"new_tables": new_tables, "minutes": minutes, "upcoming": upcoming, "actions": actions}


async def _evaluations_waiting(me: Member, now: datetime, seated: set[int]) -> list[dict]:
    if not seated:
        return []
    held = await ParticipationTable.select(ParticipationTable.id, ParticipationTable.title).where(
        (ParticipationTable.organisation == me.organisation_id)
        & ParticipationTable.id.is_in(list(seated))
        & (ParticipationTable.phase == "held")
        & (ParticipationTable.closed_at > now - timedelta(days=30))
    )
    if not held:
        return []
    answered = {
        row["table"]
        for row in await Evaluation.select(Evaluation.table).where(
            (Evaluation.user == me.user_id) & Evaluation.table.is_in([table["id"] for table in held])
        )
    }
    return [table for table in held if table["id"] not in answered]


async def gather(user_id: int, cadence: str, now: datetime | None = None, since: datetime | None = None) -> list[dict]:
    """What the person's digest of this cadence says, per organisation; an
    empty list when there is nothing to say."""
    now = now or utcnow()
    since = since or await _since(user_id, cadence, now)
    chosen = await frequencies(user_id)
    seated = await _seated(user_id)
    found = []
    for organisation in await organisations_of(user_id):
        me = await member(user_id, organisation["id"])
        if me is None or not me.takes_part:
            continue
        section: dict = {"organisation": organisation}
        if chosen.get("digest") == cadence:
            section.update(await _digest_sections(me, since, now, seated))
        if chosen.get("reminder") == cadence:
            section["evaluations"] = await _evaluations_waiting(me, now, seated)
        if chosen.get("announcement") == cadence:
            section["announcements"] = await announcements_since(me, since)
        if any(value for key, value in section.items() if key != "organisation"):
            found.append(section)
    return found


class SendDigest(Payload, frozen=True, kw_only=True):
    """participation.send_digest: the system mails one person's digest of one period."""

    user_id: Id
    cadence: str
    period: str


@handler("participation.send_digest", SendDigest, codes=tuple(DIGEST_CODES))
async def send_digest(command: Command[SendDigest]) -> Effect:
    """Mail one person's digest for one period (the system only: the job)."""
    if command.actor_id is not None or command.channel not in ("job", "cli"):
        raise Rejected("not_allowed")
    payload = command.payload
    if payload.cadence not in CADENCES:
        raise Rejected("not_allowed")
    if await DigestSent.exists().where((DigestSent.user == payload.user_id) & (DigestSent.period == payload.period)):
        raise Rejected("digest_already_sent")
    user = (
        await User.select(User.id, User.email, User.language, User.display_name, User.is_active)
        .where(User.id == payload.user_id)
        .first()
    )
    if user is None or not user["is_active"] or not user["email"]:
        raise Rejected("nothing_to_say")
    now = utcnow()
    sections = await gather(payload.user_id, payload.cadence, now)
    if not sections:
        raise Rejected("nothing_to_say")
    await DigestSent.insert(DigestSent(user=payload.user_id, period=payload.period, at=now))
    await queue_mail(
        to=user["email"],
        template="participation_digest",
        language=user["language"],
        context={
            "name": user["display_name"],
            "cadence": payload.cadence,
            "sections": _formatted(sections, user["language"]),
            "mail_settings_url": "/participation/mail",
            "unsubscribe_url": unsubscribe_url(payload.user_id, "digest"),
        },
        headers=unsubscribe_headers(payload.user_id, "digest"),
    )
    return Effect(target_type="user", target_id=payload.user_id, detail=f"period={payload.period}")


def _formatted(sections: list[dict], language: str) -> list[dict]:
    """The sections as JSON-safe values (the mail context travels through the
    job queue), dates written out in the reader's language."""
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        return [_plain(section) for section in sections]
    finally:
        i18n.set_language(previous)


def _plain(section: dict) -> dict:
    def when(value) -> str | None:
        if not value:
            return None
        return i18n.format_datetime(value) if isinstance(value, datetime) else i18n.format_date(value)

    return {
        "organisation": section["organisation"]["name"],
        "organisation_id": section["organisation"]["id"],
        "new_tables": [
            {
                "id": t["id"],
                "title": t["title"],
                "room": t["room_name"],
                "starts_at": when(t["starts_at"]),
                "place": t["place"],
            }
            for t in section.get("new_tables", [])
        ],
        "minutes": [{"id": t["id"], "title": t["title"]} for t in section.get("minutes", [])],
        "upcoming": [
            {"id": t["id"], "title": t["title"], "starts_at": when(t["starts_at"]), "place": t["place"]}
            for t in section.get("upcoming", [])
        ],
        "actions": [
            {"what": a["what"], "table": a["table_title"], "due_on": when(a["due_on"]), "status": a["status"]}
            for a in section.get("actions", [])
        ],
        "evaluations": [{"id": t["id"], "title": t["title"]} for t in section.get("evaluations", [])],
        "announcements": [{"title": a["title"], "body": a["body"]} for a in section.get("announcements", [])],
    }


async def recipients() -> list[int]:
    """Active accounts taking part in some organisation."""
    rows = await RoleGrant.select(RoleGrant.user).where(
        RoleGrant.role.is_in(["worker", "ambassador"]) & (RoleGrant.user.is_active == True)  # noqa: E712
    )
    return sorted({row["user"] for row in rows})


async def send_all(cadence: str, now: datetime | None = None) -> int:
    """Send this period's digest to everyone with something to read; returns how many were sent."""
    period = period_key(cadence, now or utcnow())
    sent = 0
    for user_id in await recipients():
        command = Command(
            type="participation.send_digest",
            payload={"user_id": user_id, "cadence": cadence, "period": period},
            actor_id=None,
            channel="job",
            id=digest_command_id(user_id, period),
        )
        try:
            outcome = await execute(command)
        except Exception as error:
            # Another run is deciding for this person at this very moment (the
            # command core answers a racing duplicate of a *refused* command
            # with the unique violation of its record): that run has it.
            if _is_unique_violation(error):
                continue
            raise
        if outcome.applied and not outcome.replayed:
            sent += 1
    return sent


def _is_unique_violation(error: Exception) -> bool:
    import sqlite3

    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error)
    return type(error).__name__ == "UniqueViolationError"


@periodic("participation.weekly_digest", weekly(0, 7, 0))
async def weekly_digest(payload: dict, job_id: int) -> None:
    await send_all("weekly")


@periodic("participation.daily_digest", daily(7, 0))
async def daily_digest(payload: dict, job_id: int) -> None:
    await send_all("daily")
