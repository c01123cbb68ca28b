"""The impact page: seed 002's impact figures per subgroup and in total for
a period; the people who registered but never came back; the nudge (one
mail per person per 7 days, in their language, also under 30 parallel
sends; another organisation's person is not found)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

from app.domain.participation import impact
from app.domain.participation.barometer import Period
from app.storage.participation import Minutes, Nudge
from app.storage.tables import Job
from tests.conftest import PASSWORD
from tests.support.evaluations import answer_row, held_table
from tests.support.factories import login, make_user
from tests.support.participation import do, person, world
from tests.support.registration import english, post

AT = datetime(2026, 11, 10, 12, tzinfo=UTC)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


async def _mails() -> list[dict]:
    rows = await Job.select(Job.payload).where(Job.kind == "mail.send").order_by(Job.id)
    return [json.loads(row["payload"]) for row in rows]


async def test_figures_per_subgroup_and_in_total():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.late)
    held = await held_table(w.org, w.room, ann, [bob], unit=w.early, closed_at=AT)
    await held_table(w.org, w.room, ann, unit=w.early, closed_at=AT, phase="planned")  # opened in October
    await held_table(w.org, w.room, bob, unit=w.late, closed_at=AT + timedelta(days=15), phase="proposed")
    await held_table(w.org, w.room, bob, closed_at=AT, practice=True)  # practice: not counted
    await held_table(w.org, w.room, bob, unit=None, closed_at=AT + timedelta(days=12))  # whole organisation
    await Minutes.insert(Minutes(table=held, body="Verslag", updated_at=AT, published_at=AT))
    await answer_row(held, w.org, ann, at=AT)
    await answer_row(held, w.org, bob, at=AT)
    rows, total = await impact.figures(w.org, NOVEMBER, whole="whole")
    by_label = {row.label: (row.opened, row.held, row.published, row.answered) for row in rows}
    assert by_label == {
        "whole": (1, 1, 0, 0),
        "Gent \u203a Productie \u203a Ploeg Vroeg": (0, 1, 1, 2),
        "Gent \u203a Productie \u203a Ploeg Laat": (1, 0, 0, 0),
    }
    assert (total.opened, total.held, total.published, total.answered) == (2, 2, 1, 2)
    empty, nothing = await impact.figures(w.org, Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert empty == [] and (nothing.opened, nothing.held) == (0, 0)


async def test_who_never_came_back():
    w = await world()
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    first = datetime(2026, 11, 2, 9, tzinfo=UTC)
    gone = await person("gone@example.be", w.org, w.early, created_at=first, last_login_at=first + timedelta(hours=3))
    never = await person("never@example.be", w.org, w.early, created_at=first, last_login_at=None)
    await person("back@example.be", w.org, w.early, created_at=first, last_login_at=first + timedelta(days=2))
    await person("new@example.be", w.org, w.early, created_at=now - timedelta(hours=2))  # first day not over
    await person("invited@example.be", w.org, w.early, created_at=first, password_hash=None)  # not registered
    await person("off@example.be", w.org, w.early, created_at=first, is_active=False)
    await make_user("hr@example.be", role="hr", org=w.org, created_at=first)  # staff, not a worker
    other = await world("andere")
    await person("elsewhere@example.be", other.org, other.early, created_at=first)
    found = await impact.never_came_back(w.org, now=now)
    assert [person.user_id for person in found] == [gone, never]
    assert all(person.may_nudge and person.nudged_at is None for person in found)


async def _ambassador(w) -> int:
    return await person("amb@example.be", w.org, w.early, role="ambassador", display_name="Amber")


async def test_a_nudge_sends_one_mail_in_the_persons_language_then_waits_seven_days():
    w = await world()
    amb = await _ambassador(w)
    marie = await person("marie@example.be", w.org, w.early, language="fr", display_name="Marie")
    outcome = await do("participation.nudge", {"user_id": marie}, amb)
    assert outcome.applied, outcome.errors
    [mail] = await _mails()
    assert mail["to"] == "marie@example.be" and mail["language"] == "fr"
    assert mail["template"] == "participation_nudge" and mail["context"]["sender"] == "Amber"
    again = await do("participation.nudge", {"user_id": marie}, amb)
    assert again.code() == "nudged_recently" and again.reasons[0].params["days"] == 7
    assert len(await _mails()) == 1 and await Nudge.count() == 1
    await Nudge.update({Nudge.at: datetime.now(UTC) - timedelta(days=7, minutes=1)}, force=True)
    assert (await do("participation.nudge", {"user_id": marie}, amb)).applied
    assert len(await _mails()) == 2


async def test_thirty_parallel_nudges_send_one_mail():
    w = await world()
    amb = await _ambassador(w)
    marie = await person("marie@example.be", w.org, w.early)
    outcomes = await asyncio.gather(*[do("participation.nudge", {"user_id": marie}, amb) for _ in range(30)])
    assert sum(outcome.applied for outcome in outcomes) == 1
    assert {outcome.code() for outcome in outcomes if not outcome.applied} == {"nudged_recently"}
    assert len(await _mails()) == 1 and await Nudge.count() == 1


async def test_who_may_nudge_whom():
    w = await world()
    other = await world("andere")
    amb = await _ambassador(w)
    worker = await person("worker@example.be", w.org, w.early)
    stranger = await person("stranger@example.be", other.org, other.early)
    no_mail = await person(None, w.org, w.early, display_name="Paper Person")
    assert (await do("participation.nudge", {"user_id": stranger}, amb)).code() == "not_found"
    assert (await do("participation.nudge", {"user_id": 99999}, amb)).code() == "not_found"
    assert (await do("participation.nudge", {"user_id": amb}, worker)).code() == "not_allowed"
    assert (await do("participation.nudge", {"user_id": no_mail}, amb)).code() == "no_email"
    assert await Nudge.count() == 0 and await _mails() == []


async def test_the_impact_page_and_its_nudge_button(client):
    w = await world()
    other = await world("andere")
    first = datetime.now(UTC) - timedelta(days=20)
    await _ambassador(w)
    gone = await person("gone@example.be", w.org, w.early, created_at=first, display_name="Gone Gerda")
    stranger = await person("stranger@example.be", other.org, other.early, created_at=first)
    english(client)
    assert (await login(client, "amb@example.be", PASSWORD)).status_code == 303
    page = await client.get("/participation/impact")
    assert page.status_code == 200
    for text in ("Tables opened", "Meetings held", "Minutes published", "Evaluations answered", "Gone Gerda"):
        assert text in page.text, text
    assert "Send Gone Gerda a reminder" in page.text
    response = await post(client, f"/participation/impact/nudge/{gone}?organisation={w.org}")
    assert response.status_code == 303
    page = await client.get("/participation/impact")
    assert "Send Gone Gerda a reminder" not in page.text and "Next reminder possible from" in page.text
    again = await post(client, f"/participation/impact/nudge/{gone}?organisation={w.org}")
    assert again.status_code == 422 and "was reminded less than 7 days ago" in again.text
    assert (await post(client, f"/participation/impact/nudge/{stranger}?organisation={w.org}")).status_code == 404
    assert (await post(client, f"/participation/impact/nudge/{stranger}?organisation={other.org}")).status_code == 404
    assert (await client.get(f"/participation/impact?organisation={other.org}")).status_code == 404
    assert len(await _mails()) == 1


async def test_hr_reads_the_impact_page_without_nudging(client):
    w = await world()
    first = datetime.now(UTC) - timedelta(days=20)
    gone = await person("gone@example.be", w.org, w.early, created_at=first, display_name="Gone Gerda")
    await make_user("hr@example.be", role="hr", org=w.org)
    english(client)
    assert (await login(client, "hr@example.be", PASSWORD)).status_code == 303
    page = await client.get("/participation/impact")
    assert page.status_code == 200 and "Gone Gerda" in page.text and "a reminder" not in page.text
    assert (await post(client, f"/participation/impact/nudge/{gone}?organisation={w.org}")).status_code == 403
    assert await _mails() == []
