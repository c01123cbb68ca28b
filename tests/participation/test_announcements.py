"""Announcements: posted by an org_admin or ambassador to the organisation or
one subgroup, read only by that audience, instant mail for those who chose
it, deleted by the author or an admin; other organisations' ids are 404."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.domain.participation.announcements import recent_for
from app.domain.participation.people import member
from app.storage.participation import Announcement, MailSetting
from app.storage.tables import Job
from tests.support.factories import login, make_user
from tests.support.participation import do, person, world
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"


async def test_audience_recent_for_and_instant_mail():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    bert = await person("bert@example.be", w.org, w.early)
    carla = await person("carla@example.be", w.org, w.late)
    await MailSetting.insert(
        MailSetting(user=bert, kind="announcement", frequency="instant", updated_at=datetime.now(UTC))
    )
    await MailSetting.insert(
        MailSetting(user=carla, kind="announcement", frequency="instant", updated_at=datetime.now(UTC))
    )
    for title, unit in (("Voor iedereen", None), ("Voor Vroeg", w.early), ("Voor Laat", w.late)):
        outcome = await do(
            "participation.post_announcement",
            {"organisation_id": w.org, "unit_id": unit, "title": title, "body": "Tekst"},
            admin,
        )
        assert outcome.applied, outcome.errors
    bert_sees = [a["title"] for a in await recent_for(await member(bert, w.org), limit=5)]
    assert bert_sees == ["Voor Vroeg", "Voor iedereen"]
    assert [a["title"] for a in await recent_for(await member(carla, w.org), limit=1)] == ["Voor Laat"]
    mails = [json.loads(r["payload"]) for r in await Job.select(Job.payload).where(Job.kind == "mail.send")]
    to = sorted(m["to"] for m in mails)
    assert to == ["bert@example.be", "bert@example.be", "carla@example.be", "carla@example.be"]
    assert all(m["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)


async def test_bad_input_and_other_organisations():
    w = await world()
    other = await world(slug="ander")
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    outcome = await do("participation.post_announcement", {"organisation_id": w.org, "title": " ", "body": ""}, admin)
    assert outcome.errors == {"title": "announcement_title_missing", "body": "announcement_body_missing"}
    outcome = await do(
        "participation.post_announcement",
        {"organisation_id": w.org, "unit_id": other.early, "title": "x", "body": "y"},
        admin,
    )
    assert outcome.code("unit_id") == "unit_unknown"
    outcome = await do(
        "participation.post_announcement", {"organisation_id": other.org, "title": "x", "body": "y"}, admin
    )
    assert outcome.code() == "not_found"
    outcome = await do(
        "participation.post_announcement", {"organisation_id": w.org, "title": "x\x00", "body": "y"}, admin
    )
    assert not outcome.applied
    outcome = await do(
        "participation.post_announcement", {"organisation_id": w.org, "title": "x", "body": "y" * 5000}, admin
    )
    assert outcome.code("body") == "too_long"
    assert await Announcement.count() == 0


async def test_delete_own_only_or_as_admin():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    amb1 = await person("amb1@example.be", w.org, w.early, role="ambassador")
    amb2 = await person("amb2@example.be", w.org, w.late, role="ambassador")
    outcome = await do(
        "participation.post_announcement", {"organisation_id": w.org, "title": "Hallo", "body": "x"}, amb1
    )
    announcement = outcome.ids["announcement_id"]
    refused = await do("participation.delete_announcement", {"announcement_id": announcement}, amb2)
    assert refused.code() == "not_your_announcement"
    assert (await do("participation.delete_announcement", {"announcement_id": announcement}, admin)).applied
    assert await Announcement.count() == 0


async def test_the_pages(client):
    w = await world()
    other = await world(slug="ander")
    await person("amb@example.be", w.org, w.early, role="ambassador")
    foreign = await make_user("admin2@example.be", role="org_admin", org=other.org)
    outcome = await do(
        "participation.post_announcement", {"organisation_id": other.org, "title": "Geheim", "body": "x"}, foreign
    )
    english(client)
    await login(client, "amb@example.be", PASSWORD)
    page = await client.get("/admin/participation/announcements")
    assert page.status_code == 200 and "Post an announcement" in page.text
    response = await post(client, "/admin/participation/announcements", {"title": "", "body": ""})
    assert response.status_code == 422 and "Give the announcement a title." in response.text
    response = await post(
        client,
        "/admin/participation/announcements",
        {"title": "Vergadering", "body": "Maandag", "unit_id": str(w.early)},
    )
    assert response.status_code == 303
    page = await client.get("/participation/announcements")
    assert "Vergadering" in page.text and "Geheim" not in page.text
    assert (await client.get(f"/participation/announcements?organisation={other.org}")).status_code == 404
    delete = await post(client, f"/admin/participation/announcements/{outcome.ids['announcement_id']}/delete", {})
    assert delete.status_code == 404
    assert await Announcement.exists().where(Announcement.title == "Geheim")


async def test_the_instant_mail_renders_with_a_visible_unsubscribe_link():
    from app.domain.mail import render

    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    bert = await person("bert@example.be", w.org, w.early, language="fr")
    await MailSetting.insert(
        MailSetting(user=bert, kind="announcement", frequency="instant", updated_at=datetime.now(UTC))
    )
    body = "Eerste alinea.\n\nTweede <b>alinea</b>."
    await do("participation.post_announcement", {"organisation_id": w.org, "title": "Koffie", "body": body}, admin)
    [job] = await Job.select(Job.payload).where(Job.kind == "mail.send")
    mail = json.loads(job["payload"])
    subject, text, html = render(mail["template"], mail["language"], mail["context"])
    assert "Koffie" in subject and "Brouwerij De Klok" in subject
    assert mail["context"]["unsubscribe_url"] in text and mail["context"]["unsubscribe_url"] in html
    assert "&lt;b&gt;alinea&lt;/b&gt;" in html  # escaped in HTML
