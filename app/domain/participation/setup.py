"""An organisation's participation set-up and its defaults.

Every organisation works the day it is created: without a stored
ParticipationSettings row the defaults below hold, and its default rooms
are added when it is created (participation.set_up_defaults, run by
admin.create_organisation) or by migration 0013 for older organisations.

Numbers that seed 002 does not give are our choice, and the help text says
so: a table needs 2 chairs besides the opener (MIN_CHAIRS), at most 10
chairs, 10 coins a month, topped up at the start of each month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import msgspec

from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import Reason, declare
from app.domain.participation.moments import EVERY_WEEK, LAST, NTHS, parse_time
from app.i18n import lazy
from app.storage import db
from app.storage.participation import ConsultationMoment, Goal, ParticipationSettings, Room
from app.storage.tables import Organisation, Unit

PERIODS = ("month", "quarter")
REFILLS = ("top_up", "add")


@dataclass(frozen=True)
class Settings:
    organisation_id: int
    table_price: int = 3
    chair_price: int = 1
    coins_per_period: int = 10
    period: str = "month"
    refill: str = "top_up"
    min_chairs: int = 2
    max_chairs: int = 10
    practice_coins: int = 10


FIELDS = (
    "table_price",
    "chair_price",
    "coins_per_period",
    "period",
    "refill",
    "min_chairs",
    "max_chairs",
    "practice_coins",
)


async def settings_of(organisation_id: int) -> Settings:
    row = await ParticipationSettings.select().where(ParticipationSettings.organisation == organisation_id).first()
    if row is None:
        return Settings(organisation_id)
    return Settings(organisation_id, **{name: row[name] for name in FIELDS})


# The default rooms, per language of the organisation (seed 002: the
# organisation adds, removes and renames rooms at its intake).
DEFAULT_ROOMS = {
    "nl": [
        ("Werkplek en veiligheid", "Materiaal, werkplek, veilig en gezond werken."),
        ("Planning en uurroosters", "Uren, ploegen, verlof en vervangingen."),
        ("Samenwerking en sfeer", "Hoe we met elkaar en met leidinggevenden omgaan."),
        ("Opleiding en groei", "Leren, opleidingen en doorgroeien."),
        ("Ideeën en verbeteringen", "Wat beter, sneller of slimmer kan."),
    ],
    "fr": [
        ("Poste de travail et sécurité", "Matériel, poste de travail, travailler en sécurité et en bonne santé."),
        ("Planning et horaires", "Heures, équipes, congés et remplacements."),
        ("Collaboration et ambiance", "Comment nous travaillons ensemble et avec les responsables."),
        ("Formation et évolution", "Apprendre, se former et évoluer."),
        ("Idées et améliorations", "Ce qui peut se faire mieux, plus vite ou plus simplement."),
    ],
    "en": [
        ("Workplace and safety", "Equipment, the workplace, working safely and healthily."),
        ("Planning and rosters", "Hours, shifts, leave and replacements."),
        ("Working together", "How we work with each other and with managers."),
        ("Training and growth", "Learning, courses and moving up."),
        ("Ideas and improvements", "What could be better, faster or smarter."),
    ],
}


async def add_default_rooms(organisation_id: int) -> int:
    """Adds the default rooms when the organisation has none; returns how many."""
    if await Room.exists().where(Room.organisation == organisation_id):
        return 0
    row = await Organisation.select(Organisation.default_language).where(Organisation.id == organisation_id).first()
    if row is None:
        return 0
    rooms = DEFAULT_ROOMS.get(row["default_language"], DEFAULT_ROOMS["nl"])
    now = utcnow()
    await Room.insert(
        *[
            Room(organisation=organisation_id, name=name, description=text, position=index, created_at=now)
            for index, (name, text) in enumerate(rooms)
        ]
    )
    return len(rooms)


class SetUpDefaults(Payload, frozen=True, kw_only=True):
    """participation.set_up_defaults: the default rooms of a new organisation."""

    organisation_id: Id


@handler("participation.set_up_defaults", SetUpDefaults)
async def set_up_defaults(command: Command[SetUpDefaults]) -> Effect:
    """Add the default rooms of an organisation that has none."""
    await acting(command, "admin.organisations")
    added = await add_default_rooms(command.payload.organisation_id)
    return Effect(
        target_type="organisation",
        target_id=command.payload.organisation_id,
        organisation_id=command.payload.organisation_id,
        ids={"rooms_added": added},
    )


PERIOD_LABELS = {"month": lazy("month"), "quarter": lazy("quarter")}

MANAGE = "participation.manage"

# Bounds of the set-up numbers (our choice; the help text says so).
LIMITS = {
    "table_price": (1, 100),
    "chair_price": (1, 100),
    "coins_per_period": (1, 1000),
    "min_chairs": (1, 50),
    "max_chairs": (1, 50),
    "practice_coins": (0, 1000),
}

SETUP_CODES = declare(
    "participation",
    {
        "number_out_of_range": lazy("Give a whole number from %(min)d to %(max)d."),
        "min_above_max": lazy("The minimum number of chairs cannot be more than the maximum."),
        "table_price_above_coins": lazy(
            "A table cannot cost more than the coins a worker gets per period, or nobody could open one."
        ),
        "period_unknown": lazy("Choose per month or per quarter."),
        "refill_unknown": lazy("Choose how the coins are refilled."),
        "goal_title_missing": lazy("Give the goal a title."),
        "goal_target_invalid": lazy("Give the number of coins to reach: a whole number from 1 to 100000."),
        "date_invalid": lazy("Give a real date, for example 2027-01-31."),
        "end_before_start": lazy("The end date cannot be before the start date."),
        "goal_unknown": lazy("This goal does not exist (any more)."),
        "weekday_unknown": lazy("Choose a day of the week."),
        "nth_unknown": lazy("Choose which week of the month."),
        "time_invalid": lazy("Give the time as hours and minutes, for example 14:00."),
        "duration_invalid": lazy("Give the duration in minutes: from 15 to 480."),
        "moment_place_missing": lazy("Say where the moment takes place."),
        "unit_unknown": lazy("Choose a subgroup of this organisation."),
    },
)


async def manager_of(command: Command, organisation_id: int) -> Actor:
    """The actor, who must manage participation in this organisation (its
    org_admin or one of its ambassadors; the platform admin anywhere). Any
    other organisation answers not_found: nothing is learned about it."""
    actor = await acting(command, MANAGE)
    if not actor.covers(organisation_id):
        raise Rejected("not_found")
    if not await Organisation.exists().where(Organisation.id == organisation_id):
        raise Rejected("not_found")
    return actor


async def subgroup_of(organisation_id: int, unit_id: int | None, field: str = "unit_id") -> int | None:
    """A unit of kind subgroup of the organisation, else unit_unknown."""
    if unit_id is None:
        return None
    unit = await Unit.select(Unit.organisation, Unit.kind).where(Unit.id == unit_id).first()
    if unit is None or unit["organisation"] != organisation_id or unit["kind"] != "subgroup":
        raise Rejected("unit_unknown", field, organisation_id=organisation_id)
    return unit_id


# -- the numbers -----------------------------------------------------------

Count = Annotated[int, msgspec.Meta(ge=-(10**6), le=10**6)]


class UpdateSettings(Payload, frozen=True, kw_only=True):
    """participation.update_settings: prices, coins per period, the refill rule, chairs."""

    organisation_id: Id
    table_price: Count
    chair_price: Count
    coins_per_period: Count
    period: Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)]
    refill: Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)]
    min_chairs: Count
    max_chairs: Count
    practice_coins: Count


def settings_errors(payload: UpdateSettings) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, (low, high) in LIMITS.items():
        if not low <= getattr(payload, name) <= high:
            errors[name] = "number_out_of_range"
    if payload.period not in PERIODS:
        errors["period"] = "period_unknown"
    if payload.refill not in REFILLS:
        errors["refill"] = "refill_unknown"
    if "min_chairs" not in errors and "max_chairs" not in errors and payload.min_chairs > payload.max_chairs:
        errors["min_chairs"] = "min_above_max"
    if (
        "table_price" not in errors
        and "coins_per_period" not in errors
        and payload.table_price > payload.coins_per_period
    ):
        errors["table_price"] = "table_price_above_coins"
    return errors


@handler("participation.update_settings", UpdateSettings, codes=tuple(SETUP_CODES))
async def update_settings(command: Command[UpdateSettings]) -> Effect:
    """Change an organisation's prices, coins, refill rule and chair limits
    (tables already opened keep the prices they were opened with)."""
    payload = command.payload
    organisation_id = payload.organisation_id
    await manager_of(command, organisation_id)
    errors = settings_errors(payload)
    if errors:
        reasons = [
            Reason(code, name, _limits(name) if code == "number_out_of_range" else {}) for name, code in errors.items()
        ]
        raise Rejected.of(reasons, organisation_id=organisation_id)
    values: dict[Any, Any] = {name: getattr(payload, name) for name in FIELDS}
    now = utcnow()
    await db.lock(Organisation, organisation_id)  # parallel first saves insert one row
    existing = await ParticipationSettings.select(ParticipationSettings.id).where(
        ParticipationSettings.organisation == organisation_id
    )
    if existing:
        await ParticipationSettings.update({**values, "updated_at": now}).where(
            ParticipationSettings.organisation == organisation_id
        )
    else:
        await ParticipationSettings.insert(
            ParticipationSettings(organisation=organisation_id, updated_at=now, **values)
        )
    detail = " ".join(f"{name}={value}" for name, value in values.items())
    return Effect(target_type="organisation", target_id=organisation_id, organisation_id=organisation_id, detail=detail)


def _limits(name: str) -> dict:
    low, high = LIMITS[name]
    return {"min": low, "max": high}


# -- the collective goal -----------------------------------------------------

GoalTitle = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)]
DateText = Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]


class SetGoal(Payload, frozen=True, kw_only=True):
    """participation.set_goal: add a goal (no goal_id) or change one."""

    organisation_id: Id
    goal_id: Id | None = None
    title: GoalTitle
    target_coins: Count
    reward: LongText = ""
    starts_on: DateText
    ends_on: DateText


class RemoveGoal(Payload, frozen=True, kw_only=True):
    goal_id: Id


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


async def _goal(goal_id: int, command: Command) -> dict:
    row = await Goal.select().where(Goal.id == goal_id).first()
    if row is None:
        raise Rejected("not_found")
    await manager_of(command, row["organisation"])
    return row


@handler("participation.set_goal", SetGoal, codes=tuple(SETUP_CODES))
async def set_goal(command: Command[SetGoal]) -> Effect:
    """Add or change the collective goal: a title, the coins to earn back
    through completed meetings between two dates, and the reward."""
    payload = command.payload
    organisation_id = payload.organisation_id
    await manager_of(command, organisation_id)
    if payload.goal_id is not None:
        existing = await _goal(payload.goal_id, command)
        if existing["organisation"] != organisation_id:
            raise Rejected("not_found")
    errors: dict[str, str] = {}
    if not payload.title.strip():
        errors["title"] = "goal_title_missing"
    if not 1 <= payload.target_coins <= 100_000:
        errors["target_coins"] = "goal_target_invalid"
    starts_on, ends_on = _date(payload.starts_on), _date(payload.ends_on)
    if starts_on is None:
        errors["starts_on"] = "date_invalid"
    if ends_on is None:
        errors["ends_on"] = "date_invalid"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "end_before_start"
    if errors:
        raise Rejected.each(errors, organisation_id=organisation_id)
    values: dict[Any, Any] = {
        "title": payload.title.strip(),
        "target_coins": payload.target_coins,
        "reward": payload.reward.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    if payload.goal_id is None:
        rows = await Goal.insert(Goal(organisation=organisation_id, created_at=utcnow(), **values))
        goal_id = rows[0]["id"]
    else:
        goal_id = payload.goal_id
        await Goal.update(values).where(Goal.id == goal_id)
    return Effect(
        target_type="participation_goal",
        target_id=goal_id,
        organisation_id=organisation_id,
        ids={"goal_id": goal_id},
        detail=f"target={payload.target_coins} {starts_on}..{ends_on}",
    )


@handler("participation.remove_goal", RemoveGoal, codes=tuple(SETUP_CODES))
async def remove_goal(command: Command[RemoveGoal]) -> Effect:
    """Remove a collective goal (the coins earned stay in the ledger)."""
    goal = await _goal(command.payload.goal_id, command)
    await Goal.delete().where(Goal.id == goal["id"])
    return Effect(target_type="participation_goal", target_id=goal["id"], organisation_id=goal["organisation"])


async def goals_of(organisation_id: int) -> list[dict]:
    return await Goal.select().where(Goal.organisation == organisation_id).order_by(Goal.starts_on, ascending=False)


# -- fixed consultation moments ---------------------------------------------

PlaceText = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
TimeText = Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)]


class SaveMoment(Payload, frozen=True, kw_only=True):
    """participation.save_moment: add a fixed consultation moment (no moment_id) or change one."""

    organisation_id: Id
    moment_id: Id | None = None
    weekday: Count
    nth: Count = 1
    time: TimeText
    duration_minutes: Count = 60
    place: PlaceText
    unit_id: Id | None = None


class RemoveMoment(Payload, frozen=True, kw_only=True):
    moment_id: Id


async def _moment(moment_id: int, command: Command) -> dict:
    row = await ConsultationMoment.select().where(ConsultationMoment.id == moment_id).first()
    if row is None or not row["active"]:
        raise Rejected("not_found")
    await manager_of(command, row["organisation"])
    return row


@handler("participation.save_moment", SaveMoment, codes=tuple(SETUP_CODES))
async def save_moment(command: Command[SaveMoment]) -> Effect:
    """Add or change a fixed consultation moment (weekday, which week of the
    month or every week, time, duration, place, optionally one subgroup)."""
    payload = command.payload
    organisation_id = payload.organisation_id
    await manager_of(command, organisation_id)
    if payload.moment_id is not None and (await _moment(payload.moment_id, command))["organisation"] != organisation_id:
        raise Rejected("not_found")
    errors: dict[str, str] = {}
    if not 0 <= payload.weekday <= 6:
        errors["weekday"] = "weekday_unknown"
    if payload.nth not in NTHS:
        errors["nth"] = "nth_unknown"
    if parse_time(payload.time.strip()) is None:
        errors["time"] = "time_invalid"
    if not 15 <= payload.duration_minutes <= 480:
        errors["duration_minutes"] = "duration_invalid"
    if not payload.place.strip():
        errors["place"] = "moment_place_missing"
    if errors:
        raise Rejected.each(errors, organisation_id=organisation_id)
    unit_id = await subgroup_of(organisation_id, payload.unit_id)
    values: dict[Any, Any] = {
        "weekday": payload.weekday,
        "nth": payload.nth,
        "time": payload.time.strip(),
        "duration_minutes": payload.duration_minutes,
        "place": payload.place.strip(),
        "unit": unit_id,
    }
    if payload.moment_id is None:
        rows = await ConsultationMoment.insert(
            ConsultationMoment(organisation=organisation_id, created_at=utcnow(), **values)
        )
        moment_id = rows[0]["id"]
    else:
        moment_id = payload.moment_id
        await ConsultationMoment.update(values).where(ConsultationMoment.id == moment_id)
    return Effect(
        target_type="consultation_moment",
        target_id=moment_id,
        organisation_id=organisation_id,
        ids={"moment_id": moment_id},
        detail=f"weekday={payload.weekday} nth={payload.nth} time={payload.time.strip()}",
    )


@handler("participation.remove_moment", RemoveMoment, codes=tuple(SETUP_CODES))
async def remove_moment(command: Command[RemoveMoment]) -> Effect:
    """Stop a fixed consultation moment (meetings already set on it keep their date)."""
    moment = await _moment(command.payload.moment_id, command)
    await ConsultationMoment.update({"active": False}).where(ConsultationMoment.id == moment["id"])
    return Effect(target_type="consultation_moment", target_id=moment["id"], organisation_id=moment["organisation"])


async def moments_of(organisation_id: int) -> list[dict]:
    """The organisation's active fixed moments, with their subgroup's name."""
    return await (
        ConsultationMoment.select(*ConsultationMoment.all_columns(), ConsultationMoment.unit.name.as_alias("unit_name"))
        .where((ConsultationMoment.organisation == organisation_id) & (ConsultationMoment.active == True))  # noqa: E712
        .order_by(ConsultationMoment.weekday)
        .order_by(ConsultationMoment.time)
    )


WEEKDAY_LABELS = (
    lazy("Monday"),
    lazy("Tuesday"),
    lazy("Wednesday"),
    lazy("Thursday"),
    lazy("Friday"),
    lazy("Saturday"),
    lazy("Sunday"),
)
NTH_LABELS = {
    EVERY_WEEK: lazy("every week"),
    1: lazy("the first of the month"),
    2: lazy("the second of the month"),
    3: lazy("the third of the month"),
    4: lazy("the fourth of the month"),
    LAST: lazy("the last of the month"),
}
# How a moment recurs, in a sentence with its weekday ("every first Tuesday of the month").
RECURRENCE_LABELS = {
    EVERY_WEEK: lazy("every %(day)s"),
    1: lazy("every first %(day)s of the month"),
    2: lazy("every second %(day)s of the month"),
    3: lazy("every third %(day)s of the month"),
    4: lazy("every fourth %(day)s of the month"),
    LAST: lazy("every last %(day)s of the month"),
}
REFILL_LABELS = {
    "top_up": lazy("Top up to the amount"),
    "add": lazy("Add to what is left"),
}
