"""The invitation list's print flow with the keyboard only (issue 9, points 3
and 13): tick rows with Space, the buttons follow the count ("Print sheets
for 2 selected"), print, and the list says what was printed and skipped with
the focus on that message; the revoke question on the way. Screenshots of
the list, the summary and the revoke question at every screen size."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.test_invitations_a11y import invite_on_paper
from tests.browser.test_keyboard import focused, tab
from tests.browser.viewports import VIEWPORTS, screen

pytestmark = pytest.mark.browser


@pytest.fixture
def hr_page(new_context, hr_cookies):
    def open_page(size: str = "desktop", javascript: bool = True):
        context = new_context(**screen(size), java_script_enabled=javascript)
        context.add_cookies(hr_cookies)
        return context.new_page()

    return open_page


@pytest.fixture(scope="module")
def three(browser, browser_context_args, hr_cookies) -> str:
    """Three invitations of one family (a search finds them and only them);
    the last is revoked through its question page. -> the family name."""
    family = "Druk" + uuid.uuid4().hex[:6]
    context = browser.new_context(**browser_context_args, **screen())
    context.add_cookies(hr_cookies)
    page = context.new_page()
    ids = [invite_on_paper(page, family, first)[0] for first in ("Ada", "Bert", "Cleo")]
    page.goto(f"/invitations/{ids[2]}")
    page.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Revoke the invitation for Cleo {family}?")
    page.get_by_role("button", name="Yes, revoke the invitation").click()
    expect(page.locator(".flash-success")).to_contain_text("was revoked")
    context.close()
    return family


def tab_until(page, matches, limit: int = 60) -> dict:
    for _ in range(limit):
        current = tab(page)
        if matches(current):
            return current
    raise AssertionError(f"focus never reached the expected element; last: {current}")


def test_print_from_the_list_with_the_keyboard_only(hr_page, three, shoot):
    page = hr_page()
    page.goto(f"/invitations?q={three}")
    sheets = page.locator("button[name=kind][value=sheets]")
    badges = page.locator("button[name=kind][value=badges]")
    expect(sheets).to_have_text("Print sheets for selected")
    expect(sheets).to_be_disabled()  # nothing ticked yet
    expect(badges).to_be_disabled()

    row = tab_until(page, lambda f: f["name"] == "ids")
    assert row["tag"] == "input"
    page.keyboard.press("Space")
    expect(sheets).to_have_text("Print the sheet for 1 selected")
    expect(sheets).to_be_enabled()
    expect(page.locator("[data-print-count]")).to_have_text("1 invitation selected.")
    tab_until(page, lambda f: f["name"] == "ids")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["name"] == "ids")
    page.keyboard.press("Space")
    expect(sheets).to_have_text("Print sheets for 3 selected")
    expect(badges).to_have_text("Print badges for 3 selected")
    expect(page.locator("input[data-select-all]")).to_be_checked()
    shoot(page, "invitations-ticked")

    # The buttons come before the rows: back up to them.
    button: dict = {}
    for _ in range(30):
        button = tab(page, shift=True)
        if button["text"] == "Print sheets for 3 selected":
            break
    assert button and button["tag"] == "button", button
    page.keyboard.press("Enter")

    result = page.locator("#print-result")
    expect(result).to_be_focused()
    expect(result).to_contain_text("2 sheets ready to print, 1 skipped: 1 revoked.")
    expect(page).to_have_url(re.compile(rf"/invitations\?q={three}$"))
    download = tab(page)
    assert download["tag"] == "a" and download["text"] == "Download the PDF (2 sheets)", download
    assert re.fullmatch(r"/invitations/sheets\.pdf\?ids=\d+,\d+", download["href"]), download
    assert_accessible(page, "invitations print summary")
    shoot(page, "invitations-printed")
    response = page.request.get(download["href"])
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_select_all_then_nothing_ticked_without_javascript(hr_page, three):
    page = hr_page(javascript=False)
    page.goto(f"/invitations?q={three}")
    sheets = page.locator("button[name=kind][value=sheets]")
    expect(sheets).to_be_enabled()  # without the script the server answers
    sheets.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash-error")).to_have_text("Nothing was printed: tick at least one invitation first.")
    expect(page).to_have_url(re.compile(rf"/invitations\?q={three}$"))
    page.locator("input[data-select-all]").focus()
    page.keyboard.press("Space")
    page.locator("button[name=kind][value=badges]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#print-result")).to_contain_text("2 badges ready to print, 1 skipped: 1 revoked.")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_list_and_summary_at_every_size(hr_page, three, shoot, size):
    page = hr_page(size)
    page.goto(f"/invitations?q={three}")
    boxes = page.locator("input[data-select-row]")
    box = boxes.first.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24, box
    page.locator("input[data-select-all]").check()
    expect(page.locator("button[name=kind][value=sheets]")).to_have_text("Print sheets for 3 selected")
    assert_accessible(page, f"invitations list {size}")
    shoot(page, "invitations-list")
    page.locator("button[name=kind][value=sheets]").click()
    expect(page.locator("#print-result")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[size][0], f"the page scrolls sideways at {size}: {width}px"
    shoot(page, "invitations-print-summary")
    assert focused(page)["id"] == "print-result"


def test_the_email_label_follows_the_delivery_choice(hr_page):
    page = hr_page("phone")
    page.goto("/invitations/new")
    label = page.locator("label[for=invite-email]")
    expect(label).to_have_text("E-mail")
    page.locator("input[name=delivery][value=paper]").focus()
    page.keyboard.press("Space")
    expect(label).to_have_text("E-mail (optional)")
    expect(page.locator("#invite-email")).to_have_attribute("aria-required", "false")
    page.locator("input[name=delivery][value=both]").check()
    expect(label).to_have_text("E-mail")
