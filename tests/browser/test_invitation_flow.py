"""Issue 4's whole flow in a real browser: an hr user uploads an XLSX, sees
the dry run, applies, prints the run's invitation sheets, and a new worker
registers with the short code from one of them and lands on the passport."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.viewports import screen

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Names no other browser test uses: the live database lives for the session.
ON_PAPER = ("Claes-Flow", "Wout", 2000, date(1987, 9, 3))
ROWS = [
    ["Vermeulen-Flow", "Sofie", 9000, date(1991, 5, 14), "sofie.flow@example.be"],
    [*ON_PAPER, ""],
    ["Peeters-Flow", "Ines", "1000", "02/01/1995", "ines.flow@example.be"],
]


def staff_list() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Last name", "First name", "Postcode", "Birth date", "E-mail"])
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def hr_page(new_context, hr_cookies):
    context = new_context(**screen())
    context.add_cookies(hr_cookies)
    return context.new_page()


def test_hr_imports_prints_and_a_worker_registers_with_the_code(hr_page, new_context, live_db):
    page = hr_page
    page.goto("/invitations/imports")
    page.locator("#import-file").set_input_files({"name": "personeel.xlsx", "mimeType": XLSX, "buffer": staff_list()})
    page.get_by_role("button", name="Dry run: show the results").click()
    table = page.get_by_role("table", name="Result per row")
    for last_name, *_rest in ROWS:
        expect(table).to_contain_text(last_name)
    assert live_db("SELECT COUNT(*) AS n FROM person WHERE last_name LIKE '%-Flow'") == [{"n": 0}], (
        "a dry run changed the database"
    )

    page.get_by_role("button", name="Apply: register these people").click()
    expect(page).to_have_url(re.compile(r"/invitations/imports/\d+$"))
    run_id = int(page.url.rsplit("/", 1)[1])
    run = live_db("SELECT rows_total, done, invalid, uploaded_by FROM import_run WHERE id = ?", (run_id,))
    hr_id = live_db("SELECT id FROM app_user WHERE email = ?", (seed.HR.email,))[0]["id"]
    assert run == [{"rows_total": 3, "done": 3, "invalid": 0, "uploaded_by": hr_id}]
    deliveries = live_db(
        "SELECT person.last_name, invitation.delivery FROM invitation JOIN person ON person.id = invitation.person"
        " WHERE invitation.import_run = ? ORDER BY person.last_name",
        (run_id,),
    )
    assert deliveries == [
        {"last_name": "Claes-Flow", "delivery": "paper"},
        {"last_name": "Peeters-Flow", "delivery": "email"},
        {"last_name": "Vermeulen-Flow", "delivery": "email"},
    ]

    sheets = page.locator(f'a[href="/invitations/imports/{run_id}/sheets.pdf"]')
    with page.expect_download() as download_info:
        sheets.click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("link", name=f"{ON_PAPER[0]} {ON_PAPER[1]}").click()
    expect(page).to_have_url(re.compile(r"/invitations/\d+$"))
    invitation_id = int(page.url.rsplit("/", 1)[1])
    code = page.locator(".short-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}", code), code

    # The worker: another browser (Dutch, as the context's locale), no cookies.
    worker = new_context(**screen()).new_page()
    worker.goto("/register")
    worker.locator("#code").fill(code.lower().replace("-", " "))  # as a person might type it
    worker.locator("form[action='/register'] button[type=submit]").click()
    expect(worker).to_have_url(re.compile(r"/register/identity$"))
    born = ON_PAPER[3]
    worker.locator("#day").fill(str(born.day))
    worker.locator("#month").fill(str(born.month))
    worker.locator("#year").fill(str(born.year))
    worker.locator("form[action='/register/identity'] button[type=submit]").click()
    expect(worker).to_have_url(re.compile(r"/register/language$"))
    worker.locator("form[action='/register/language'] button[value=nl]").click()
    expect(worker).to_have_url(re.compile(r"/register/privacy$"))
    worker.locator("#accept").check()
    worker.locator("form[action='/register/privacy'] button[type=submit]").click()
    expect(worker).to_have_url(re.compile(r"/register/account$"))
    # On paper, without e-mail or phone: nothing to log in with a password,
    # so the PIN-only path asks for the PIN alone.
    expect(worker.locator("#password")).to_have_count(0)
    worker.locator("#pin").fill("4821")
    worker.locator("#pin_confirmation").fill("4821")
    worker.locator("form[action='/register/account'] button[type=submit]").click()
    expect(worker).to_have_url(re.compile(r"/passport$"))
    expect(worker.locator("html")).to_have_attribute("lang", "nl")
    expect(worker.locator(".onboarding")).to_be_visible()
    expect(worker.locator("form[action='/passport/onboarding'] button[type=submit]")).to_be_visible()

    registered = live_db(
        "SELECT invitation.status, app_user.password_hash IS NOT NULL AS has_password,"
        " app_user.pin_hash IS NOT NULL AS has_pin, app_user.language"
        " FROM invitation JOIN person ON person.id = invitation.person JOIN app_user ON app_user.id = person.user"
        " WHERE invitation.id = ?",
        (invitation_id,),
    )
    assert registered == [{"status": "registered", "has_password": 0, "has_pin": 1, "language": "nl"}]
    consent = live_db(
        "SELECT document, channel FROM consent_receipt"
        " JOIN invitation ON invitation.person = consent_receipt.person WHERE invitation.id = ?",
        (invitation_id,),
    )
    assert consent == [{"document": "privacy_notice", "channel": "web"}]

    page.reload()
    assert page.locator(".short-code").count() == 0, "a used code is still shown"
