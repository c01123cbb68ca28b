"""The health barometer's formula with worked examples, the anonymity
threshold (no aggregate under 3 answers), and the SQL roll-up per month,
subgroup, room and meeting agreeing with the formula in Python."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.participation import barometer
from app.domain.participation.barometer import (
    MIN_ANSWERS,
    Period,
    Score,
    dimensions_of,
    question_scores,
    score_of_answers,
)
from app.storage.participation import Goal, Room
from tests.support.evaluations import GOOD, answer_row, held_table
from tests.support.participation import person, world

BEST = {**GOOD, "process": 100, "satisfaction": 5, "duration": 50}
WORST = {**GOOD, "process": 0, "satisfaction": 1, "heard": False, "opinion": False, "expected": False}
WORST = {**WORST, "drifted": True, "drift_helped": False, "duration": 0}


def test_question_scores():
    assert question_scores(BEST) == {
        "process": 100,
        "satisfaction": 100,
        "heard": 100,
        "opinion": 100,
        "expected": 100,
        "drift": 100,
        "duration": 100,
    }
    assert question_scores(WORST) == dict.fromkeys(question_scores(WORST), 0)
    assert question_scores({**GOOD, "satisfaction": 3})["satisfaction"] == 50
    assert question_scores({**GOOD, "drifted": True, "drift_helped": True})["drift"] == 75
    assert question_scores({**GOOD, "drifted": True, "drift_helped": None})["drift"] == 0
    assert question_scores({**GOOD, "duration": 100})["duration"] == 0
    assert question_scores({**GOOD, "duration": 65})["duration"] == 70


def test_worked_example_one_answer():
    """process 80, satisfaction 4 faces, heard yes, opinion no, expected yes,
    drifted and it helped, duration 60:
    questions: process 80, satisfaction 75, heard 100, opinion 0, expected 100, drift 75, duration 80
    timing 80; focus 75; involvement 0.5*100 + 0.5*0 = 50;
    sentiment 0.4*80 + 0.4*75 + 0.2*100 = 32 + 30 + 20 = 82;
    total 0.2*80 + 0.2*75 + 0.3*50 + 0.3*82 = 16 + 15 + 15 + 24.6 = 70.6."""
    answer = {**GOOD, "process": 80, "satisfaction": 4, "opinion": False, "drifted": True, "drift_helped": True}
    answer["duration"] = 60
    dims = dimensions_of(question_scores(answer))
    assert dims == pytest.approx({"timing": 80, "focus": 75, "involvement": 50, "sentiment": 82, "total": 70.6})


def test_worked_example_three_answers():
    """Three answers: the best one, the worst one, and one in between
    (process 50, satisfaction 3, heard yes, opinion yes, expected no, no drift, duration 75):
    mean questions: process 50, satisfaction 50, heard 66.67, opinion 66.67, expected 33.33,
    drift 66.67, duration (100 + 0 + 50) / 3 = 50;
    timing 50; focus 66.67; involvement 66.67; sentiment 0.4*50 + 0.4*50 + 0.2*33.33 = 46.67;
    total 0.2*50 + 0.2*66.67 + 0.3*66.67 + 0.3*46.67 = 10 + 13.33 + 20 + 14 = 57.33 -> 57."""
    middle = {**GOOD, "process": 50, "satisfaction": 3, "expected": False, "duration": 75}
    score = score_of_answers([BEST, WORST, middle])
    assert score == Score(
        enough=True,
        answers=3,
        total=57,
        dimensions={"timing": 50, "focus": 67, "involvement": 67, "sentiment": 47},
    )


def test_fewer_than_three_answers_show_nothing():
    assert MIN_ANSWERS == 3
    for answers in ([], [BEST], [BEST, WORST]):
        score = score_of_answers(answers)
        assert score == Score(enough=False)
        assert score.total is None and score.answers is None and score.dimensions == {}
    assert score_of_answers([BEST] * 3).total == 100


def test_halves_round_up():
    assert barometer.shown(70.5) == 71 and barometer.shown(70.49) == 70 and barometer.shown(0) == 0


async def _scene():
    w = await world()
    people = [await person(f"p{n}@example.be", w.org, w.early) for n in range(6)]
    rooms = await Room.select(Room.id).where(Room.organisation == w.org).order_by(Room.position)
    return w, people, [room["id"] for room in rooms]


NOT_SHOWN = Score(enough=False)


async def test_the_sql_roll_up_agrees_with_the_formula_and_hides_small_groups():
    w, people, rooms = await _scene()
    november = datetime(2026, 11, 10, 12, tzinfo=UTC)
    december = datetime(2026, 12, 2, 12, tzinfo=UTC)
    big = await held_table(w.org, rooms[0], people[0], people[1:5], unit=w.early, closed_at=november)
    small = await held_table(w.org, rooms[1], people[0], people[1:3], unit=w.late, closed_at=december, title="Klein")
    answers_big = [
        {**GOOD, "process": 90},
        {**GOOD, "satisfaction": 2, "heard": False},
        {**GOOD, "drifted": True, "drift_helped": True, "duration": 70},
        {**GOOD, "expected": False, "duration": 20},
    ]
    for user, answers in zip(people[:4], answers_big, strict=True):
        await answer_row(big, w.org, user, at=november, **answers)
    for user in people[:2]:
        await answer_row(small, w.org, user, at=december, process=10)
    period = Period(date(2026, 10, 1), date(2026, 12, 31))
    report = await barometer.organisation_report(w.org, period, whole="whole")
    expected_big = score_of_answers(answers_big)
    # The small group (2 answers) is hidden; since the whole is shown, showing
    # the big group would give the small one away (whole minus big), so the
    # big one is hidden too in every breakdown (complementary suppression).
    assert [(row.key, row.score) for row in report.months] == [
        ("2026-10", Score(enough=False)),
        ("2026-11", Score(enough=False)),
        ("2026-12", Score(enough=False)),
    ]
    assert report.overall == score_of_answers(answers_big + [{**GOOD, "process": 10}] * 2)
    assert {row.key: row.score for row in report.subgroups} == {w.early: NOT_SHOWN, w.late: NOT_SHOWN}
    assert [row.label for row in report.subgroups] == [
        "Gent \u203a Productie \u203a Ploeg Laat",
        "Gent \u203a Productie \u203a Ploeg Vroeg",
    ]
    assert {row.key: row.score for row in report.rooms} == {rooms[0]: NOT_SHOWN, rooms[1]: NOT_SHOWN}
    assert [(row.label, row.score.enough) for row in report.meetings] == [("Klein", False), ("Pauzeruimte", False)]
    # A third meeting of three answers: hiding it (the smallest shown) with the
    # small one leaves five hidden answers, and the big meeting is shown again.
    third = await held_table(w.org, rooms[2], people[0], people[1:3], unit=w.early, closed_at=november, title="Derde")
    for user in people[:3]:
        await answer_row(third, w.org, user, at=november)
    report = await barometer.organisation_report(w.org, period, whole="whole")
    scores = {row.label: row.score for row in report.meetings}
    assert scores["Pauzeruimte"] == expected_big and not scores["Derde"].enough and not scores["Klein"].enough
    assert await barometer.meeting_score(small) == Score(enough=False)
    assert await barometer.meeting_score(big) == expected_big
    assert report.held == 3


async def test_months_are_brussels_months():
    """23:30 UTC on 30 November is already December in Brussels."""
    w, people, rooms = await _scene()
    late_night = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    table = await held_table(w.org, rooms[0], people[0], people[1:3], closed_at=late_night)
    for user in people[:3]:
        await answer_row(table, w.org, user, at=late_night)
    months = await barometer.by_month(w.org, Period(date(2026, 11, 1), date(2026, 12, 31)))
    assert [(row.key, row.score.enough) for row in months] == [("2026-11", False), ("2026-12", True)]


async def test_open_texts_come_only_from_meetings_with_three_answers_and_without_names():
    w, people, rooms = await _scene()
    at = datetime(2026, 11, 10, 12, tzinfo=UTC)
    three = await held_table(w.org, rooms[0], people[0], people[1:3], closed_at=at)
    two = await held_table(w.org, rooms[0], people[0], people[1:2], closed_at=at)
    for n, user in enumerate(people[:3]):
        await answer_row(three, w.org, user, at=at, sentence=f"zin {n}", other="meer" if n == 0 else "")
    for user in people[:2]:
        await answer_row(two, w.org, user, at=at, sentence="verraadt wie")
    texts = await barometer.open_texts(w.org, Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert texts == ["meer", "zin 0", "zin 1", "zin 2"]


async def test_practice_tables_and_other_organisations_do_not_count():
    w, people, rooms = await _scene()
    other = await world("andere")
    stranger = await person("s@example.be", other.org, other.early)
    at = datetime(2026, 11, 10, 12, tzinfo=UTC)
    practice = await held_table(w.org, rooms[0], people[0], people[1:3], closed_at=at, practice=True)
    foreign = await held_table(other.org, other.room, stranger, closed_at=at)
    for user in people[:3]:
        await answer_row(practice, w.org, user, at=at)
        await answer_row(foreign, other.org, None, at=at)
    report = await barometer.organisation_report(w.org, Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert report.overall == Score(enough=False) and report.meetings == [] and report.held == 0


async def test_the_period_report_names_the_goals_with_their_progress():
    w, _people, _rooms = await _scene()
    await Goal.insert(
        Goal(
            organisation=w.org,
            title="Tien overleggen",
            target_coins=40,
            reward="Een ontbijt",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 31),
            created_at=datetime.now(UTC),
        )
    )
    report = await barometer.organisation_report(w.org, Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert [(goal.title, goal.target, goal.earned) for goal in report.goals] == [("Tien overleggen", 40, 0)]
    outside = await barometer.organisation_report(w.org, Period(date(2027, 1, 1), date(2027, 1, 31)))
    assert outside.goals == []


def test_default_period_is_twelve_months():
    assert barometer.default_period(date(2026, 12, 3)) == Period(date(2026, 1, 1), date(2026, 12, 3))
    assert barometer.default_period(date(2026, 5, 31)) == Period(date(2025, 6, 1), date(2026, 5, 31))
