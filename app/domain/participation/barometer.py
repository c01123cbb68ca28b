"""The health barometer: evaluations rolled up into scores from 0 to 100 per
meeting and per organisation, on four dimensions and a total.

Seed 002 names the four dimensions (timing, focus on the agenda,
involvement, sentiment) but its appendix with the exact weights is not
available to us. The formula below is OUR choice, a weighted sum of
question scores; the admin help page (/participation/barometer/help) says
the same.

Question scores, each 0..100 (numbers as in app.domain.participation.evaluations):

    process       the slider as given (0 not smooth .. 100 very smooth)
    satisfaction  (faces - 1) * 25: 1 -> 0, 2 -> 25, 3 -> 50, 4 -> 75, 5 -> 100
    heard         yes 100, no 0
    opinion       yes 100, no 0
    expected      yes 100, no 0
    drift         did not drift 100; drifted and that helped 75; drifted and
                  it did not help 0
    duration      100 - 2 * |slider - 50|: just right (50) 100, too short (0)
                  or too long (100) 0

Dimensions:

    timing        = duration
    focus         = drift
    involvement   = 0.5 heard + 0.5 opinion
    sentiment     = 0.4 process + 0.4 satisfaction + 0.2 expected
    total         = 0.2 timing + 0.2 focus + 0.3 involvement + 0.3 sentiment

A group's score (a meeting, a month, a subgroup, a room, a period) is the
mean of its answers' scores. Every step is linear, so that is the formula
applied to the group's mean question scores: the database sums the question
scores in one GROUP BY (per meeting and hour), months, subgroups, rooms and
meetings are sums of those sums, and no evaluation is loaded one by one.
Scores are rounded to whole numbers (halves up) only when shown.

Anonymity (our threshold): no aggregate of fewer than MIN_ANSWERS (3)
answers is shown, not even how many there are: such a group says "not
enough answers". Because the whole is shown beside its parts (months,
subgroups, rooms, meetings), the hidden parts of one breakdown together
hold at least MIN_ANSWERS answers or none: otherwise the smallest shown
parts are hidden too (complementary suppression), so no one answer is the
whole minus the shown parts. Open-text answers are shown without names, and only from
meetings with at least MIN_ANSWERS answers.

What counts: answers to real meetings (practice tables are left out) of the
organisation, by the moment they were given, in Brussels time. A meeting's
subgroup is its table's subgroup; months are Brussels months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from piccolo.querystring import QueryString

from app.domain.core.reasons import declare
from app.domain.participation.goals import Progress, progress_of
from app.domain.participation.people import unit_labels
from app.i18n import TIMEZONE, lazy
from app.storage import db
from app.storage.participation import Goal, ParticipationTable, Room

MIN_ANSWERS = 3

PERIOD_CODES = declare(
    "participation",
    {
        "period_date_invalid": lazy("Enter a date like 2026-12-31."),
        "period_order": lazy("The end date must be on or after the start date."),
        "period_too_long": lazy("Choose a period of at most 3 years."),
    },
)
OPEN_TEXTS = 100  # the latest this many open answers of a period
MEETINGS_SHOWN = 50  # the report lists the latest this many meetings

QUESTIONS = ("process", "satisfaction", "heard", "opinion", "expected", "drift", "duration")
DIMENSIONS = ("timing", "focus", "involvement", "sentiment")
# The weights, in one place (the help page prints them from here).
INVOLVEMENT = {"heard": 0.5, "opinion": 0.5}
SENTIMENT = {"process": 0.4, "satisfaction": 0.4, "expected": 0.2}
TOTAL = {"timing": 0.2, "focus": 0.2, "involvement": 0.3, "sentiment": 0.3}
DRIFT = {"no_drift": 100, "helped": 75, "not_helped": 0}


# -- the formula, on one answer -----------------------------------------


def question_scores(answer: dict[str, Any]) -> dict[str, float]:
    """The question scores (0..100) of one answer (Evaluation columns)."""
    if not answer["drifted"]:
        drift = DRIFT["no_drift"]
    else:
        drift = DRIFT["helped"] if answer.get("drift_helped") else DRIFT["not_helped"]
    return {
        "process": float(answer["process"]),
        "satisfaction": (answer["satisfaction"] - 1) * 25.0,
        "heard": 100.0 if answer["heard"] else 0.0,
        "opinion": 100.0 if answer["opinion"] else 0.0,
        "expected": 100.0 if answer["expected"] else 0.0,
        "drift": float(drift),
        "duration": 100.0 - 2 * abs(answer["duration"] - 50),
    }


def dimensions_of(questions: dict[str, float]) -> dict[str, float]:
    """The four dimensions and the total from (mean) question scores."""
    dims = {
        "timing": questions["duration"],
        "focus": questions["drift"],
        "involvement": sum(weight * questions[name] for name, weight in INVOLVEMENT.items()),
        "sentiment": sum(weight * questions[name] for name, weight in SENTIMENT.items()),
    }
    dims["total"] = sum(weight * dims[name] for name, weight in TOTAL.items())
    return dims


def shown(value: float) -> int:
    """A score as shown: a whole number, halves rounded up."""
    return math.floor(value + 0.5 + 1e-9)


@dataclass(frozen=True)
class Score:
    """A group's score. Below MIN_ANSWERS answers nothing is known outside
    this object: `enough` is False and every number is None."""

    enough: bool
    answers: int | None = None
    total: int | None = None
    dimensions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, count: int, sums: dict[str, float]) -> Score:
        if count < MIN_ANSWERS:
            return NOT_ENOUGH
        dims = dimensions_of({name: sums[name] / count for name in QUESTIONS})
        return cls(
            enough=True,
            answers=count,
            total=shown(dims["total"]),
            dimensions={name: shown(dims[name]) for name in DIMENSIONS},
        )


NOT_ENOUGH = Score(enough=False)


def score_of_answers(answers: list[dict[str, Any]]) -> Score:
    """The score of a list of answers (the formula in Python; the barometer
    itself sums in SQL, and tests check that both agree)."""
    sums = {name: 0.0 for name in QUESTIONS}
    for answer in answers:
        for name, value in question_scores(answer).items():
            sums[name] += value
    return Score.of(len(answers), sums)


# -- the same in SQL -----------------------------------------------------

_SUMS = """
COUNT(*) AS n,
SUM(e.process) AS process,
SUM((e.satisfaction - 1) * 25) AS satisfaction,
SUM(CASE WHEN e.heard THEN 100 ELSE 0 END) AS heard,
SUM(CASE WHEN e.opinion THEN 100 ELSE 0 END) AS opinion,
SUM(CASE WHEN e.expected THEN 100 ELSE 0 END) AS expected,
SUM(CASE WHEN NOT e.drifted THEN {no_drift} WHEN e.drift_helped THEN {helped} ELSE {not_helped} END) AS drift,
SUM(100 - 2 * ABS(e.duration - 50)) AS duration
""".format(**DRIFT)

_FROM = """
FROM "evaluation" e JOIN "participation_table" t ON t."id" = e."table"
WHERE e."organisation" = {} AND e."created_at" >= {} AND e."created_at" < {} AND NOT t."practice"
"""


def _hour_bucket() -> str:
    """The UTC hour of an answer as text "YYYY-MM-DD HH": Brussels is a whole
    number of hours from UTC, so each hour falls in one Brussels month.
    (Piccolo stores SQLite timestamps as UTC text "YYYY-MM-DD HH:MM:SS+00:00".)"""
    if db.is_postgres():
        return """to_char(e."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"""
    return """substr(e."created_at", 1, 13)"""


async def _query(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await db.engine().run_querystring(QueryString(sql, *args))


def _sums(row: dict[str, Any]) -> dict[str, float]:
    return {name: float(row[name] or 0) for name in QUESTIONS}


@dataclass(frozen=True)
class Period:
    """Days from `starts_on` to `ends_on`, both included, Brussels time."""

    starts_on: date
    ends_on: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.starts_on, time(0), tzinfo=TIMEZONE).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.ends_on + timedelta(days=1), time(0), tzinfo=TIMEZONE).astimezone(UTC)


def default_period(today: date) -> Period:
    """The last twelve months, this one included."""
    first = today.replace(day=1)
    year, month = (first.year - 1, first.month + 1) if first.month < 12 else (first.year, 1)
    return Period(date(year, month, 1), today)


@dataclass(frozen=True)
class Row:
    key: Any  # a month "2026-12", a unit id, a room id, a table id
    label: str
    score: Score


@dataclass(frozen=True)
class Report:
    organisation_id: int
    period: Period
    overall: Score
    months: list[Row]
    subgroups: list[Row]
    rooms: list[Row]
    meetings: list[Row]  # the latest MEETINGS_SHOWN
    meetings_answered: int  # how many meetings have answers in the period
    texts: list[str]  # open answers without names, in alphabetical order
    goals: list[Progress]
    held: int  # meetings held in the period


def _months(period: Period) -> list[str]:
    months, year, month = [], period.starts_on.year, period.starts_on.month
    while (year, month) <= (period.ends_on.year, period.ends_on.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _brussels_month(bucket: str) -> str:
    moment = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(TIMEZONE)
    return f"{moment.year}-{moment.month:02d}"


@dataclass(frozen=True)
class Cell:
    """The sums of one meeting's answers given in one UTC hour: the one
    GROUP BY the barometer reads; months, subgroups, rooms, meetings and the
    overall score are sums of cells (sums add up exactly)."""

    table: int
    unit: int | None
    room: int
    title: str
    closed: Any
    month: str  # the Brussels month
    count: int
    sums: dict[str, float]


async def cells(organisation_id: int, period: Period) -> list[Cell]:
    bucket = _hour_bucket()
    rows = await _query(
        f'SELECT e."table" AS tbl, MAX(t."unit") AS unit, MAX(t."room") AS room, MAX(t."title") AS title, '
        f'MAX(t."closed_at") AS closed, {bucket} AS bucket, {_SUMS} {_FROM} GROUP BY e."table", {bucket}',
        organisation_id,
        period.start,
        period.end,
    )
    return [
        Cell(
            table=row["tbl"],
            unit=row["unit"],
            room=row["room"],
            title=row["title"],
            closed=row["closed"],
            month=_brussels_month(row["bucket"]),
            count=int(row["n"]),
            sums=_sums(row),
        )
        for row in rows
    ]


def _fold(found: list[Cell], key) -> dict[Any, Score]:
    counts: dict[Any, int] = {}
    sums: dict[Any, dict[str, float]] = {}
    for cell in found:
        group = key(cell)
        counts[group] = counts.get(group, 0) + cell.count
        into = sums.setdefault(group, dict.fromkeys(QUESTIONS, 0.0))
        for name, value in cell.sums.items():
            into[name] += value
    hidden = _complementary(counts)
    return {group: NOT_ENOUGH if group in hidden else Score.of(counts[group], sums[group]) for group in counts}


def _complementary(counts: dict[Any, int]) -> set[Any]:
    """The groups to hide. A group below MIN_ANSWERS is hidden, and since the
    whole is shown beside its parts, the hidden groups together must hold
    MIN_ANSWERS answers or none: otherwise the whole minus the shown groups
    is the hidden answers. Then the smallest shown groups are hidden too
    (complementary suppression), until that holds."""
    hidden = {group for group, count in counts.items() if count < MIN_ANSWERS}
    shown = sorted((count, str(group), group) for group, count in counts.items() if group not in hidden)
    total = sum(counts[group] for group in hidden)
    while 0 < total < MIN_ANSWERS and shown:
        count, _name, group = shown.pop(0)
        hidden.add(group)
        total += count
    return hidden


async def overall(organisation_id: int, period: Period, found: list[Cell] | None = None) -> Score:
    found = await cells(organisation_id, period) if found is None else found
    return _fold(found, lambda cell: None).get(None, NOT_ENOUGH)


async def by_month(organisation_id: int, period: Period, found: list[Cell] | None = None) -> list[Row]:
    """Every month of the period, oldest first (a month without enough answers too)."""
    found = await cells(organisation_id, period) if found is None else found
    scores = _fold(found, lambda cell: cell.month)
    return [Row(month, month, scores.get(month, NOT_ENOUGH)) for month in _months(period)]


async def by_subgroup(
    organisation_id: int, period: Period, whole: str = "", found: list[Cell] | None = None
) -> list[Row]:
    """Per subgroup of the tables (None: tables of the whole organisation, labelled `whole`)."""
    found = await cells(organisation_id, period) if found is None else found
    scores = _fold(found, lambda cell: cell.unit)
    labels = await unit_labels(organisation_id)
    rows = [Row(key, labels.get(key, whole) if key is not None else whole, score) for key, score in scores.items()]
    return sorted(rows, key=lambda row: (row.key is not None, row.label))


async def by_room(organisation_id: int, period: Period, found: list[Cell] | None = None) -> list[Row]:
    found = await cells(organisation_id, period) if found is None else found
    scores = _fold(found, lambda cell: cell.room)
    rooms = await Room.select(Room.id, Room.name, Room.position).where(Room.organisation == organisation_id)
    order = {room["id"]: (room["position"], room["name"]) for room in rooms}
    rows = [Row(key, order.get(key, (0, ""))[1], score) for key, score in scores.items()]
    return sorted(rows, key=lambda row: order.get(row.key, (0, "")))


async def by_meeting(organisation_id: int, period: Period, found: list[Cell] | None = None) -> list[Row]:
    """The meetings answered in the period, the latest held first."""
    found = await cells(organisation_id, period) if found is None else found
    scores = _fold(found, lambda cell: cell.table)
    meta = {cell.table: (str(cell.closed or ""), cell.title) for cell in found}
    keys = sorted(scores, key=lambda table: (meta[table][0], table), reverse=True)
    return [Row(table, meta[table][1], scores[table]) for table in keys]


async def meeting_score(table_id: int) -> Score:
    """One meeting's score over all its answers (whenever they were given)."""
    rows = await _query(
        f'SELECT {_SUMS} FROM "evaluation" e WHERE e."table" = {{}}',
        table_id,
    )
    row = rows[0] if rows else {"n": 0}
    return Score.of(int(row["n"] or 0), _sums(row)) if row["n"] else NOT_ENOUGH


async def open_texts(organisation_id: int, period: Period) -> list[str]:
    """The one-sentence and anything-else answers of the period, without
    names, only from meetings with at least MIN_ANSWERS answers; the latest
    OPEN_TEXTS answers, shown in alphabetical order (not the order they came in)."""
    rows = await _query(
        f'SELECT e."sentence" AS sentence, e."other" AS other {_FROM} '
        """AND (e."sentence" <> '' OR e."other" <> '') """
        'AND e."table" IN (SELECT x."table" FROM "evaluation" x WHERE x."organisation" = {} '
        f'GROUP BY x."table" HAVING COUNT(*) >= {MIN_ANSWERS}) '
        'ORDER BY e."created_at" DESC LIMIT {}',
        organisation_id,
        period.start,
        period.end,
        organisation_id,
        OPEN_TEXTS,
    )
    texts = [text for row in rows for text in (row["sentence"], row["other"]) if text]
    return sorted(texts, key=str.casefold)


async def goals_in(organisation_id: int, period: Period) -> list[Progress]:
    """The goals whose dates overlap the period, with their progress (coins
    earned back in the goal's own dates against its target)."""
    rows = await (
        Goal.select()
        .where(
            (Goal.organisation == organisation_id)
            & (Goal.starts_on <= period.ends_on)
            & (Goal.ends_on >= period.starts_on)
        )
        .order_by(Goal.starts_on)
    )
    return [await progress_of(goal) for goal in rows]


async def held_in(organisation_id: int, period: Period) -> int:
    return await ParticipationTable.count().where(
        (ParticipationTable.organisation == organisation_id)
        & (ParticipationTable.phase == "held")
        & (ParticipationTable.practice == False)  # noqa: E712 (a Piccolo expression)
        & (ParticipationTable.closed_at >= period.start)
        & (ParticipationTable.closed_at < period.end)
    )


async def organisation_report(organisation_id: int, period: Period, *, whole: str = "") -> Report:
    """The organisation's barometer for a period: overall, per month, per
    subgroup, per room and per meeting, the open answers, and the goals."""
    found = await cells(organisation_id, period)
    meetings = await by_meeting(organisation_id, period, found)
    return Report(
        organisation_id=organisation_id,
        period=period,
        overall=await overall(organisation_id, period, found),
        months=await by_month(organisation_id, period, found),
        subgroups=await by_subgroup(organisation_id, period, whole, found),
        rooms=await by_room(organisation_id, period, found),
        meetings=meetings[:MEETINGS_SHOWN],
        meetings_answered=len(meetings),
        texts=await open_texts(organisation_id, period),
        goals=await goals_in(organisation_id, period),
        held=await held_in(organisation_id, period),
    )


__all__ = [
    "DIMENSIONS",
    "MIN_ANSWERS",
    "NOT_ENOUGH",
    "Period",
    "Report",
    "Row",
    "Score",
    "default_period",
    "dimensions_of",
    "meeting_score",
    "organisation_report",
    "question_scores",
    "score_of_answers",
]


# -- who reads the barometer ---------------------------------------------


async def report_organisations(scope: frozenset[int] | None) -> list[dict]:
    """The organisations a report holder may choose ({id, name}, by name);
    `scope` None: every organisation (the platform admin)."""
    from app.storage.tables import Organisation

    query = Organisation.select(Organisation.id, Organisation.name)
    if scope is not None:
        if not scope:
            return []
        query = query.where(Organisation.id.is_in(sorted(scope)))
    return list(await query.order_by(Organisation.name))


async def table_of(table_id: int) -> dict | None:
    return await (
        ParticipationTable.select(
            ParticipationTable.id,
            ParticipationTable.organisation,
            ParticipationTable.title,
            ParticipationTable.phase,
            ParticipationTable.closed_at,
            ParticipationTable.practice,
        )
        .where(ParticipationTable.id == table_id)
        .first()
    )


async def sits_at(table_id: int, user_id: int) -> bool:
    """Whether the person has (or had) a seat at the table: they may see its score."""
    from app.storage.participation import Seat

    return await Seat.exists().where((Seat.table == table_id) & (Seat.user == user_id))


MAX_PERIOD_DAYS = 3 * 366  # a report covers at most about three years (our choice)


def read_period(starts: str, ends: str, today: date) -> tuple[Period, dict[str, str]]:
    """The period of a report form (YYYY-MM-DD texts; both empty: the
    default period) and problems per field ({"from" or "to": code}); with
    problems, the default period."""
    fallback = default_period(today)
    if not starts.strip() and not ends.strip():
        return fallback, {}
    problems: dict[str, str] = {}
    parsed: dict[str, date] = {}
    for name, text in (("from", starts), ("to", ends)):
        try:
            day = date.fromisoformat(text.strip()[:10])
        except ValueError:
            problems[name] = "period_date_invalid"
            continue
        if not 2000 <= day.year <= 2100:
            problems[name] = "period_date_invalid"
        else:
            parsed[name] = day
    if not problems and parsed["from"] > parsed["to"]:
        problems["to"] = "period_order"
    if not problems and (parsed["to"] - parsed["from"]).days > MAX_PERIOD_DAYS:
        problems["to"] = "period_too_long"
    if problems:
        return fallback, problems
    return Period(parsed["from"], parsed["to"]), {}
