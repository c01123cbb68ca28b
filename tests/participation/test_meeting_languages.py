"""The meeting page and the invitation mail in Dutch and French: every
phase renders (the translated sentences keep their placeholders), and the
mail goes out in the recipient's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.domain.participation.calendar import when_text
from tests.participation.test_meetings import table_with_chairs
from tests.support.factories import login
from tests.support.participation import do

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_every_phase_renders_in_the_language(client, language):
    _w, ann, table, (bert, carl) = await table_with_chairs(2)
    await do("participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": carl}, ann)
    client.cookies.set("werkpas_lang", language)
    pages = []
    for email in ("chair0@example.be", "chair1@example.be", "ann@example.be"):
        client.cookies.clear()
        client.cookies.set("werkpas_lang", language)
        assert (await login(client, email, PASSWORD)).status_code == 303
        pages.append(await client.get(f"/participation/tables/{table}/meeting"))
    starts = (datetime.now(UTC) + timedelta(days=4)).isoformat()
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": starts, "place": "Kantine"}, bert)
    await do("participation.add_action_point", {"table_id": table, "what": "Offerte", "who_id": bert}, carl)
    await do("participation.start_meeting", {"table_id": table}, bert)
    pages.append(await client.get(f"/participation/tables/{table}/meeting"))
    await do("participation.close_meeting", {"table_id": table}, bert)
    pages.append(await client.get(f"/participation/tables/{table}/meeting"))
    pages.append(await client.get("/participation/calendar"))
    assert all(page.status_code == 200 for page in pages)
    assert all(f'<html lang="{language}"' in page.text for page in pages)


async def test_the_invitation_is_in_the_recipients_language():
    _w, ann, table, _holders = await table_with_chairs(0)
    from app.storage.tables import User

    await User.update({User.language: "fr"}).where(User.id == ann)
    starts = (datetime.now(UTC) + timedelta(days=4)).replace(microsecond=0)
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": starts.isoformat(), "place": "K"}, ann)
    await run_due_jobs()
    [message] = outbox()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert when_text(starts, "fr") in text and when_text(starts, "fr") != when_text(starts, "nl")
    assert [part.get_filename() for part in message.iter_attachments()] == ["overleg.ics"]
