"""The barometer pages: who sees them, the anonymity threshold on the page
and in its charts (a 2-answer meeting shows "not enough answers" and no
number of its own anywhere; 3 answers show a score), periods, the help page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from app.domain.participation.barometer import score_of_answers
from app.storage.participation import Goal
from tests.conftest import PASSWORD
from tests.support.evaluations import GOOD, answer_row, held_table
from tests.support.factories import login, make_user
from tests.support.participation import person, world
from tests.support.registration import english

AT = datetime(2026, 11, 10, 12, tzinfo=UTC)
PERIOD = "from=2026-11-01&to=2026-11-30"
# Answers chosen so that any score of them is an unusual number.
ANSWERS = [
    {**GOOD, "process": 37, "satisfaction": 2, "heard": False, "duration": 61, "sentence": "Eerste zin"},
    {**GOOD, "process": 53, "satisfaction": 3, "drifted": True, "drift_helped": True, "duration": 44},
    {**GOOD, "process": 91, "satisfaction": 5, "opinion": False, "duration": 29, "other": "Derde antwoord"},
]


def _numbers(html: str) -> set[str]:
    """Every number that stands on its own in the page's text."""
    text = re.sub(r"<[^>]+>", " ", html)
    return set(re.findall(r"(?<![\w.-])\d+(?![\w.-])", text))


async def _reader(client, w, role: str = "hr") -> int:
    user = await make_user(f"{role}@example.be", role=role, org=w.org)
    english(client)
    assert (await login(client, f"{role}@example.be", PASSWORD)).status_code == 303
    return user


async def _meeting(w, answers: list[dict], title: str = "Pauzeruimte") -> int:
    people = [await person(f"{title}{n}@example.be", w.org, w.early) for n in range(len(answers) + 1)]
    table = await held_table(w.org, w.room, people[0], people[1:], unit=w.early, closed_at=AT, title=title)
    for user, answer in zip(people, answers, strict=False):
        await answer_row(table, w.org, user, at=AT, **answer)
    return table


async def test_two_answers_show_not_enough_answers_and_no_number(client):
    w = await world()
    table = await _meeting(w, ANSWERS[:2])
    await _reader(client, w)
    hidden = score_of_answers(ANSWERS[:2] * 2)  # what two answers would score (the formula ignores the count)
    secret = {str(hidden.total), *(str(v) for v in hidden.dimensions.values())}
    page = await client.get(f"/participation/barometer?{PERIOD}")
    assert page.status_code == 200
    assert "not enough answers" in page.text.lower()
    assert 'class="baro-total"' not in page.text and "<rect" not in page.text.split('class="goal-bar"')[0]
    assert not (secret & _numbers(page.text)), secret & _numbers(page.text)
    assert "Eerste zin" not in page.text  # open answers of a 2-answer meeting stay hidden
    meeting = await client.get(f"/participation/barometer/tables/{table}")
    assert meeting.status_code == 200 and "Not enough answers yet" in meeting.text
    score_section = meeting.text.split('id="score-title"')[1].split("</section>")[0]
    assert _numbers(score_section) <= {"3", "10", "2026"}  # the threshold and the date held, nothing else
    assert 'class="baro-total"' not in meeting.text


async def test_three_answers_show_a_score_everywhere(client):
    w = await world()
    table = await _meeting(w, ANSWERS)
    await _reader(client, w)
    score = score_of_answers(ANSWERS)
    assert score.enough
    page = await client.get(f"/participation/barometer?{PERIOD}")
    assert page.status_code == 200
    assert f'<span class="baro-total">{score.total}</span>' in page.text
    assert page.text.count(f"<strong>{score.total}</strong>") >= 3  # month, subgroup, room, meeting tables
    assert 'role="img"' in page.text and "<title>Total score per month</title>" in page.text
    assert "Eerste zin" in page.text and "Derde antwoord" in page.text
    assert "Pauzeruimte0" not in page.text and "Pauzeruimte1" not in page.text  # no names with the open answers
    meeting = await client.get(f"/participation/barometer/tables/{table}")
    assert f'<span class="baro-total">{score.total}</span>' in meeting.text


async def test_who_sees_the_barometer(client):
    w = await world()
    other = await world("andere")
    table = await _meeting(w, ANSWERS)
    foreign = await _meeting(other, ANSWERS, title="Elders")
    worker = await person("worker@example.be", w.org, w.early)
    english(client)
    assert (await login(client, "worker@example.be", PASSWORD)).status_code == 303
    assert (await client.get("/participation/barometer")).status_code == 403
    assert (await client.get(f"/participation/barometer/tables/{table}")).status_code == 404  # not at that table
    assert worker
    await client.post("/logout", data={"_csrf_token": client.cookies.get("werkpas_csrf")})
    await _reader(client, w, "ambassador")
    assert (await client.get(f"/participation/barometer?{PERIOD}")).status_code == 200
    assert (await client.get(f"/participation/barometer?organisation={other.org}")).status_code == 404
    assert (await client.get(f"/participation/barometer/tables/{foreign}")).status_code == 404
    assert (await client.get(f"/participation/barometer/tables/{table}")).status_code == 200


async def test_a_participant_sees_their_meetings_score(client):
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener, unit=w.early, closed_at=AT)
    english(client)
    assert (await login(client, "opener@example.be", PASSWORD)).status_code == 303
    page = await client.get(f"/participation/barometer/tables/{table}")
    assert page.status_code == 200 and "Not enough answers yet" in page.text


async def test_a_bad_period_is_explained_and_the_default_shown(client):
    w = await world()
    await _reader(client, w)
    for query, text in (
        ("from=2026-13-01&to=2026-12-01", "Enter a date like 2026-12-31."),
        ("from=2026-12-01&to=2026-11-01", "The end date must be on or after the start date."),
        ("from=2000-01-01&to=2026-11-01", "Choose a period of at most 3 years."),
        ("from=%00&to=\u202e", "Enter a date like 2026-12-31."),
    ):
        page = await client.get(f"/participation/barometer?{query}")
        assert page.status_code == 422 and text in page.text, query


async def test_the_report_names_the_goal_and_the_help_page_the_formula(client):
    w = await world()
    await Goal.insert(
        Goal(
            organisation=w.org,
            title="Twintig munten terug",
            target_coins=20,
            reward="Een ontbijt",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 31),
            created_at=AT,
        )
    )
    await _reader(client, w, "org_admin")
    page = await client.get(f"/participation/barometer?{PERIOD}")
    assert "Twintig munten terug" in page.text and "0 of 20 coins" in page.text and "Een ontbijt" in page.text
    help_page = await client.get("/participation/barometer/help")
    assert help_page.status_code == 200
    for text in ("not available to us", "20% Timing", "30% Involvement", "fewer than 3 answers", "our own choice"):
        assert text in help_page.text, text
    panel = await client.get("/admin")
    assert "/participation/barometer" in panel.text and "/participation/impact" in panel.text


async def test_htmx_gets_the_report_as_a_fragment(client):
    w = await world()
    await _meeting(w, ANSWERS)
    await _reader(client, w)
    for path in (f"/participation/barometer?{PERIOD}", f"/participation/impact?{PERIOD}"):
        full = await client.get(path)
        fragment = await client.get(path, headers={"HX-Request": "true"})
        assert full.status_code == fragment.status_code == 200, path
        assert full.text.lstrip().lower().startswith("<!doctype html>")
        assert "<html" not in fragment.text and "data-report-page" in fragment.text, path
        assert 'hx-get="' in fragment.text and 'hx-target="closest [data-report-page]"' in fragment.text
