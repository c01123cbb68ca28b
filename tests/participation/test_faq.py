"""The FAQ: defaults in nl, fr and en (at least 8, filled with the
organisation's numbers) until the organisation writes its own in that
language; search; editing per language; other organisations' entries 404."""

from __future__ import annotations

from app.domain.participation.faq import DEFAULTS, defaults, faq_for, search
from app.domain.participation.setup import Settings
from app.storage.participation import FaqEntry
from tests.support.factories import login, make_user
from tests.support.participation import do, person, world
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"


def test_defaults_exist_in_three_languages_and_cover_the_topics():
    assert set(DEFAULTS) == {"nl", "fr", "en"}
    assert all(len(entries) >= 8 and len(entries) == len(DEFAULTS["en"]) for entries in DEFAULTS.values())
    text = " ".join(q + a for q, a in DEFAULTS["en"]).casefold()
    for topic in ("coins", "chair", "table", "moderator", "note-taker", "evaluation", "practice", "goal", "mail"):
        assert topic in text, topic
    entries = defaults("nl", Settings(1, table_price=5, coins_per_period=12, period="quarter"))
    assert "12 per kwartaal" in entries[0].answer and "5 munten" in entries[1].answer


def test_search_needs_every_word():
    entries = defaults("en", Settings(1))
    assert [e.question for e in search(entries, "MODERATOR")] == ["What does the moderator do?"]
    assert search(entries, "moderator banana") == []
    assert search(entries, "  ") == entries and search(entries, "\x00") == entries


async def test_own_questions_replace_the_defaults_only_in_their_language():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    outcome = await do(
        "participation.add_faq",
        {"organisation_id": w.org, "language": "nl", "question": "Waar is de refter?", "answer": "Gebouw B."},
        admin,
    )
    assert outcome.applied
    nl = await faq_for(w.org, "nl", Settings(w.org))
    assert [e.question for e in nl.entries] == ["Waar is de refter?"] and not nl.is_default
    fr = await faq_for(w.org, "fr", Settings(w.org))
    assert fr.is_default and len(fr.entries) >= 8
    bad = await do(
        "participation.add_faq", {"organisation_id": w.org, "language": "de", "question": "", "answer": ""}, admin
    )
    assert bad.errors == {"question": "question_missing", "answer": "answer_missing", "language": "language_unknown"}
    copied = await do("participation.copy_default_faq", {"organisation_id": w.org, "language": "fr"}, admin)
    assert copied.ids["copied"] == len(DEFAULTS["fr"])
    again = await do("participation.copy_default_faq", {"organisation_id": w.org, "language": "fr"}, admin)
    assert again.ids["copied"] == 0


async def test_pages_search_edit_and_another_organisations_entries(client):
    w = await world()
    other = await world(slug="ander")
    foreign_admin = await make_user("admin2@example.be", role="org_admin", org=other.org)
    foreign = (
        await do(
            "participation.add_faq",
            {"organisation_id": other.org, "language": "en", "question": "Secret?", "answer": "Yes."},
            foreign_admin,
        )
    ).ids["entry_id"]
    await person("wout@example.be", w.org, w.early, language="en")
    await make_user("admin@example.be", role="org_admin", org=w.org)
    english(client)
    await login(client, "wout@example.be", PASSWORD)
    page = await client.get("/participation/faq")
    assert page.status_code == 200 and "What does the note-taker do?" in page.text and "Secret?" not in page.text
    found = await client.get("/participation/faq?q=note-taker")
    assert "What does the note-taker do?" in found.text and "What is a chair?" not in found.text
    fragment = await client.get("/participation/faq?q=chair", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "What is a chair?" in fragment.text
    nothing = await client.get("/participation/faq?q=%00zzzz")
    assert nothing.status_code == 200 and "No question matches" in nothing.text

    await client.post("/logout", data={"_csrf_token": client.cookies.get("werkpas_csrf")})
    client.cookies.clear()
    english(client)
    await login(client, "admin@example.be", PASSWORD)
    page = await client.get("/admin/participation/faq?language=en")
    assert page.status_code == 200 and "Copy the default questions" in page.text
    response = await post(
        client, f"/admin/participation/faq/{w.org}/add", {"language": "en", "question": "", "answer": "x"}
    )
    assert response.status_code == 422 and "Write the question." in response.text
    response = await post(
        client, f"/admin/participation/faq/{w.org}/add", {"language": "en", "question": "Q1?", "answer": "A1"}
    )
    assert response.status_code == 303
    response = await post(
        client, f"/admin/participation/faq/{w.org}/add", {"language": "en", "question": "Q2?", "answer": "A2"}
    )
    q2 = (await FaqEntry.select().where(FaqEntry.question == "Q2?").first())["id"]
    await post(client, f"/admin/participation/faq/{w.org}/entries/{q2}", {"action": "up", "language": "en"})
    rows = await FaqEntry.select(FaqEntry.question).where(FaqEntry.organisation == w.org).order_by(FaqEntry.position)
    assert [r["question"] for r in rows] == ["Q2?", "Q1?"]
    for data in ({"action": "remove"}, {"question": "Hacked", "answer": "x"}, {"action": "up"}):
        response = await post(client, f"/admin/participation/faq/{w.org}/entries/{foreign}", {**data, "language": "en"})
        assert response.status_code == 404
    assert (await FaqEntry.select().where(FaqEntry.id == foreign).first())["question"] == "Secret?"
    assert (await client.get(f"/admin/participation/faq?organisation={other.org}")).status_code == 404
