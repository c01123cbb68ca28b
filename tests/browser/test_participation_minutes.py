"""Live minutes in two browsers: the note-taker types, a participant at the
same table sees the text appear without reloading (HTMX polling), both
pages axe-clean; screenshots of the meeting page on a phone, a laptop and a
large screen (to $WERKPAS_SCREENSHOTS or /tmp/shots-meetings)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench import login as http_login
from bench import server as live
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _environment, language_cookie
from tests.browser.seed_participation_meeting import PEOPLE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("WERKPAS_MEETING_SHOTS", "/tmp/shots-meetings"))


@pytest.fixture(scope="module")
def tables(live_server) -> dict:
    env = _environment(live_server.data_dir, urlsplit(live_server.base_url).port)
    done = subprocess.run(
        [sys.executable, "-m", "tests.browser.seed_participation_meeting"],
        env=env,
        cwd=live.ROOT,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def meeting(tables) -> int:
    return tables["table_id"]


def _page(new_context, live_server, who: str, width: int, height: int = 900):
    base = live_server.base_url
    values = http_login.login(base, PEOPLE[who][0], seed.PASSWORD)
    context = new_context(viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]
    )
    return context.new_page()


def test_the_participant_sees_the_note_takers_text_appear_without_reload(new_context, live_server, meeting, live_db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = f"/participation/tables/{meeting}/meeting"
    writer = _page(new_context, live_server, "note_taker", 1366)
    reader = _page(new_context, live_server, "opener", 1366)
    writer.goto(url)
    reader.goto(url)
    expect(writer.get_by_role("heading", level=1)).to_have_text("Meeting: Pauzeruimte te klein")
    expect(reader.get_by_text("Checklist for the moderator")).to_be_visible()
    # A marker that a reload would wipe.
    reader.evaluate("window.__stillHere = 'yes'")
    box = writer.get_by_role("textbox", name="Minutes")
    expect(box).to_have_value(re.compile("## Present"))
    box.click()
    writer.keyboard.press("Control+End")
    box.press_sequentially("\nBesluit: twee pauzeshifts vanaf januari", delay=20)
    expect(writer.locator("#minutes-state")).to_contain_text("Saved (version", timeout=10_000)
    live = reader.locator("#minutes-live")
    expect(live).to_contain_text("Besluit: twee pauzeshifts vanaf januari", timeout=15_000)
    assert reader.evaluate("window.__stillHere") == "yes"
    [row] = live_db('SELECT body, version FROM minutes WHERE "table" = ?', (meeting,))
    assert "twee pauzeshifts" in row["body"] and row["version"] >= 1

    assert_accessible(writer, "meeting page, note-taker")
    assert_accessible(reader, "meeting page, participant")
    writer.screenshot(path=str(SHOTS / "meeting-running-notetaker-1366.png"), full_page=True)
    reader.screenshot(path=str(SHOTS / "meeting-running-participant-1366.png"), full_page=True)
    for width in (375, 1920):
        page = _page(new_context, live_server, "note_taker", width)
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        page.screenshot(path=str(SHOTS / f"meeting-running-notetaker-{width}.png"), full_page=True)
    phone = _page(new_context, live_server, "opener", 375)
    phone.goto(url)
    expect(phone.locator("#minutes-live")).to_contain_text("twee pauzeshifts")
    phone.screenshot(path=str(SHOTS / "meeting-running-participant-375.png"), full_page=True)

    # The note-taker closes: the reader's page shows the published minutes after a reload.
    writer.get_by_role("button", name="Close the meeting and publish the minutes").click()
    expect(writer.get_by_text("Published on")).to_be_visible()
    assert_accessible(writer, "meeting page, after")
    writer.screenshot(path=str(SHOTS / "meeting-after-1366.png"), full_page=True)
    [table] = live_db("SELECT phase FROM participation_table WHERE id = ?", (meeting,))
    assert table["phase"] == "held"


def test_the_page_before_the_meeting_is_accessible_for_the_moderator(new_context, live_server, tables):
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = f"/participation/tables/{tables['planned_id']}/meeting"
    for width in (375, 1366, 1920):
        page = _page(new_context, live_server, "moderator", width)
        page.goto(url)
        expect(page.get_by_role("heading", name="Change the date or place")).to_be_visible()
        if width == 1366:
            assert_accessible(page, "meeting page before, moderator")
            # A date in the past: the message beside the field, the values kept.
            page.get_by_role("textbox", name="Date", exact=True).fill("01/01/2020")
            page.get_by_role("button", name="Save the date and place").click()
            expect(page.locator("#schedule-summary")).to_contain_text("already passed")
            expect(page.get_by_role("textbox", name="Date", exact=True)).to_have_value("01/01/2020")
            assert_accessible(page, "meeting page before, refused date")
        page.screenshot(path=str(SHOTS / f"meeting-before-moderator-{width}.png"), full_page=True)
