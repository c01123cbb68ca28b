"""The kiosk badge session in Chromium: the badge page with its drawing of
the badge and the way to /register, a badge login, the countdown, the
"Are you still there?" prompt (keyboard, live region, axe), continuing, and
the end by itself back on /badge in the terminal's language.

The page's clock is Playwright's fake one (page.clock), so 90 seconds pass
at once; the server's own 90-second end is tested over HTTP in
tests/registration/test_badge_session.py. The worker and their badge are
added to the live server's database by `seed_worker` (run in a subprocess
with the server's environment, like tests/browser/seed.py)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench import server as live
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _environment, language_cookie

pytestmark = pytest.mark.browser

PIN = "4729"
SIZES = {"phone": (375, 812), "laptop": (1366, 900), "kiosk": (1920, 1080)}


async def seed_worker() -> None:
    """A registered worker (English) with a PIN and a badge; prints its QR text and code."""
    from app.config import load_settings, set_settings
    from app.domain.accounts.passwords import hash_secret
    from app.domain.invitations import secrets
    from app.domain.invitations.printing.badges import qr_text
    from app.storage import db
    from app.storage.people import Badge, Person
    from app.storage.tables import Organisation, RoleGrant, User

    settings = load_settings()
    set_settings(settings)
    db.configure(settings)
    await db.connect()
    try:
        now = datetime.now(UTC)
        org = (await Organisation.select(Organisation.id).first())["id"]
        user = (
            await User.insert(
                User(
                    display_name="Kai Kiosk", pin_hash=hash_secret(PIN), language="en", organisation=org, created_at=now
                )
            ).returning(User.id)
        )[0]["id"]
        await RoleGrant.insert(RoleGrant(user=user, role="worker", organisation=org, created_at=now))
        person = (
            await Person.insert(
                Person(
                    organisation=org,
                    user=user,
                    last_name="Kiosk",
                    first_name="Kai",
                    birth_date=date(1990, 3, 25),
                    postcode="9000",
                    language="en",
                    match_key="kiosk|kai|1990-03-25",
                    created_at=now,
                )
            ).returning(Person.id)
        )[0]["id"]
        salt = secrets.new_salt()
        code = secrets.badge_code_for(salt)
        badge = (
            await Badge.insert(
                Badge(person=person, salt=salt, code_lookup=secrets.code_lookup(secrets.BADGE, code), issued_at=now)
            ).returning(Badge.id)
        )[0]["id"]
        print(json.dumps({"qr": qr_text(badge, salt), "code": secrets.display(code)}))
    finally:
        await db.disconnect()
        db.dispose()


@pytest.fixture(scope="module")
def worker(live_server) -> dict:
    port = urlsplit(live_server.base_url).port
    done = subprocess.run(
        [sys.executable, "-c", "import asyncio, tests.browser.test_kiosk_session as k; asyncio.run(k.seed_worker())"],
        env=_environment(live_server.data_dir, port),
        cwd=live.ROOT,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _terminal(new_context, base_url, size: str = "kiosk", language: str = "fr"):
    width, height = SIZES[size]
    context = new_context(viewport={"width": width, "height": height})
    context.add_cookies([language_cookie(base_url, language)])
    return context.new_page()


def test_badge_page_shows_the_badge_and_the_way_to_register(new_context, base_url, shoot):
    for size in SIZES:
        page = _terminal(new_context, base_url, size, "en")
        page.goto("/badge")
        picture = page.get_by_role("img", name=re.compile("The badge code is at the bottom left"))
        expect(picture).to_be_visible()
        entry = page.get_by_role("link", name="I have an invitation code")
        expect(entry).to_be_visible()
        assert entry.get_attribute("href") == "/register"
        box = entry.bounding_box()
        assert box and box["height"] >= 44
        assert_accessible(page, f"/badge {size}")
        shoot(page, f"kiosk-badge-{size}")
        page.context.close()


def test_an_invitation_code_on_the_badge_page_is_pointed_to_register(new_context, base_url, shoot):
    page = _terminal(new_context, base_url, "laptop", "en")
    page.goto("/badge")
    from app.domain.invitations.secrets import check_character, display

    invitation_code = display("K7P4QX9M" + check_character("K7P4QX9M"))
    page.get_by_label("Scan your badge or type your badge code").fill(invitation_code)
    page.get_by_label("Scan your badge or type your badge code").press("Enter")
    expect(page.locator(".field-error")).to_contain_text("This looks like the code from an invitation")
    page.get_by_role("link", name="Register with your invitation code").click()
    expect(page).to_have_url(re.compile(r"/register$"))


def test_badge_session_counts_down_asks_and_ends_in_the_terminals_language(new_context, base_url, worker, shoot):
    page = _terminal(new_context, base_url, "kiosk", "fr")
    page.clock.install()
    page.goto("/badge")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("#badge").fill(worker["qr"])
    page.locator("#pin").fill(PIN)
    page.locator("#pin").press("Enter")
    expect(page).to_have_url(re.compile(r"/passport$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the worker's own language
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("1:30")
    page.clock.run_for(20_000)
    expect(timer).to_have_text("1:10")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("You may not"))
    shoot(page, "kiosk-session")

    page.clock.run_for(41_000)  # 30 seconds left: the prompt
    dialog = page.get_by_role("dialog", name="Are you still there?")
    expect(dialog).to_be_visible()
    expect(page.locator("[data-kiosk-announce]")).to_contain_text("Are you still there?")
    keep = dialog.get_by_role("button", name="Yes, I want to continue")
    expect(keep).to_be_focused()
    assert_accessible(page, "kiosk prompt")
    shoot(page, "kiosk-prompt")
    with page.expect_response(lambda r: r.url.endswith("/badge/still-here")) as ping:
        page.keyboard.press("Enter")
    assert ping.value.status == 204
    expect(dialog).to_be_hidden()
    expect(timer).to_have_text("1:30")

    page.clock.run_for(61_000)
    expect(dialog).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/badge/still-here")):
        page.keyboard.press("Escape")  # Escape continues too
    expect(dialog).to_be_hidden()

    page.clock.run_for(91_000)  # nobody answers: logged out, back to the terminal
    expect(page).to_have_url(re.compile(r"/badge$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".flash-success")).to_be_visible()
    assert "data-kiosk" not in page.content()
    page.go_back()  # no-store: the passport is asked for again, and refused
    expect(page).to_have_url(re.compile(r"/login\?next=/passport$"))
    expect(page.get_by_text("Kai Kiosk")).to_have_count(0)


def test_typing_keeps_the_session_going(new_context, base_url, worker):
    page = _terminal(new_context, base_url, "laptop", "en")
    page.clock.install()
    page.goto("/badge")
    page.locator("#badge").fill(worker["code"])
    page.locator("#pin").fill(PIN)
    page.locator("#pin").press("Enter")
    expect(page).to_have_url(re.compile(r"/passport$"))
    page.clock.run_for(50_000)
    with page.expect_response(lambda r: r.url.endswith("/badge/still-here")):
        page.keyboard.press("Tab")  # input on the page pings the server
    page.clock.run_for(1_000)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"1:2\d"))


if __name__ == "__main__":
    asyncio.run(seed_worker())
