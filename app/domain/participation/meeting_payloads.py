"""Payloads of the meeting's own commands (roles, agenda, minutes, action
points, guests, visibility, outcome, calendar feed). The contract payloads
(ScheduleMeeting, CloseMeeting) live in payloads.py."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from app.domain.core.payloads import NO_NUL, Id, IsoDate, Payload

# The minutes' text: long enough for a two-hour meeting typed in full.
MinutesBody = Annotated[str, msgspec.Meta(max_length=50_000, pattern=NO_NUL)]
Line = Annotated[str, msgspec.Meta(max_length=300, pattern=NO_NUL)]
Name = Annotated[str, msgspec.Meta(max_length=100, pattern=NO_NUL)]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=NO_NUL)]
Outcome = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]
Status = Literal["open", "doing", "help", "done"]


class ChooseRoles(Payload, frozen=True, kw_only=True):
    """participation.choose_roles: the moderator and the note-taker, chosen
    from the participants (the opener and the chair holders). None: nobody yet."""

    table_id: Id
    moderator_id: Id | None = None
    note_taker_id: Id | None = None


class AssignModerator(Payload, frozen=True, kw_only=True):
    """participation.assign_moderator: the job makes an ambassador the
    moderator of a table that has none 48 hours before its meeting."""

    table_id: Id
    user_id: Id


class StartMeeting(Payload, frozen=True, kw_only=True):
    table_id: Id


class AddGuest(Payload, frozen=True, kw_only=True):
    """participation.add_guest: an outside facilitator, by the e-mail address
    of their Werkpas account (no coins, no chair)."""

    table_id: Id
    email: Email


class AddAgendaPoint(Payload, frozen=True, kw_only=True):
    table_id: Id
    text: Line


class MoveAgendaPoint(Payload, frozen=True, kw_only=True):
    point_id: Id
    direction: Literal["up", "down"]


class RemoveAgendaPoint(Payload, frozen=True, kw_only=True):
    point_id: Id


class SaveMinutes(Payload, frozen=True, kw_only=True):
    """participation.save_minutes: the whole text, based on `version` (the
    version the writer last saw); an older base is a conflict, never an overwrite."""

    table_id: Id
    body: MinutesBody
    version: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]


class AddActionPoint(Payload, frozen=True, kw_only=True):
    table_id: Id
    what: Line
    who_id: Id | None = None
    who_text: Name = ""
    due_on: IsoDate | None = None
    status: Status = "open"


class UpdateActionPoint(Payload, frozen=True, kw_only=True):
    """participation.update_action_point: after publication only `status`
    changes; before it every field does. Each change is kept as history."""

    action_point_id: Id
    status: Status
    what: Line | None = None
    who_id: Id | None = None
    who_text: Name | None = None
    due_on: IsoDate | None = None


class SetMinutesVisibility(Payload, frozen=True, kw_only=True):
    table_id: Id
    visibility: Literal["organisation", "subgroup", "participants"]


class RecordOutcome(Payload, frozen=True, kw_only=True):
    """participation.record_outcome: what was done with the meeting's result."""

    table_id: Id
    outcome: Outcome


class ResetCalendarFeed(Payload, frozen=True, kw_only=True):
    """participation.reset_calendar_feed: a new secret for the person's
    calendar address (made on first use); the old address stops working."""
