"""Participation tables in a real browser: one worker opens a table, a
colleague buys a chair; the home and the table page are axe-clean on a
phone and a desktop, without sideways scrolling on the phone."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from bench import login as http_login
from bench import server as live
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _environment, language_cookie

pytestmark = pytest.mark.browser

OPENER = "tafel.opener@noord.test"
BUYER = "stoel.koper@noord.test"

# Two workers of the seeded agency and its default rooms, written the way
# tests/browser/seed.py writes (directly, in the live server's database).
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
        found = Organisation.select(Organisation.id).where(Organisation.name == {seed.ORGANISATION!r})
        org = (await found.first())["id"]
        await add_default_rooms(org)
        now = datetime.now(UTC)
        for email, name in (({OPENER!r}, "Tina Tafel"), ({BUYER!r}, "Stijn Stoel")):
            if await User.exists().where(User.email == email):
                continue
            user = User(email=email, display_name=name, password_hash=hash_secret({seed.PASSWORD!r}),
                language="nl", organisation=org, created_at=now, onboarded_at=now)
            row = (await User.insert(user).returning(User.id))[0]
            grant = RoleGrant(user=row["id"], role="worker", organisation=org, unit=None, created_at=now)
            await RoleGrant.insert(grant)
    finally:
        await db.disconnect()
        db.dispose()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def workers(live_server):
    env = _environment(live_server.data_dir, live_server.port)
    subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=live.ROOT, check=True, timeout=120)
    return live_server


def _page(new_context, live_server, email: str, width: int, height: int):
    base = live_server.base_url
    values = http_login.login(base, email, seed.PASSWORD)
    context = new_context(viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]
    )
    return context.new_page()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_open_a_table_then_a_colleague_buys_a_chair(workers, new_context, shoot):
    opener = _page(new_context, workers, OPENER, 1366, 900)
    opener.goto("/participation")
    expect(opener.get_by_role("heading", level=1)).to_contain_text("Participation")
    assert_accessible(opener, "participation home")
    opener.get_by_role("link", name="Open a table", exact=True).click()
    expect(opener.get_by_text("Opening a table costs 3 coins; you have 10.")).to_be_visible()
    assert_accessible(opener, "open a table")
    opener.get_by_role("button", name="Open the table").click()  # empty: errors, focus on the summary
    expect(opener.locator(".error-summary")).to_be_focused()
    expect(opener.get_by_text("Choose a room from the list.").first).to_be_visible()
    assert_accessible(opener, "open a table with errors")
    opener.get_by_label("Room").select_option(index=1)
    opener.get_by_label("Title").fill("A bigger break room")
    opener.get_by_label("What is it about?").fill("The break room is too small for two shifts.")
    opener.get_by_label("Preferred moments (optional)").fill("After the early shift")
    opener.get_by_role("button", name="Open the table").click()
    expect(opener.get_by_role("heading", level=1)).to_have_text("A bigger break room")
    expect(opener.get_by_text("Your table is open.")).to_be_visible()
    expect(opener.get_by_text("Needs 2 more chairs to be held.")).to_be_visible()
    assert_accessible(opener, "table page (opener)")
    table_url = opener.url
    shoot(opener, "participation-table")
    opener.goto("/participation")
    _no_sideways_scroll(opener)
    shoot(opener, "participation-home")

    buyer = _page(new_context, workers, BUYER, 375, 812)
    buyer.goto("/participation")
    _no_sideways_scroll(buyer)
    buyer.get_by_role("link", name="A bigger break room").click()
    buyer.get_by_role("button", name="Buy a chair for 1 coin").click()
    expect(buyer.get_by_text("You have a chair at this table.")).to_be_visible()
    expect(buyer.get_by_text("Needs 1 more chair to be held.")).to_be_visible()
    assert buyer.url == table_url
    _no_sideways_scroll(buyer)
    assert_accessible(buyer, "table page (chair holder, phone)")
    shoot(buyer, "participation-table")
    buyer.goto("/participation")
    expect(buyer.get_by_role("heading", name="Your tables and meetings")).to_be_visible()
    assert_accessible(buyer, "participation home (phone)")
    shoot(buyer, "participation-home")
