"""'Rules here' and 'ask my ambassador': the organisation's numbers and goal,
my ambassador first (with the deputy and how to reach them), a question by
mail to them, at most 5 a day (also with 30 at once)."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

from app.domain.core.commands import utcnow
from app.domain.participation.ambassadors import ASK_LIMIT
from app.storage.participation import Goal
from app.storage.tables import Job
from tests.support.factories import login, make_user
from tests.support.participation import do, person, world
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"


async def _posts(w):
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador", phone="+32470123456")
    dep = await person("dep@example.be", w.org, w.early, role="ambassador")
    late = await person("late@example.be", w.org, w.late, role="ambassador")
    assert (
        await do(
            "participation.set_ambassador_post",
            {"organisation_id": w.org, "unit_id": w.early, "ambassador_id": amb, "deputy_id": dep},
            admin,
        )
    ).applied
    assert (
        await do(
            "participation.set_ambassador_post",
            {"organisation_id": w.org, "unit_id": w.late, "ambassador_id": late},
            admin,
        )
    ).applied
    return admin, amb, dep, late


async def _question_mails() -> list[dict]:
    rows = await Job.select(Job.payload).where(Job.kind == "mail.send")
    return [m for m in (json.loads(r["payload"]) for r in rows) if m["template"] == "participation_question"]


async def test_rules_page_shows_numbers_goal_and_my_ambassador_first(client):
    w = await world()
    await _posts(w)
    today = date.today()
    await Goal.insert(
        Goal(
            organisation=w.org,
            title="Teamuitje",
            target_coins=40,
            reward="Etentje",
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=5),
            created_at=utcnow(),
        )
    )
    await person("wout@example.be", w.org, w.late)
    english(client)
    await login(client, "wout@example.be", PASSWORD)
    page = await client.get("/participation/rules")
    assert page.status_code == 200
    text = page.text
    assert "3 coins" in text and "1 coin" in text and "10 per month" in text
    assert "topped up to the amount" in text and "at least 2 chairs besides the opener" in text
    assert "Teamuitje" in text and "0 of 40 coins earned back (0%)" in text and "Etentje" in text
    # Mine (Ploeg Laat) first, then the others with their phone.
    assert text.index("late@example.be") < text.index("amb@example.be") < text.index("dep@example.be")
    assert "+32470123456" in text and "Ask my ambassador" in text


async def test_asking_my_ambassador_mails_both_and_is_rate_limited(client):
    w = await world()
    await _posts(w)
    wout = await person("wout@example.be", w.org, w.early)
    english(client)
    await login(client, "wout@example.be", PASSWORD)
    page = await client.get("/participation/ambassador")
    assert page.status_code == 200 and "amb@example.be" in page.text and "dep@example.be" in page.text
    empty = await post(client, "/participation/ambassador", {"question": "   "})
    assert empty.status_code == 422 and "Write your question." in empty.text
    response = await post(client, "/participation/ambassador", {"question": "Hoeveel munten krijg ik?"})
    assert response.status_code == 303
    mails = await _question_mails()
    assert sorted(m["to"] for m in mails) == ["amb@example.be", "dep@example.be"]
    assert (
        mails[0]["context"]["question"] == "Hoeveel munten krijg ik?"
        and mails[0]["context"]["asker_email"] == "wout@example.be"
    )
    # 30 at once: 4 more get through (5 a day), the rest is refused clearly.
    outcomes = await asyncio.gather(
        *[
            do("participation.ask_ambassador", {"organisation_id": w.org, "question": f"Vraag {n}"}, wout)
            for n in range(30)
        ]
    )
    assert sum(o.applied for o in outcomes) == ASK_LIMIT - 1
    assert {o.code() for o in outcomes if not o.applied} == {"ask_limit_reached"}
    assert len(await _question_mails()) == 2 * ASK_LIMIT
    refused = await post(client, "/participation/ambassador", {"question": "Nog een"})
    assert refused.status_code == 422 and "You already sent 5 questions today." in refused.text


async def test_no_ambassador_is_a_clear_refusal_and_other_organisations_are_404(client):
    w = await world()
    other = await world(slug="ander")
    wout = await person("wout@example.be", w.org, w.early)
    outcome = await do("participation.ask_ambassador", {"organisation_id": w.org, "question": "Hallo?"}, wout)
    assert outcome.code() == "no_ambassador"
    outcome = await do("participation.ask_ambassador", {"organisation_id": other.org, "question": "Hallo?"}, wout)
    assert outcome.code() == "not_found"
    huge = await do("participation.ask_ambassador", {"organisation_id": w.org, "question": "x" * 3000}, wout)
    assert huge.code("question") == "too_long"
    english(client)
    await login(client, "wout@example.be", PASSWORD)
    assert (await client.get(f"/participation/rules?organisation={other.org}")).status_code == 404
    assert (await client.get(f"/participation/ambassador?organisation={other.org}")).status_code == 404
    page = await client.get("/participation/ambassador")
    assert "has no ambassador at the moment" in page.text


async def test_odd_unicode_and_nul_in_set_up_texts_are_kept_or_refused_never_a_crash():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    odd = "Zaal \u202eLTR\u202c 🍺 e\u0301 \u200b"
    outcome = await do("participation.add_room", {"organisation_id": w.org, "name": odd, "description": "ok"}, admin)
    assert outcome.applied
    outcome = await do("participation.add_room", {"organisation_id": w.org, "name": "a\x00b"}, admin)
    assert not outcome.applied
    outcome = await do("participation.add_room", {"organisation_id": w.org, "name": "x" * 101}, admin)
    assert outcome.code("name") == "too_long"
    outcome = await do(
        "participation.save_moment",
        {"organisation_id": w.org, "weekday": 1, "nth": 1, "time": "1400", "place": "Refter"},
        admin,
    )
    assert outcome.code("time") == "time_invalid"


async def test_an_ambassador_finds_the_set_up_from_the_rules_page(client):
    w = await world()
    await person("amb@example.be", w.org, w.early, role="ambassador")
    english(client)
    await login(client, "amb@example.be", PASSWORD)
    page = await client.get("/participation/rules")
    assert f"/admin/participation?organisation={w.org}" in page.text
    assert (await client.get(f"/admin/participation?organisation={w.org}")).status_code == 200


async def test_the_question_mail_renders_in_the_ambassadors_language():
    from app.domain.mail import render

    w = await world()
    await _posts(w)
    wout = await person("wout@example.be", w.org, w.early)
    assert (await do("participation.ask_ambassador", {"organisation_id": w.org, "question": "Wanneer?"}, wout)).applied
    for mail in await _question_mails():
        subject, text, _html = render(mail["template"], mail["language"], mail["context"])
        assert "Wout" in subject and "Wanneer?" in text and "wout@example.be" in text
