"""The worker's rights in Chromium: the access log (newest first, the CSV
download), the "Your data" page with its export, and closing the account
through the confirmation page; axe-clean at 375 and 1366 pixels, with
screenshots of the access log and the data pages.

The worker, their passport, a consent and two reads by the agency are added
to the live server's database by `seed_rights_worker` (a subprocess with the
server's environment, like tests/browser/seed.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench import server as live
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _environment, language_cookie

pytestmark = pytest.mark.browser

EMAIL = "wout.rechten@noord.test"
SIZES = {"phone": (375, 812), "laptop": (1366, 900)}


ERASER = "eva.wissen@noord.test"  # a second worker, for the erasure


async def seed_rights_worker(email: str = EMAIL) -> None:
    import uuid
    from datetime import UTC, date, datetime, timedelta

    from app.config import load_settings, set_settings
    from app.domain.accounts.passwords import hash_secret
    from app.domain.core.commands import Command, execute
    from app.domain.registry import load_handlers
    from app.storage import db
    from app.storage.passport import AccessLogEntry
    from app.storage.people import Person
    from app.storage.tables import Organisation, RoleGrant, User

    settings = load_settings()
    set_settings(settings)
    db.configure(settings)
    await db.connect()
    load_handlers()
    try:
        now = datetime.now(UTC)
        org = await Organisation.select(Organisation.id, Organisation.name).first()
        user = (
            await User.insert(
                User(
                    email=email,
                    display_name="Wout De Smet",
                    password_hash=hash_secret(seed.PASSWORD),
                    language="en",
                    created_at=now,
                )
            ).returning(User.id)
        )[0]["id"]
        await RoleGrant.insert(RoleGrant(user=user, role="worker", organisation=org["id"], created_at=now))
        await Person.insert(
            Person(
                organisation=org["id"],
                user=user,
                last_name="De Smet",
                first_name="Wout",
                birth_date=date(1990, 2, 14),
                postcode="9000",
                language="en",
                match_key=f"de smet|wout|1990-02-14|{email}",
                created_at=now,
            )
        )

        async def do(type: str, payload: dict) -> None:
            outcome = await execute(Command(type=type, payload=payload, actor_id=user, id=uuid.uuid4()))
            assert outcome.applied, outcome.errors

        await do(
            "passport.save_identity",
            {
                "first_name": "Wout",
                "last_name": "De Smet",
                "birth_date": "14/02/1990",
                "national_number": "90.02.14-003.26",
            },
        )
        await do("passport.save_contact", {"email": email, "mobile": "0470 12 34 56"})
        await do("passport.set_consent", {"organisation_id": org["id"], "categories": ["identity", "contact"]})
        for hours, viewer in ((30, "Sara Consulent"), (2, "Payroll sync")):
            await AccessLogEntry.insert(
                AccessLogEntry(
                    at=now - timedelta(hours=hours),
                    subject_id=user,
                    viewer_id=None,
                    api_key_id=3 if viewer == "Payroll sync" else None,
                    organisation_id=org["id"],
                    organisation_name=org["name"],
                    viewer_name=viewer,
                    categories="identity,contact",
                    purpose="staffing",
                    legal_basis="consent",
                    channel="api" if viewer == "Payroll sync" else "web",
                )
            )
        print(json.dumps({"user": user}))
    finally:
        await db.disconnect()
        db.dispose()


def _seed(live_server, email: str) -> dict:
    port = urlsplit(live_server.base_url).port
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import asyncio, tests.browser.test_passport_rights as r; asyncio.run(r.seed_rights_worker({email!r}))",
        ],
        env=_environment(live_server.data_dir, port),
        cwd=live.ROOT,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rights_worker(live_server) -> dict:
    return _seed(live_server, EMAIL)


def _signed_in_page(new_context, base_url, size: str = "laptop", email: str = EMAIL):
    width, height = SIZES[size]
    context = new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    context.add_cookies([language_cookie(base_url, "en")])
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail address or phone number").fill(email)
    page.get_by_label("Password").fill(seed.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def test_the_access_log_and_the_data_page_at_both_sizes(new_context, base_url, rights_worker, shoot):
    page = _signed_in_page(new_context, base_url, "laptop")
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/passport/access-log")
        expect(page.get_by_role("heading", level=1)).to_have_text("Who looked at your data")
        rows = page.locator("table.access-log tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("API key Payroll sync")  # the newest first
        expect(rows.nth(1)).to_contain_text("Sara Consulent")
        expect(rows.nth(0)).to_contain_text("Identity, Contact")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert_accessible(page, f"/passport/access-log {size}")
        shoot(page, "passport-access-log")

        page.goto("/passport/data")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert_accessible(page, f"/passport/data {size}")
        shoot(page, "passport-data")

        page.goto("/passport/data/close")
        assert_accessible(page, f"/passport/data/close {size}")
        shoot(page, "passport-close")
        page.goto("/passport/data/erase")
        assert_accessible(page, f"/passport/data/erase {size}")
        shoot(page, "passport-erase")
    page.context.close()


def test_download_the_log_export_and_close_the_account(new_context, base_url, rights_worker, live_db, shoot):
    page = _signed_in_page(new_context, base_url)
    page.goto("/passport/access-log")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    body = Path(csv_download.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf") and b"Sara Consulent" in body and b";" in body

    page.goto("/passport/data")
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Download as JSON (for another service)").click()
    data = json.loads(Path(json_download.value.path()).read_bytes())
    assert data["account"]["email"] == EMAIL
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download as PDF (to read)").click()
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")

    # Closing, with the keyboard: a missing tick is said inline first.
    page.get_by_role("link", name="Close my account").click()
    expect(page).to_have_url(re.compile(r"/passport/data/close$"))
    page.get_by_label("Your password").fill(seed.PASSWORD)
    page.get_by_role("button", name="Close my account").click()
    expect(page.locator(".error-summary")).to_contain_text("Tick the box to confirm.")
    assert_accessible(page, "close with an error")
    page.get_by_label("I understand").check()
    page.get_by_label("Your password").fill(seed.PASSWORD)
    page.get_by_label("Your password").press("Enter")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator(".flash")).to_contain_text("Your account is closed")
    page.goto("/passport/data")
    expect(page).to_have_url(re.compile(r"/login"))
    [row] = live_db("SELECT is_active FROM app_user WHERE id = ?", (rights_worker["user"],))
    assert row["is_active"] == 0
    assert live_db("SELECT count(*) AS n FROM consent WHERE user = ?", (rights_worker["user"],))[0]["n"] == 0
    page.context.close()


def test_erase_my_data_with_the_keyboard(new_context, base_url, live_server, live_db, shoot):
    eraser = _seed(live_server, ERASER)
    page = _signed_in_page(new_context, base_url, email=ERASER)
    page.goto("/passport/data")
    page.get_by_role("link", name="Erase my data").click()
    expect(page).to_have_url(re.compile(r"/passport/data/erase$"))
    assert_accessible(page, "erase")
    # The wrong word first: said inline, nothing erased.
    page.get_by_label("Type ERASE to confirm").fill("maybe")
    page.get_by_label("Your password").fill(seed.PASSWORD)
    page.get_by_label("Your password").press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "erase with an error")
    assert live_db('SELECT count(*) AS n FROM passport_field WHERE "user" = ?', (eraser["user"],))[0]["n"] > 0
    page.get_by_label("Type ERASE to confirm").fill("erase")
    page.get_by_label("Your password").fill(seed.PASSWORD)
    page.get_by_label("Your password").press("Enter")
    expect(page).to_have_url(re.compile(r"/login$"))
    shoot(page, "passport-erased")
    [account] = live_db("SELECT email, display_name, is_active FROM app_user WHERE id = ?", (eraser["user"],))
    assert account == {"email": None, "display_name": "Erased account", "is_active": 0}
    assert live_db('SELECT count(*) AS n FROM passport_field WHERE "user" = ?', (eraser["user"],))[0]["n"] == 0
    assert live_db('SELECT count(*) AS n FROM consent WHERE "user" = ?', (eraser["user"],))[0]["n"] == 0
    # The receipts stay (ids only): the grant and the withdrawal before erasure.
    actions = [
        r["action"] for r in live_db("SELECT action FROM consent_record WHERE subject_id = ?", (eraser["user"],))
    ]
    assert actions[0] == "grant" and "withdraw" in actions
    page.context.close()
