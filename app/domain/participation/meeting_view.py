"""What the meeting page shows, read in one query for the controller:
the table, the phase's parts, what the viewer may do, the agenda, the
minutes (live or published), the action points with their history, the
fixed consultation moments on offer and the countdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain.core.access import CurrentUser
from app.domain.core.commands import utcnow
from app.domain.core.reasons import Rejected
from app.domain.participation.actions import STATUSES, actions_of
from app.domain.participation.agenda import agenda_of
from app.domain.participation.calendar import moments_of, occurrences
from app.domain.participation.meetings import MEETING_PHASES, Place, chair_count, place_at
from app.domain.participation.minutes import may_write, minutes_of, template
from app.domain.participation.people import Member, member
from app.domain.participation.tables import OPEN_PHASES, load_table
from app.domain.participation.visibility import sees_minutes, sees_table
from app.storage.participation import Seat
from app.storage.tables import User

FORMER = "former"


@dataclass
class MeetingView:
    table: dict
    place: Place
    people: list[dict]  # {user_id, name, role}: opener, chairs, guests
    participants: list[dict]  # the opener and the chair holders (roles are chosen from them)
    chairs: int
    agenda: list[dict]
    minutes: dict | None
    minutes_text: str  # the stored text, or the template to start from
    minutes_version: int
    minutes_readable: bool
    actions: list[dict]
    moments: list[dict] = field(default_factory=list)  # {id, place, starts_at}
    moderator_name: str = ""
    note_taker_name: str = ""
    now: datetime = field(default_factory=utcnow)

    @property
    def phase(self) -> str:
        return self.table["phase"]

    @property
    def stage(self) -> str:
        """before | running | after | cancelled"""
        if self.phase in OPEN_PHASES:
            return "before"
        if self.phase == "running":
            return "running"
        if self.phase == "held":
            return "after"
        return "cancelled"

    @property
    def ends_at(self) -> datetime | None:
        """The planned end: the date plus the duration (without a date: from the start)."""
        start = self.table["starts_at"] or self.table["started_at"]
        return start + timedelta(minutes=self.table["duration_minutes"] or 60) if start else None

    @property
    def minutes_left(self) -> int | None:
        end = self.ends_at
        if end is None:
            return None
        return int((end - self.now).total_seconds() // 60)

    # What the viewer may do (the commands decide again; this only hides buttons).
    @property
    def can_schedule(self) -> bool:
        if self.phase not in OPEN_PHASES:
            return False
        if self.table["moderator"] is not None:
            return self.place.is_moderator
        return self.place.seat_role == "opener" or self.place.is_ambassador

    @property
    def can_choose_roles(self) -> bool:
        return self.phase in MEETING_PHASES and (
            self.place.seat_role == "opener" or self.place.is_moderator or self.place.is_ambassador
        )

    @property
    def can_add_agenda(self) -> bool:
        return self.phase in MEETING_PHASES and (self.place.seat_role in ("opener", "chair") or self.place.is_moderator)

    @property
    def can_order_agenda(self) -> bool:
        return self.phase in MEETING_PHASES and (
            self.place.is_moderator or (self.table["moderator"] is None and self.place.seat_role == "opener")
        )

    def can_remove(self, point: dict) -> bool:
        return self.phase in MEETING_PHASES and (self.place.is_moderator or point["user"] == self.place.member.user_id)

    @property
    def can_start(self) -> bool:
        p = self.place
        return self.phase in OPEN_PHASES and (
            p.is_moderator
            or p.is_note_taker
            or p.is_ambassador
            or (self.table["moderator"] is None and p.seat_role == "opener")
        )

    @property
    def enough_chairs(self) -> bool:
        return self.chairs >= self.table["min_chairs"]

    @property
    def can_close(self) -> bool:
        p = self.place
        return self.phase in ("running", "planned") and (p.is_moderator or p.is_note_taker or p.is_ambassador)

    @property
    def can_write_minutes(self) -> bool:
        return self.phase in MEETING_PHASES and may_write(self.table, self.place)

    @property
    def can_edit_actions(self) -> bool:
        return self.phase != "cancelled" and self.place.is_participant

    @property
    def can_add_guest(self) -> bool:
        return self.phase in MEETING_PHASES and (self.place.is_moderator or self.place.is_ambassador)

    @property
    def can_set_visibility(self) -> bool:
        return self.place.is_moderator or self.place.is_ambassador

    @property
    def can_record_outcome(self) -> bool:
        return self.phase == "held" and (self.place.is_participant or self.place.is_ambassador)


async def people_of(table_id: int) -> list[dict]:
    rows = await (
        Seat.select(Seat.user, Seat.role, Seat.left_at, Seat.user.display_name.as_alias("name"))
        .where((Seat.table == table_id) & Seat.refunded_at.is_null())
        .order_by(Seat.id)
    )
    return [
        {
            "user_id": row["user"],
            "role": row["role"],
            "name": row["name"] if row["user"] and not row["left_at"] else FORMER,
        }
        for row in rows
    ]


async def _name(user_id: int | None) -> str:
    if user_id is None:
        return ""
    row = await User.select(User.display_name).where(User.id == user_id).first()
    return row["display_name"] if row else ""


async def _viewer(table: dict, user: CurrentUser) -> Member:
    """The viewer's place; an outside facilitator with a guest seat reads the
    page of that one table even without a place in the organisation."""
    me = await member(user.id, table["organisation"], user=user)
    if me is not None:
        return me
    guest = await Seat.exists().where(
        (Seat.table == table["id"]) & (Seat.user == user.id) & (Seat.role == "guest") & Seat.refunded_at.is_null()
    )
    if not guest:
        raise Rejected("not_found")
    return Member(user.id, table["organisation"], None, None, is_ambassador=False, takes_part=False)


async def meeting_view(table_id: int, user: CurrentUser) -> MeetingView:
    """The meeting page of a table, for `user`. Rejected("not_found") for a
    table of an organisation the person is not in; Rejected("not_visible")
    for a subgroup they cannot see."""
    table = await load_table(table_id)
    me = await _viewer(table, user)
    people = await people_of(table_id)
    seated = any(p["user_id"] == user.id and p["name"] != FORMER for p in people)
    if not sees_table(me, table, seated=seated):
        raise Rejected("not_visible")
    place = await place_at(table, me)
    involved = seated or place.is_moderator or place.is_note_taker
    stored = await minutes_of(table_id)
    agenda = await agenda_of(table_id)
    participants = [p for p in people if p["role"] in ("opener", "chair") and p["name"] != FORMER]
    now = utcnow()
    moments = []
    if table["phase"] in OPEN_PHASES:
        for moment in await moments_of(table["organisation"], table["unit"]):
            for start in occurrences(moment, now, 4):
                moments.append({"id": moment["id"], "place": moment["place"], "starts_at": start})
        moments.sort(key=lambda m: m["starts_at"])
    text = stored["body"] if stored else template([p["name"] for p in participants], [a["text"] for a in agenda])
    return MeetingView(
        table=table,
        place=place,
        people=people,
        participants=participants,
        chairs=await chair_count(table_id),
        agenda=agenda,
        minutes=stored,
        minutes_text=text,
        minutes_version=stored["version"] if stored else 0,
        minutes_readable=involved or sees_minutes(me, table, seated=seated),
        actions=await actions_of(table_id),
        moments=moments[:8],
        moderator_name=await _name(table["moderator"]),
        note_taker_name=await _name(table["note_taker"]),
        now=now,
    )


@dataclass
class LiveMinutes:
    """What the live minutes fragment needs (polled every 3 seconds)."""

    minutes: dict | None
    minutes_readable: bool
    stage: str


async def live_minutes(table_id: int, user: CurrentUser) -> LiveMinutes:
    """The minutes as they stand, for someone who may read them (the same
    refusals as meeting_view)."""
    table = await load_table(table_id)
    me = await _viewer(table, user)
    place = await place_at(table, me)
    seated = place.seat_role is not None
    if not sees_table(me, table, seated=seated):
        raise Rejected("not_visible")
    readable = seated or place.is_moderator or place.is_note_taker or sees_minutes(me, table, seated=seated)
    stage = {"proposed": "before", "planned": "before", "running": "running", "held": "after"}.get(
        table["phase"], "cancelled"
    )
    return LiveMinutes(await minutes_of(table_id) if readable else None, readable, stage)


__all__ = ["STATUSES", "LiveMinutes", "MeetingView", "live_minutes", "meeting_view"]
