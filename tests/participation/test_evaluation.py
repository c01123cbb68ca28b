"""The evaluation after a meeting (seed 002, section 4.5): one answer per
participant, changeable for 7 days, only after the meeting was held, only
by the people at the table, and safe under parallel sends."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.domain.participation.evaluations import form_values, read_answers
from app.storage.participation import Evaluation, Seat
from app.storage.tables import User
from tests.support.evaluations import GOOD, held_table, now
from tests.support.participation import do, person, world


async def _people(w, count: int = 3) -> list[int]:
    return [await person(f"p{n}@example.be", w.org, w.early) for n in range(count)]


async def test_every_participant_answers_once_and_a_second_answer_is_refused():
    w = await world()
    opener, chair, guest = await _people(w)
    table = await held_table(w.org, w.room, opener, [chair], guests=[guest], unit=w.early)
    first = await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, opener)
    assert first.applied, first.errors
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, chair)).applied
    again = await do("participation.submit_evaluation", {"table_id": table, "answers": {**GOOD, "process": 1}}, opener)
    assert again.code() == "already_evaluated"
    rows = await Evaluation.select().order_by(Evaluation.id)
    assert [(row["user"], row["process"]) for row in rows] == [(opener, 80), (chair, 80)]
    assert rows[0]["organisation"] == w.org and rows[0]["drift_helped"] is None
    # A guest (an outside facilitator) does not answer.
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, guest)).code() == (
        "not_participant"
    )
    assert await Evaluation.count() == 2


async def test_only_held_meetings_and_only_people_at_the_table():
    w = await world()
    opener, chair, colleague = await _people(w)
    planned = await held_table(w.org, w.room, opener, [chair], phase="planned")
    outcome = await do("participation.submit_evaluation", {"table_id": planned, "answers": GOOD}, opener)
    assert outcome.code() == "meeting_not_held"
    held = await held_table(w.org, w.room, opener, [chair])
    assert (await do("participation.submit_evaluation", {"table_id": held, "answers": GOOD}, colleague)).code() == (
        "not_participant"
    )
    # A chair given back is no seat any more.
    await Seat.update({Seat.refunded_at: now()}).where((Seat.table == held) & (Seat.user == chair))
    assert (await do("participation.submit_evaluation", {"table_id": held, "answers": GOOD}, chair)).code() == (
        "not_participant"
    )
    assert await Evaluation.count() == 0


async def test_another_organisations_table_is_not_found():
    w = await world()
    other = await world("andere")
    stranger = await person("stranger@example.be", other.org, other.early)
    opener = await person("opener@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener)
    for type in ("participation.submit_evaluation", "participation.update_evaluation"):
        outcome = await do(type, {"table_id": table, "answers": GOOD}, stranger)
        assert outcome.code() == "not_found", type
    assert (await do("participation.submit_evaluation", {"table_id": 99999, "answers": GOOD}, opener)).code() == (
        "not_found"
    )
    assert await Evaluation.count() == 0


async def test_drifted_needs_to_say_whether_it_helped_and_the_follow_up_is_ignored_otherwise():
    w = await world()
    opener, chair = await _people(w, 2)
    table = await held_table(w.org, w.room, opener, [chair])
    drifted = {**GOOD, "drifted": True}
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": drifted}, opener)).code(
        "drift_helped"
    ) == "drift_helped_missing"
    ok = await do(
        "participation.submit_evaluation", {"table_id": table, "answers": {**drifted, "drift_helped": True}}, opener
    )
    assert ok.applied
    ignored = {**GOOD, "drifted": False, "drift_helped": True}
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": ignored}, chair)).applied
    rows = await Evaluation.select(Evaluation.user, Evaluation.drift_helped).order_by(Evaluation.id)
    assert [row["drift_helped"] for row in rows] == [True, None]


async def test_an_answer_can_be_changed_for_seven_days_then_not():
    w = await world()
    opener, chair = await _people(w, 2)
    table = await held_table(w.org, w.room, opener, [chair])
    missing = await do("participation.update_evaluation", {"table_id": table, "answers": GOOD}, opener)
    assert missing.code() == "not_evaluated"
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, opener)).applied
    changed = await do(
        "participation.update_evaluation", {"table_id": table, "answers": {**GOOD, "satisfaction": 2}}, opener
    )
    assert changed.applied, changed.errors
    assert (await Evaluation.select(Evaluation.satisfaction).first())["satisfaction"] == 2
    # Six days and 23 hours later it still changes; after seven days it does not.
    await Evaluation.update({Evaluation.created_at: now() - timedelta(days=6, hours=23)}, force=True)
    assert (
        await do("participation.update_evaluation", {"table_id": table, "answers": {**GOOD, "process": 10}}, opener)
    ).applied
    await Evaluation.update({Evaluation.created_at: now() - timedelta(days=7, minutes=1)}, force=True)
    late = await do("participation.update_evaluation", {"table_id": table, "answers": {**GOOD, "process": 99}}, opener)
    assert late.code() == "evaluation_closed" and late.reasons[0].params == {"days": 7}
    assert (await Evaluation.select(Evaluation.process).first())["process"] == 10


async def test_thirty_parallel_answers_of_one_person_make_exactly_one_row():
    w = await world()
    opener, chair = await _people(w, 2)
    table = await held_table(w.org, w.room, opener, [chair])
    outcomes = await asyncio.gather(
        *[
            do("participation.submit_evaluation", {"table_id": table, "answers": {**GOOD, "process": n}}, opener)
            for n in range(30)
        ]
    )
    assert sum(outcome.applied for outcome in outcomes) == 1
    assert {outcome.code() for outcome in outcomes if not outcome.applied} == {"already_evaluated"}
    assert await Evaluation.count().where(Evaluation.user == opener) == 1


async def test_bad_payloads_are_refused_and_store_nothing():
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener)
    bad = [
        {**GOOD, "process": 101},
        {**GOOD, "duration": -1},
        {**GOOD, "satisfaction": 0},
        {**GOOD, "satisfaction": 6},
        {**GOOD, "sentence": "x" * 301},
        {**GOOD, "other": "y" * 2001},
        {**GOOD, "sentence": "nul\x00byte"},
        {**GOOD, "colour": "blue"},
        {key: value for key, value in GOOD.items() if key != "heard"},
    ]
    for answers in bad:
        outcome = await do("participation.submit_evaluation", {"table_id": table, "answers": answers}, opener)
        assert not outcome.applied, answers
    assert await Evaluation.count() == 0
    odd = {**GOOD, "sentence": "Ça va 👍🏽 \u202e ok", "other": "é" * 2000}
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": odd}, opener)).applied
    assert (await Evaluation.select(Evaluation.sentence).first())["sentence"] == "Ça va 👍🏽 \u202e ok"


async def test_a_person_who_leaves_keeps_their_answer_anonymous():
    """Leaving clears the row's user (the account is erased or the leaving
    command sets it to null): the answer stays and counts, without a name."""
    w = await world()
    opener, chair = await _people(w, 2)
    table = await held_table(w.org, w.room, opener, [chair])
    assert (await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, chair)).applied
    await Seat.delete().where(Seat.user == chair)
    await User.delete().where(User.id == chair)
    [row] = await Evaluation.select()
    assert row["user"] is None and row["process"] == 80


def test_reading_a_form():
    form = {
        "process": "35",
        "satisfaction": "5",
        "sentence": "  Kort en goed. ",
        "heard": "yes",
        "opinion": "no",
        "expected": "yes",
        "drifted": "no",
        "drift_helped": "yes",
        "duration": "50",
        "duration_typed": "70",
        "other": "",
    }
    answers, problems = read_answers(form)
    assert problems == {}
    assert answers == {
        "process": 35,
        "duration": 70,  # the typed number wins over the slider
        "satisfaction": 5,
        "heard": True,
        "opinion": False,
        "expected": True,
        "drifted": False,
        "sentence": "Kort en goed.",
        "other": "",
    }
    answers, problems = read_answers({"process": "abc", "drifted": "yes", "sentence": "z" * 301})
    assert problems == {
        "process": ("slider_invalid", {}),
        "duration": ("slider_invalid", {}),
        "satisfaction": ("face_missing", {}),
        "heard": ("yes_no_missing", {}),
        "opinion": ("yes_no_missing", {}),
        "expected": ("yes_no_missing", {}),
        "drift_helped": ("drift_helped_missing", {}),
        "sentence": ("answer_too_long", {"max": 300}),
    }
    assert read_answers({**form, "process": "150"})[1] == {"process": ("slider_invalid", {})}
    stored = {**GOOD, "drift_helped": None}
    assert read_answers(form_values(stored))[0]["process"] == 80


async def test_evaluations_waiting_for_a_person():
    from app.domain.participation.evaluations import waiting

    w = await world()
    opener, chair, guest = await _people(w)
    first = await held_table(
        w.org, w.room, opener, [chair], guests=[guest], title="Eerste", closed_at=now() - timedelta(days=2)
    )
    second = await held_table(w.org, w.room, opener, [chair], title="Tweede", closed_at=now() - timedelta(days=1))
    await held_table(w.org, w.room, opener, [chair], phase="planned", title="Gepland")
    assert [row["id"] for row in await waiting(chair)] == [second, first]
    assert await waiting(guest) == []
    assert (await do("participation.submit_evaluation", {"table_id": second, "answers": GOOD}, chair)).applied
    assert [row["title"] for row in await waiting(chair, w.org)] == ["Eerste"]
    assert await waiting(chair, w.org + 1) == []
