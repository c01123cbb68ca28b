"""The meeting of a table: roles, date and place, start, guests, close.

Rules (issue 11, points 3 and 5; seed 002):
- the moderator and the note-taker are chosen from the participants (the
  opener and the chair holders, not guests) by the opener, the current
  moderator or an ambassador. Nobody is moderator 48 hours before the
  meeting: the hourly job makes the subgroup's ambassador (else the deputy,
  else any active ambassador of the organisation) the moderator and mails them;
- the moderator sets date, time and place (while there is no moderator: the
  opener or an ambassador), freely or by taking a fixed consultation moment.
  A date in the past is refused. Date and place stay changeable until the
  meeting starts; a change keeps the table, its seats and its coins (the
  pilot auto-closed tables whose date changed), raises the .ics SEQUENCE and
  mails the changed invitation;
- the meeting starts whenever the people at the table start it (early, late),
  provided it has its minimum chairs (table.min_chairs chair holders besides
  the opener; our default 2);
- an outside facilitator joins as a guest: a Werkpas account given by its
  e-mail address (no coins, no chair);
- closing (the moderator, the note-taker or an ambassador; from running, or
  from planned when nobody pressed start) publishes the minutes at once and
  returns the coins to the opener and the chair holders, once (Seat.returned_at):
  real coins count toward the goal (reason "returned"), a practice table
  returns play coins;
- who reads the published minutes is set per table (organisation, the
  table's subgroup, the participants); the outcome ("what we did") is added
  after the meeting by the participants or an ambassador.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.core.reasons import declare
from app.domain.jobs import periodic
from app.domain.mail import queue_mail
from app.domain.participation.calendar import (
    is_occurrence,
    meeting_url,
    send_invitation,
    send_invitations,
    when_text,
)
from app.domain.participation.meeting_payloads import (
    AddGuest,
    AssignModerator,
    ChooseRoles,
    RecordOutcome,
    SetMinutesVisibility,
    StartMeeting,
)
from app.domain.participation.payloads import CloseMeeting, ScheduleMeeting
from app.domain.participation.people import Member
from app.domain.participation.reasons import CODES  # noqa: F401  (declares the shared codes answered here)
from app.domain.participation.tables import OPEN_PHASES, load_table, seat_of, visible_table
from app.domain.participation.wallet import open_wallet
from app.i18n import lazy
from app.storage.participation import (
    AmbassadorPost,
    ConsultationMoment,
    Minutes,
    ParticipationTable,
    Seat,
)
from app.storage.tables import RoleGrant, User

MEETING_CODES = declare(
    "participation",
    {
        "starts_at_invalid": lazy("Enter a date and a time, such as 15/12/2026 and 14:00."),
        "starts_in_past": lazy("This moment has already passed. Choose a date and time in the future."),
        "place_missing": lazy("Say where the meeting takes place."),
        "moment_unknown": lazy("Choose one of the fixed consultation moments of this organisation."),
        "not_a_moment_date": lazy("This date is not one of the dates of the chosen consultation moment."),
        "not_scheduler": lazy("Only the moderator sets the date (while there is none: the opener or an ambassador)."),
        "not_role_chooser": lazy(
            "Only the opener, the moderator or an ambassador chooses the moderator and note-taker."
        ),
        "role_not_participant": lazy("Choose someone who has a seat at this table: the opener or a chair holder."),
        "same_person_both_roles": lazy("Choose two different people as moderator and note-taker."),
        "moderator_already_chosen": lazy("This table already has a moderator."),
        "not_enough_chairs": lazy(
            "The meeting needs at least %(need)d chair holders besides the opener; it has %(have)d."
        ),
        "not_starter": lazy("Only the moderator, the note-taker or an ambassador starts the meeting."),
        "not_closer": lazy("Only the moderator, the note-taker or an ambassador closes the meeting."),
        "guest_unknown": lazy("There is no active Werkpas account with this e-mail address."),
        "not_guest_host": lazy("Only the moderator or an ambassador adds a guest."),
        "not_visibility_setter": lazy("Only the moderator or an ambassador chooses who reads the minutes."),
        "outcome_missing": lazy("Say what was done with the result of the meeting."),
        "outcome_before_meeting": lazy("The outcome can be added once the meeting has been held."),
    },
)

MEETING_PHASES = ("proposed", "planned", "running")
AUTO_MODERATOR_HOURS = 48


@dataclass(frozen=True)
class Place:
    """The actor's place at one table."""

    member: Member
    seat_role: str | None  # opener | chair | guest | None
    is_moderator: bool
    is_note_taker: bool

    @property
    def is_ambassador(self) -> bool:
        return self.member.is_ambassador

    @property
    def is_participant(self) -> bool:
        """Takes part in the meeting: a seat (not a guest's), or a role."""
        return self.seat_role in ("opener", "chair") or self.is_moderator or self.is_note_taker


async def place_at(table: dict[str, Any], me: Member) -> Place:
    seat = await seat_of(table["id"], me.user_id)
    return Place(
        member=me,
        seat_role=seat["role"] if seat else None,
        is_moderator=table["moderator"] == me.user_id,
        is_note_taker=table["note_taker"] == me.user_id,
    )


async def my_table(command: Command, table_id: int, *, lock: bool = False) -> tuple[dict, Place]:
    table, me = await visible_table(command, table_id, lock=lock)
    return table, await place_at(table, me)


async def chair_count(table_id: int) -> int:
    return await Seat.count().where(
        (Seat.table == table_id) & (Seat.role == "chair") & Seat.refunded_at.is_null() & Seat.left_at.is_null()
    )


async def participant_ids(table_id: int) -> list[int]:
    """The opener and the chair holders (the people roles are chosen from)."""
    rows = await Seat.select(Seat.user).where(
        (Seat.table == table_id)
        & Seat.role.is_in(["opener", "chair"])
        & Seat.refunded_at.is_null()
        & Seat.left_at.is_null()
        & Seat.user.is_not_null()
    )
    return [row["user"] for row in rows]


def parse_starts_at(text: str) -> datetime:
    """ISO 8601 with an offset (2026-12-15T14:00:00+01:00), else starts_at_invalid."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Rejected("starts_at_invalid", "starts_at") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Rejected("starts_at_invalid", "starts_at")
    return moment


def _touched(table: dict, **changes: Any) -> dict:
    return {getattr(ParticipationTable, name): value for name, value in {**changes, "updated_at": utcnow()}.items()}


# -- date and place -------------------------------------------------------------


@handler(
    "participation.schedule_meeting",
    ScheduleMeeting,
    codes=(*MEETING_CODES, "table_closed", "not_visible"),
)
async def schedule_meeting(command: Command[ScheduleMeeting]) -> Effect:
    """Set or change the meeting's date, time and place (until it starts)."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in OPEN_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    # The moderator; while there is none, the opener or an ambassador.
    allowed = me.is_moderator if table["moderator"] is not None else (me.seat_role == "opener" or me.is_ambassador)
    if not allowed:
        raise Rejected("not_scheduler", organisation_id=org)
    starts_at = parse_starts_at(payload.starts_at)
    if starts_at <= utcnow():
        raise Rejected("starts_in_past", "starts_at", organisation_id=org)
    place = payload.place.strip()
    duration = payload.duration_minutes
    moment_id = None
    if payload.moment_id is not None:
        moment = await ConsultationMoment.select().where(ConsultationMoment.id == payload.moment_id).first()
        if moment is None or moment["organisation"] != org or not moment["active"]:
            raise Rejected("moment_unknown", "moment_id", organisation_id=org)
        if not is_occurrence(moment, starts_at):
            raise Rejected("not_a_moment_date", "starts_at", organisation_id=org)
        place = place or moment["place"]
        duration = moment["duration_minutes"] or duration
        moment_id = moment["id"]
    if not place:
        raise Rejected("place_missing", "place", organisation_id=org)
    first = table["starts_at"] is None
    changed = first or table["starts_at"] != starts_at or table["place"] != place
    sequence = table["sequence"] + (1 if changed and not first else 0)
    await ParticipationTable.update(
        _touched(
            table,
            starts_at=starts_at,
            place=place,
            duration_minutes=duration,
            moment=moment_id,
            sequence=sequence,
            phase="planned",
        )
    ).where(ParticipationTable.id == table["id"])
    sent = await send_invitations(table["id"], changed=not first) if changed else 0
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "sequence": sequence, "invitations": sent},
        detail=f"starts_at={starts_at.isoformat()} sequence={sequence}",
    )


# -- roles ---------------------------------------------------------------------------


@handler("participation.choose_roles", ChooseRoles, codes=(*MEETING_CODES, "table_closed", "not_visible"))
async def choose_roles(command: Command[ChooseRoles]) -> Effect:
    """Choose the moderator and the note-taker from the participants."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in MEETING_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if not (me.seat_role == "opener" or me.is_moderator or me.is_ambassador):
        raise Rejected("not_role_chooser", organisation_id=org)
    people = set(await participant_ids(table["id"]))
    errors = {}
    # The current moderator may stay moderator (an ambassador the job chose has no seat).
    if payload.moderator_id is not None and payload.moderator_id not in people | {table["moderator"]}:
        errors["moderator_id"] = "role_not_participant"
    if payload.note_taker_id is not None and payload.note_taker_id not in people | {table["note_taker"]}:
        errors["note_taker_id"] = "role_not_participant"
    if not errors and payload.moderator_id is not None and payload.moderator_id == payload.note_taker_id:
        errors["note_taker_id"] = "same_person_both_roles"
    if errors:
        raise Rejected.each(errors, organisation_id=org)
    await ParticipationTable.update(
        _touched(table, moderator=payload.moderator_id, note_taker=payload.note_taker_id)
    ).where(ParticipationTable.id == table["id"])
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=org,
        ids={"table_id": table["id"]},
        detail=f"moderator={payload.moderator_id} note_taker={payload.note_taker_id}",
    )


@handler("participation.assign_moderator", AssignModerator, codes=("moderator_already_chosen", "table_closed"))
async def assign_moderator(command: Command[AssignModerator]) -> Effect:
    """Make an ambassador the moderator of a table without one (the hourly job only)."""
    if command.actor_id is not None or command.channel not in ("job", "cli"):
        raise Rejected("not_allowed")
    table = await load_table(command.payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in OPEN_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if table["moderator"] is not None:
        raise Rejected("moderator_already_chosen", organisation_id=org)
    user_id = command.payload.user_id
    await ParticipationTable.update(_touched(table, moderator=user_id)).where(ParticipationTable.id == table["id"])
    person = await User.select(User.email, User.display_name, User.language).where(User.id == user_id).first()
    if person and person["email"]:
        await queue_mail(
            to=person["email"],
            template="participation_moderator",
            language=person["language"] or "nl",
            context={
                "name": person["display_name"],
                "title": table["title"],
                "when": when_text(table["starts_at"], person["language"]) if table["starts_at"] else "",
                "place": table["place"],
                "link": meeting_url(table["id"]),
            },
        )
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "moderator_id": user_id},
        detail="auto-moderator",
    )


async def _active_ambassadors(organisation_id: int) -> list[int]:
    rows = await (
        RoleGrant.select(RoleGrant.user)
        .where(
            (RoleGrant.organisation == organisation_id)
            & (RoleGrant.role == "ambassador")
            & (RoleGrant.user.is_active == True)  # noqa: E712 (a Piccolo expression)
        )
        .order_by(RoleGrant.id)
    )
    return [row["user"] for row in rows]


async def ambassador_for(table: dict) -> int | None:
    """The ambassador of the table's subgroup, else its deputy, else any
    active ambassador of the organisation (the first granted)."""
    active = await _active_ambassadors(table["organisation"])
    if table["unit"] is not None:
        post = await AmbassadorPost.select().where(AmbassadorPost.unit == table["unit"]).first()
        if post:
            for candidate in (post["ambassador"], post["deputy"]):
                if candidate is not None and candidate in active:
                    return candidate
    return active[0] if active else None


AUTO_MODERATOR_NAMESPACE = uuid.UUID("6c1d0f3e-1f51-4b8c-9d60-2b8d2a1e4f11")


async def assign_due_moderators(now: datetime | None = None) -> list[int]:
    """Tables planned within the next 48 hours without a moderator get one;
    returns the ids of the tables that got one now. Safe to run again: one
    command id per table, ambassador and hour, and the command refuses a
    table that has a moderator."""
    now = now or utcnow()
    due = await ParticipationTable.select(
        ParticipationTable.id, ParticipationTable.organisation, ParticipationTable.unit
    ).where(
        (ParticipationTable.phase == "planned")
        & ParticipationTable.moderator.is_null()
        & (ParticipationTable.starts_at > now)
        & (ParticipationTable.starts_at <= now + timedelta(hours=AUTO_MODERATOR_HOURS))
    )
    done = []
    for table in due:
        ambassador = await ambassador_for(table)
        if ambassador is None:
            continue
        outcome = await execute(
            Command(
                type="participation.assign_moderator",
                payload={"table_id": table["id"], "user_id": ambassador},
                actor_id=None,
                channel="job",
                # One id per table, ambassador and hourly run: a run that is
                # repeated applies nothing twice, and the command refuses a
                # table that has a moderator by then.
                id=uuid.uuid5(AUTO_MODERATOR_NAMESPACE, f"{table['id']}:{ambassador}:{now:%Y-%m-%dT%H}"),
            )
        )
        if outcome.applied and not outcome.replayed:
            done.append(table["id"])
    return done


@dataclass(frozen=True)
class Hourly:
    """Every hour on the hour (a Schedule for app.domain.jobs.periodic)."""

    def next_after(self, moment: datetime) -> datetime:
        return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

    def key(self, due_at: datetime) -> str:
        return due_at.strftime("%Y-%m-%dT%H")


@periodic("participation.auto_moderator", Hourly())
async def auto_moderator_job(payload: dict, job_id: int) -> None:
    await assign_due_moderators()


# -- start, guests, close --------------------------------------------------------------


@handler("participation.start_meeting", StartMeeting, codes=(*MEETING_CODES, "table_closed", "not_visible"))
async def start_meeting(command: Command[StartMeeting]) -> Effect:
    """Start the meeting, at any time (early or late), once it has its minimum chairs."""
    table, me = await my_table(command, command.payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in OPEN_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    no_moderator = table["moderator"] is None
    if not (me.is_moderator or me.is_note_taker or me.is_ambassador or (no_moderator and me.seat_role == "opener")):
        raise Rejected("not_starter", organisation_id=org)
    have = await chair_count(table["id"])
    if have < table["min_chairs"]:
        raise Rejected("not_enough_chairs", organisation_id=org, need=table["min_chairs"], have=have)
    await ParticipationTable.update(_touched(table, phase="running", started_at=utcnow())).where(
        ParticipationTable.id == table["id"]
    )
    return Effect(
        target_type="participation_table", target_id=table["id"], organisation_id=org, ids={"table_id": table["id"]}
    )


@handler("participation.add_guest", AddGuest, codes=(*MEETING_CODES, "table_closed", "not_visible", "already_seated"))
async def add_guest(command: Command[AddGuest]) -> Effect:
    """Add an outside facilitator as a guest (no coins, no chair)."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in MEETING_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if not (me.is_moderator or me.is_ambassador):
        raise Rejected("not_guest_host", organisation_id=org)
    email = payload.email.strip().lower()
    person = await User.select(User.id).where((User.email == email) & (User.is_active == True)).first()  # noqa: E712
    if not email or person is None:
        raise Rejected("guest_unknown", "email", organisation_id=org)
    if await Seat.exists().where((Seat.table == table["id"]) & (Seat.user == person["id"])):
        raise Rejected("already_seated", "email", organisation_id=org)
    rows = await Seat.insert(Seat(table=table["id"], user=person["id"], role="guest", coins=0, created_at=utcnow()))
    await send_invitation(table["id"], person["id"])
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "seat_id": rows[0]["id"], "user_id": person["id"]},
    )


@handler("participation.close_meeting", CloseMeeting, codes=(*MEETING_CODES, "table_closed", "not_visible"))
async def close_meeting(command: Command[CloseMeeting]) -> Effect:
    """Close the meeting: its minutes are published and the coins return, once."""
    table, me = await my_table(command, command.payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in ("running", "planned"):
        raise Rejected("table_closed", organisation_id=org)
    if not (me.is_moderator or me.is_note_taker or me.is_ambassador):
        raise Rejected("not_closer", organisation_id=org)
    if table["phase"] == "planned":
        have = await chair_count(table["id"])
        if have < table["min_chairs"]:
            raise Rejected("not_enough_chairs", organisation_id=org, need=table["min_chairs"], have=have)
    now = utcnow()
    await ParticipationTable.update(
        _touched(table, phase="held", closed_at=now, started_at=table["started_at"] or now)
    ).where(ParticipationTable.id == table["id"])
    existing = await Minutes.select(Minutes.id).where(Minutes.table == table["id"]).first()
    if existing:
        await Minutes.update({Minutes.published_at: now}).where(Minutes.id == existing["id"])
    else:
        await Minutes.insert(Minutes(table=table["id"], body="", version=0, updated_at=now, published_at=now))
    returned = await _return_coins(table, command.id, now)
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "returned": returned},
    )


async def _return_coins(table: dict, command_id: uuid.UUID, now: datetime) -> int:
    seats = (
        await Seat.select()
        .where(
            (Seat.table == table["id"])
            & Seat.role.is_in(["opener", "chair"])
            & Seat.refunded_at.is_null()
            & Seat.returned_at.is_null()
            & Seat.user.is_not_null()
        )
        .order_by(Seat.id)
    )
    total = 0
    kind = "play" if table["practice"] else "real"
    for seat in seats:
        wallet = await open_wallet(table["organisation"], seat["user"], kind)
        await wallet.credit(seat["coins"], "returned", table_id=table["id"], command_id=command_id)
        await Seat.update({Seat.returned_at: now}).where(Seat.id == seat["id"])
        total += seat["coins"]
    return total


# -- after the meeting -------------------------------------------------------------------


@handler(
    "participation.set_minutes_visibility",
    SetMinutesVisibility,
    codes=(*MEETING_CODES, "not_visible"),
)
async def set_minutes_visibility(command: Command[SetMinutesVisibility]) -> Effect:
    """Choose who reads the published minutes: the organisation, the subgroup or the participants."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if not (me.is_moderator or me.is_ambassador):
        raise Rejected("not_visibility_setter", organisation_id=org)
    await ParticipationTable.update(_touched(table, visibility=payload.visibility)).where(
        ParticipationTable.id == table["id"]
    )
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=org,
        ids={"table_id": table["id"]},
        detail=f"visibility={payload.visibility}",
    )


@handler(
    "participation.record_outcome",
    RecordOutcome,
    codes=(*MEETING_CODES, "not_visible", "not_participant"),
)
async def record_outcome(command: Command[RecordOutcome]) -> Effect:
    """Write down what was done with the meeting's result ("what we did")."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if not (me.is_participant or me.is_ambassador):
        raise Rejected("not_participant", organisation_id=org)
    if table["phase"] != "held":
        raise Rejected("outcome_before_meeting", organisation_id=org)
    text = payload.outcome.strip()
    if not text:
        raise Rejected("outcome_missing", "outcome", organisation_id=org)
    await ParticipationTable.update(_touched(table, outcome=text, outcome_at=utcnow())).where(
        ParticipationTable.id == table["id"]
    )
    return Effect(
        target_type="participation_table", target_id=table["id"], organisation_id=org, ids={"table_id": table["id"]}
    )
