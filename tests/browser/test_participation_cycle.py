"""The whole participation cycle through the pages (issue 11, point 14): a
worker opens a table, two colleagues buy chairs, the moderator sets a date
and changes it (the chairs stay), the meeting runs with live minutes seen in
a second browser without reload, it is closed, three participants evaluate,
and the organisation admin sees the barometer's score. Axe-clean pages.

The cycle has an organisation of its own, so the barometer holds exactly
its three answers."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench import login as http_login
from bench import server as live
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _environment, language_cookie

pytestmark = pytest.mark.browser

ORGANISATION = "Cyclus Brouwerij"
PEOPLE = {
    "opener": ("ann.cyclus@cyclus.test", "Ann Opener", "worker"),
    "moderator": ("bert.cyclus@cyclus.test", "Bert Moderator", "worker"),
    "note_taker": ("cleo.cyclus@cyclus.test", "Cleo Notulist", "worker"),
    "admin": ("dirk.cyclus@cyclus.test", "Dirk Beheer", "org_admin"),
}

SCRIPT = f"""
import asyncio
from datetime import UTC, datetime
from app.config import load_settings, set_settings
from app.domain.accounts.passwords import hash_secret
from app.domain.participation.setup import add_default_rooms
from app.storage import db
from app.storage.tables import Organisation, RoleGrant, User

async def main():
    settings = load_settings()
    set_settings(settings)
    db.configure(settings)
    await db.connect()
    try:
        now = datetime.now(UTC)
        found = await Organisation.select(Organisation.id).where(Organisation.name == {ORGANISATION!r}).first()
        if found is None:
            rows = await Organisation.insert(Organisation(name={ORGANISATION!r}, slug="cyclus", kind="employer",
                default_language="en", created_at=now)).returning(Organisation.id)
            found = rows[0]
        org = found["id"]
        await add_default_rooms(org)
        for email, name, role in {list(PEOPLE.values())!r}:
            if await User.exists().where(User.email == email):
                continue
            user = User(email=email, display_name=name, password_hash=hash_secret({seed.PASSWORD!r}),
                language="en", organisation=org, created_at=now, onboarded_at=now)
            row = (await User.insert(user).returning(User.id))[0]
            await RoleGrant.insert(RoleGrant(user=row["id"], role=role, organisation=org, unit=None, created_at=now))
        print(org)
    finally:
        await db.disconnect()
        db.dispose()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def organisation(live_server) -> int:
    env = _environment(live_server.data_dir, urlsplit(live_server.base_url).port)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=live.ROOT, timeout=120, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.strip().splitlines()[-1])


def _page(new_context, live_server, who: str):
    base = live_server.base_url
    values = http_login.login(base, PEOPLE[who][0], seed.PASSWORD)
    context = new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies(
        [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]
    )
    return context.new_page()


def _evaluate(page, table_id: int, face: str) -> None:
    page.goto(f"/participation/tables/{table_id}/evaluation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation of the meeting")
    page.get_by_label(face, exact=True).check()
    page.locator("#evaluation-heard").check()
    page.locator("#evaluation-opinion").check()
    page.locator("#evaluation-expected").check()
    page.locator("#evaluation-drifted-no").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible()


def _starts(live_db, table_id: int) -> str:
    """The meeting's start as the database holds it (UTC; 14:00 Brussels is the same day)."""
    [row] = live_db("SELECT starts_at FROM participation_table WHERE id = ?", (table_id,))
    return str(row["starts_at"])


def test_the_whole_cycle(new_context, live_server, organisation, live_db):
    opener = _page(new_context, live_server, "opener")
    opener.goto("/participation/tables/new")
    opener.get_by_label("Room").select_option(index=1)
    opener.get_by_label("Title").fill("Shade on the loading dock")
    opener.get_by_label("What is it about?").fill("In summer the dock is too hot to work on.")
    opener.get_by_role("button", name="Open the table").click()
    expect(opener.get_by_role("heading", level=1)).to_have_text("Shade on the loading dock")
    table_id = int(re.search(r"/participation/tables/(\d+)", opener.url).group(1))
    table_url = f"/participation/tables/{table_id}"

    pages = {"opener": opener}
    for who in ("moderator", "note_taker"):
        page = _page(new_context, live_server, who)
        page.goto(table_url)
        page.get_by_role("button", name=re.compile(r"^Buy a chair")).click()
        expect(page.get_by_text("You have a chair at this table.")).to_be_visible()
        pages[who] = page
    assert_accessible(pages["note_taker"], "table page with two chairs")

    meeting_url = f"{table_url}/meeting"
    opener.goto(meeting_url)
    opener.get_by_label("Moderator", exact=True).select_option(label=PEOPLE["moderator"][1])
    opener.get_by_label("Note-taker", exact=True).select_option(label=PEOPLE["note_taker"][1])
    opener.get_by_role("button", name="Save the roles").click()
    moderator = pages["moderator"]
    first = date.today() + timedelta(days=7)
    moderator.goto(meeting_url)
    moderator.get_by_role("textbox", name="Date", exact=True).fill(first.strftime("%d/%m/%Y"))
    moderator.get_by_role("textbox", name="Time", exact=True).fill("14:00")
    moderator.get_by_role("textbox", name="Place", exact=True).fill("Canteen")
    moderator.get_by_role("button", name="Save the date and place").click()
    expect(moderator.get_by_role("heading", name="Change the date or place")).to_be_visible()
    assert _starts(live_db, table_id).startswith(first.isoformat())
    # The date changes: the table keeps its phase, its chairs and its coins.
    second = first + timedelta(days=1)
    moderator.get_by_role("textbox", name="Date", exact=True).fill(second.strftime("%d/%m/%Y"))
    moderator.get_by_role("button", name="Save the date and place").click()
    expect(moderator.get_by_role("heading", name="Change the date or place")).to_be_visible()
    assert _starts(live_db, table_id).startswith(second.isoformat())
    [row] = live_db("SELECT phase, sequence FROM participation_table WHERE id = ?", (table_id,))
    assert row["phase"] == "planned" and row["sequence"] >= 1
    seats = live_db(
        "SELECT COUNT(*) AS n FROM seat WHERE \"table\" = ? AND role = 'chair' AND refunded_at IS NULL", (table_id,)
    )
    assert seats[0]["n"] == 2
    assert_accessible(moderator, "meeting page before")

    moderator.get_by_role("button", name="Start the meeting").click()
    writer = pages["note_taker"]
    writer.goto(meeting_url)
    opener.goto(meeting_url)
    opener.evaluate("window.__stillHere = 'yes'")
    box = writer.get_by_role("textbox", name="Minutes")
    box.click()
    writer.keyboard.press("Control+End")
    box.press_sequentially("\nDecision: two shade sails before June", delay=20)
    expect(writer.locator("#minutes-state")).to_contain_text("Saved (version", timeout=10_000)
    expect(opener.locator("#minutes-live")).to_contain_text("two shade sails before June", timeout=15_000)
    assert opener.evaluate("window.__stillHere") == "yes"
    assert_accessible(writer, "meeting page running")

    moderator.goto(meeting_url)
    moderator.get_by_role("button", name="Close the meeting and publish the minutes").click()
    expect(moderator.get_by_text("Published on")).to_be_visible()

    for who, face in (("opener", "Happy"), ("moderator", "Very happy"), ("note_taker", "Happy")):
        _evaluate(pages[who], table_id, face)
    assert_accessible(pages["opener"], "evaluation answered")
    assert live_db('SELECT COUNT(*) AS n FROM evaluation WHERE "table" = ?', (table_id,))[0]["n"] == 3

    admin = _page(new_context, live_server, "admin")
    admin.goto(f"/participation/barometer?organisation={organisation}")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Health barometer")
    expect(admin.locator(".baro-total").first).to_contain_text(re.compile(r"\d"))
    assert_accessible(admin, "barometer")
    admin.goto(f"/participation/barometer/tables/{table_id}")
    expect(admin.locator(".baro-total").first).to_contain_text(re.compile(r"\d"))
