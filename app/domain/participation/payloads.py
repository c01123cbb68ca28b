"""Payloads of the participation commands that make up the contract with the
kiosk and the checks (issue 11, point 12). Their required fields never
change meaning; new fields are optional with a default."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from app.domain.core.payloads import NO_NUL, Id, Payload

Title = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
Body = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]
Place = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
Channel = Literal["web", "paper", "sms", "kiosk"]


class OpenTable(Payload, frozen=True, kw_only=True):
    """participation.open_table: a worker opens a table in a room and pays the
    table price. An ambassador may open it on behalf of `author_id` (who brought
    the idea on paper, by SMS or at a kiosk: `channel`)."""

    room_id: Id
    title: Title
    about: Body
    why: Body = ""
    preferred_moments: Body = ""
    practice: bool = False
    author_id: Id | None = None
    channel: Channel = "web"
    # An ambassador opening a table for a subgroup other than their own.
    unit_id: Id | None = None


class BuyChair(Payload, frozen=True, kw_only=True):
    """participation.buy_chair: take a chair at a table, paying the chair price.
    `practice`: the buyer means to pay with play coins (the page showed a
    practice table, a kiosk runs an introduction session); a real table then
    refuses with play_coins_on_real_table instead of taking real coins."""

    table_id: Id
    practice: bool | None = None


class ScheduleMeeting(Payload, frozen=True, kw_only=True):
    """participation.schedule_meeting: the moderator sets (or changes) date,
    time and place; `moment_id` takes a fixed consultation moment's place."""

    table_id: Id
    starts_at: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]
    place: Place = ""
    duration_minutes: Annotated[int, msgspec.Meta(ge=15, le=480)] = 60
    moment_id: Id | None = None


class CloseMeeting(Payload, frozen=True, kw_only=True):
    """participation.close_meeting: the meeting is over; its minutes are
    published and the coins return."""

    table_id: Id


Slider = Annotated[int, msgspec.Meta(ge=0, le=100)]


class Answers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The adapted evaluation of seed 002, section 4.5."""

    process: Slider  # 1. not smooth (0) .. very smooth (100)
    satisfaction: Annotated[int, msgspec.Meta(ge=1, le=5)]  # 2. five faces
    sentence: Annotated[str, msgspec.Meta(max_length=300, pattern=NO_NUL)] = ""  # 3.
    heard: bool  # 4. everyone heard enough
    opinion: bool  # 5. enough chance to give your opinion
    expected: bool  # 6. the expected outcome
    drifted: bool  # 7. drifted from the topic
    drift_helped: bool | None = None  # 7b. if so, did that help
    duration: Slider  # 8. too short (0) .. too long (100); 50 is right
    other: Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)] = ""  # 9.


class SubmitEvaluation(Payload, frozen=True, kw_only=True):
    """participation.submit_evaluation: a participant's answers (once; editable
    for 7 days with participation.update_evaluation)."""

    table_id: Id
    answers: Answers
