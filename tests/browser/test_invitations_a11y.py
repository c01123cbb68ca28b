"""axe-core on every page of issue 4 (invitations, bulk registration, worker
registration, passport, PIN reset), forms showing their errors included: no
serious or critical violation. The pages are reached the real way: the
invitation is made through the form and its code is typed on /register."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.viewports import screen

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BORN = date(1993, 6, 21)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@pytest.fixture
def hr_page(new_context, hr_cookies):
    context = new_context(**screen())
    context.add_cookies(hr_cookies)
    return context.new_page()


def check(page, path: str, label: str | None = None, status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    assert_accessible(page, label or path)


def staff_list() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Last name", "First name", "Postcode", "Birth date", "E-mail"])
    sheet.append(["Axe-Janssens", "Mira", 9000, date(1990, 2, 3), "mira.axe@example.be"])
    sheet.append(["Axe-Maes", "Kobe", 9999, "31/02/1990", ""])  # code 4: not a date
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def invite_on_paper(page, last_name: str, first_name: str) -> tuple[int, str]:
    """Makes an invitation through the form; -> (invitation id, short code)."""
    page.goto("/invitations/new")
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Birth date").fill(BORN.strftime("%d/%m/%Y"))
    page.get_by_label("Postcode").fill("9000")
    page.locator("input[name=delivery][value=paper]").check()
    page.get_by_role("button", name="Create invitation").click()
    expect(page).to_have_url(re.compile(r"/invitations/\d+$"))
    return int(page.url.rsplit("/", 1)[1]), page.locator(".short-code").inner_text().strip()


def with_typo(code: str) -> str:
    last = code[-1]
    return code[:-1] + next(c for c in CODE_ALPHABET if c != last)


def test_staff_pages(hr_page):
    page = hr_page
    check(page, "/invitations/new")
    page.get_by_role("button", name="Create invitation").click()
    page.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(page, "new invitation with errors")

    invite_on_paper(page, "Axe-Wouters", "Nina")
    assert_accessible(page, "invitation detail")
    check(page, "/invitations")
    check(page, "/invitations?status=created", "filtered invitations")

    check(page, "/invitations/imports")
    page.locator("#import-file").set_input_files({"name": "list.xlsx", "mimeType": XLSX, "buffer": staff_list()})
    page.get_by_role("button", name="Dry run: show the results").click()
    expect(page.get_by_role("table", name="Result per row")).to_contain_text("Axe-Maes")
    assert_accessible(page, "import dry run")
    page.get_by_role("button", name="Apply: register these people").click()
    expect(page).to_have_url(re.compile(r"/invitations/imports/\d+$"))
    assert_accessible(page, "import run")
    check(page, page.url + "?code=4", "import run, code 4 only")
    check(page, "/invitations/imports", "upload form with earlier imports")


def test_registration_pages(hr_page, english, new_context):
    invitation_id, code = invite_on_paper(hr_page, "Axe-Claes", "Jonas")
    worker = english

    check(worker, "/register")
    worker.locator("#code").fill(with_typo(code))
    worker.get_by_role("button", name="Continue").click()
    expect(worker.locator("#code-error")).to_contain_text("typing mistake")
    assert_accessible(worker, "/register with a typo")

    worker.locator("#code").fill(code)
    worker.get_by_role("button", name="Continue").click()
    expect(worker).to_have_url(re.compile(r"/register/identity$"))
    assert_accessible(worker, "/register/identity")
    worker.locator("#day").fill("1")
    worker.locator("#month").fill("1")
    worker.locator("#year").fill("2001")
    worker.get_by_role("button", name="Continue").click()
    worker.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(worker, "/register/identity with a wrong date")
    worker.locator("#day").fill(str(BORN.day))
    worker.locator("#month").fill(str(BORN.month))
    worker.locator("#year").fill(str(BORN.year))
    worker.get_by_role("button", name="Continue").click()

    expect(worker).to_have_url(re.compile(r"/register/language$"))
    assert_accessible(worker, "/register/language")
    worker.locator("form[action='/register/language'] button[value=en]").click()

    expect(worker).to_have_url(re.compile(r"/register/privacy$"))
    assert_accessible(worker, "/register/privacy")
    worker.get_by_role("button", name="Continue").click()
    worker.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(worker, "/register/privacy without the tick")
    worker.locator("#accept").check()
    worker.get_by_role("button", name="Continue").click()

    expect(worker).to_have_url(re.compile(r"/register/account$"))
    assert_accessible(worker, "/register/account")
    # On paper, without e-mail or phone: the PIN-only path (no password).
    worker.locator("#pin").fill("1234")
    worker.get_by_role("button", name="Finish").click()
    worker.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(worker, "/register/account with errors")
    for field, value in (
        ("#pin", "5837"),
        ("#pin_confirmation", "5837"),
    ):
        worker.locator(field).fill(value)
    worker.get_by_role("button", name="Finish").click()

    expect(worker).to_have_url(re.compile(r"/passport$"))
    assert_accessible(worker, "/passport onboarding step 1")
    check(worker, "/passport?step=3", "/passport onboarding step 3")
    worker.get_by_role("button", name="Go to my passport").click()
    expect(worker).to_have_url(re.compile(r"/passport$"))
    expect(worker.locator(".onboarding")).to_have_count(0)
    assert_accessible(worker, "/passport after the onboarding")

    # The code is used now: the problem page explains it.
    again = new_context(**screen()).new_page()
    again.goto("/register")
    again.locator("#code").fill(code)
    again.locator("form[action='/register'] button[type=submit]").click()
    expect(again.locator("h1")).to_have_count(1)
    assert_accessible(again, "registration problem page (code used)")

    # Staff give a new PIN to a worker without e-mail; the worker sets it.
    hr_page.goto(f"/invitations/{invitation_id}")
    expect(hr_page.locator(".badge")).to_contain_text(re.compile("registered", re.I))
    issue_link = hr_page.locator("a[href^='/pin/issue/']")
    person_path = issue_link.get_attribute("href")
    check(hr_page, person_path, "/pin/issue/{person_id}")
    hr_page.locator(f"form[action='{person_path}'] button[type=submit]").click()
    expect(hr_page.locator(".reg-code-shown")).to_have_text(re.compile(r"^\s*[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}\s*$"))
    assert_accessible(hr_page, "/pin/issue/{person_id} with the code shown")

    check(worker, "/pin/reset")
    worker.locator("form[action='/pin/reset'] button[type=submit]").click()
    worker.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(worker, "/pin/reset with errors")
