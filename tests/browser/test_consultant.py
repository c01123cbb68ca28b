"""The consultant's view in a real browser: the consultant searches the
workers who consented to the agency, opens one, sees what is shared and
"not shared", and asks for more; axe-clean, on a phone and a desktop."""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from bench.consultant_data import ts
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import language_cookie

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 800}}


def _add_workers(live_server) -> dict[str, int]:
    """Three workers who joined the agency: Zofia shares identity,
    certificates, languages and availability; Marek shares his address
    only; Eva shares nothing (rows as the passport commands write them)."""
    now = datetime.now(UTC)
    stamp, until = ts(now), ts(now + timedelta(days=365))
    conn = sqlite3.connect(live_server.data_dir / "browser.db", timeout=10)
    ids: dict[str, int] = {}
    try:
        with conn:
            org = conn.execute("SELECT id FROM organisation WHERE name = ?", (seed.ORGANISATION,)).fetchone()[0]
            people = {
                "zofia": ("Zofia", "Nowak", "Gent", ("identity", "certificates", "languages", "availability")),
                "marek": ("Marek", "Kowalski", "Aalst", ("address",)),
                "eva": ("Eva", "Peeters", "Gent", ()),
            }
            for key, (first, last, town, shared) in people.items():
                email = f"{key}.{uuid.uuid4().hex[:8]}@example.be"
                user = conn.execute(
                    'INSERT INTO "app_user" (email, display_name, language, is_active, created_at, session_version)'
                    " VALUES (?, ?, 'nl', 1, ?, 0) RETURNING id",
                    (email, f"{first} {last}", stamp),
                ).fetchone()[0]
                ids[key] = user
                conn.execute(
                    'INSERT INTO "role_grant" ("user", role, organisation, created_at) VALUES (?, ?, ?, ?)',
                    (user, "worker", org, stamp),
                )
                conn.execute(
                    'INSERT INTO "passport" ("user", updated_at, created_at) VALUES (?, ?, ?)', (user, stamp, stamp)
                )
                fields = [
                    ("identity", "first_name", first),
                    ("identity", "last_name", last),
                    ("identity", "birth_date", "1991-05-17"),
                    ("address", "street", "Dorpstraat"),
                    ("address", "house_number", "4"),
                    ("address", "postcode", "9000"),
                    ("address", "town", town),
                    ("availability", "days", "mon,tue,wed"),
                    ("mobility", "own_car", "1"),
                ]
                conn.executemany(
                    'INSERT INTO "passport_field" ("user", category, name, value, encrypted, updated_at)'
                    " VALUES (?, ?, ?, ?, 0, ?)",
                    [(user, c, n, v, stamp) for c, n, v in fields],
                )
                conn.executemany(
                    'INSERT INTO "passport_item" ("user", category, kind, name, level, expires_on, created_at,'
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (user, "certificates", "forklift", "", "", "2028-06-30", stamp, stamp),
                        (user, "languages", "pl", "", "native", None, stamp, stamp),
                        (user, "languages", "nl", "", "B1", None, stamp, stamp),
                        (user, "skills", "order picking", "Order picking", "", None, stamp, stamp),
                    ],
                )
                receipt = str(uuid.uuid4())
                conn.executemany(
                    'INSERT INTO "consent" ("user", organisation, category, purpose, granted_at, expires_at, receipt)'
                    " VALUES (?, ?, ?, 'staffing', ?, ?, ?)",
                    [(user, org, code, stamp, until, receipt) for code in shared],
                )
    finally:
        conn.close()
    return ids


def _signed_in_consultant(new_context, sessions, base_url, size: dict):
    context = new_context(**size)
    context.add_cookies(sessions["staff"] + [language_cookie(base_url, "en")])
    return context.new_page()


def test_a_consultant_searches_opens_a_worker_and_asks_for_more(
    new_context, sessions, base_url, live_server, live_db, shoot
):
    ids = _add_workers(live_server)
    page = _signed_in_consultant(new_context, sessions, base_url, DESKTOP)
    page.goto("/home")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Workers").click()
    expect(page).to_have_url(re.compile(r"/consultant/workers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Workers")
    table = page.get_by_role("table", name="Workers")
    expect(table.get_by_role("link", name="Zofia Nowak")).to_be_visible()
    expect(table.get_by_role("link", name="Name not shared")).to_be_visible()  # Marek: address only
    expect(table).not_to_contain_text("Eva")  # shares nothing
    expect(table).to_contain_text("Aalst")
    assert_accessible(page, "consultant list")
    shoot(page, "consultant-list")

    # Search (HTMX swaps the results; the URL follows).
    page.get_by_label("Certificate or licence").select_option(label="Forklift")
    expect(page).to_have_url(re.compile(r"certificate=forklift"))
    expect(table.get_by_role("row")).to_have_count(2)  # the header and Zofia
    page.get_by_label("Name", exact=True).fill("nowak")
    expect(page).to_have_url(re.compile(r"name=nowak"))
    expect(table.get_by_role("link", name="Zofia Nowak")).to_be_visible()
    page.get_by_label("Town").fill("gent")  # Zofia's town is not shared: nobody
    expect(page.get_by_role("status")).to_have_text("0 workers")
    page.get_by_label("Town").fill("")
    expect(page.get_by_role("status")).to_have_text("1 worker")

    page.get_by_role("link", name="Zofia Nowak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zofia Nowak")
    expect(page.get_by_role("region", name="Certificates and licences")).to_contain_text("Forklift")
    expect(page.get_by_role("region", name="Certificates and licences")).to_contain_text("Given by the worker")
    expect(page.get_by_role("region", name="Not shared")).to_contain_text("Address: Not shared")
    expect(page.locator("main")).not_to_contain_text("Dorpstraat")
    assert_accessible(page, "consultant detail")
    shoot(page, "consultant-detail")

    # Ask for more: nothing chosen first (a clear error), then the address.
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose at least one part")
    assert_accessible(page, "consultant detail with an error")
    page.get_by_label("Address").check()
    page.get_by_role("checkbox", name="Mobility").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".flash")).to_contain_text("Your request was sent")
    expect(page.get_by_text("The worker has not answered yet")).to_be_visible()
    rows = live_db("SELECT categories, purpose, status FROM consent_request WHERE user = ?", (ids["zofia"],))
    assert rows == [{"categories": "address,mobility", "purpose": "staffing", "status": "open"}]

    # Every page view is in the worker's access log.
    assert live_db("SELECT count(*) AS n FROM access_log_entry WHERE subject_id = ?", (ids["eva"],))[0]["n"] == 0
    assert live_db("SELECT count(*) AS n FROM access_log_entry WHERE subject_id = ?", (ids["zofia"],))[0]["n"] >= 3


def test_the_consultant_pages_on_a_phone(new_context, sessions, base_url, live_server, shoot):
    ids = _add_workers(live_server)
    page = _signed_in_consultant(new_context, sessions, base_url, PHONE)
    page.goto("/consultant/workers?name=nowak")
    expect(page.get_by_role("link", name="Zofia Nowak").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "consultant list (phone)")
    shoot(page, "consultant-list")
    page.goto(f"/consultant/workers/{ids['zofia']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zofia Nowak")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "consultant detail (phone)")
    shoot(page, "consultant-detail")
