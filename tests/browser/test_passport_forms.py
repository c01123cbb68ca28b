"""The worker's passport in a real browser: the overview, the identity form
filled with a mistake and then corrected, with the keyboard only, a document
uploaded, and every page axe-clean at the phone and laptop sizes. With
WERKPAS_SCREENSHOTS=dir the overview and the identity form are kept as PNGs
at 375 and 1366 pixels wide."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench import login as http_login
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import language_cookie

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SIZES = {"375": (375, 812), "1366": (1366, 900)}


@pytest.fixture(scope="module")
def worker_cookies(live_server) -> list[dict]:
    base = live_server.base_url
    values = http_login.login(base, seed.PASSPORT_WORKER.email, seed.PASSWORD)
    return [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]


@pytest.fixture
def worker(new_context, worker_cookies):
    def open_page(width: int = 1366, height: int = 900):
        context = new_context(viewport={"width": width, "height": height})
        context.add_cookies(worker_cookies)
        return context.new_page()

    return open_page


# Other browser tests add workers of their own to the same live database.
MINE = """"user" = (SELECT id FROM app_user WHERE email = ?)"""


def fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_identity_with_a_mistake_then_corrected_with_the_keyboard(worker, live_db, screenshot_dir):
    page = worker()
    page.goto("/passport")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your passport")
    expect(page.get_by_role("link", name="Who can see what")).to_have_attribute("href", "/passport/consent")
    assert_accessible(page, "passport overview")

    page.goto("/passport/identity")
    page.keyboard.press("Tab")  # from the top of the page, through the header, to the form
    page.get_by_label("First name").focus()
    page.keyboard.type("Wim")
    page.keyboard.press("Tab")
    page.keyboard.type("Werker")
    page.keyboard.press("Tab")
    page.keyboard.type("31/02/1990")  # no such day
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("31 February does not exist")
    # The summary takes the focus; its link leads to the field.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    field = page.get_by_label("Birth date")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("First name")).to_have_value("Wim")
    assert live_db(f"SELECT COUNT(*) AS n FROM passport_field WHERE {MINE}", (seed.PASSPORT_WORKER.email,)) == [
        {"n": 0}
    ]
    assert_accessible(page, "identity form with an error")
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        fits(page)
        page.screenshot(path=str(screenshot_dir / f"passport-identity-error-{size}.png"), full_page=True)

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link
    expect(field).to_be_focused()
    field.fill("")
    page.keyboard.type("28/02/1990")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/passport$"))
    expect(page.locator(".flash")).to_contain_text("Saved: Identity.")
    identity = page.locator("#identity")
    expect(identity).to_contain_text("28/02/1990")
    expect(identity).to_contain_text("Source: You")
    assert live_db(
        f"SELECT value FROM passport_field WHERE name = 'first_name' AND {MINE}", (seed.PASSPORT_WORKER.email,)
    ) == [{"value": "Wim"}]


def test_upload_a_document_and_see_it_in_the_passport(worker, live_db, tmp_path, screenshot_dir):
    path = tmp_path / "attest-heftruck.pdf"
    path.write_bytes(PDF)
    disguised = tmp_path / "photo.png"
    disguised.write_bytes(PDF)
    page = worker()
    page.goto("/passport/documents")
    assert_accessible(page, "documents page")
    upload = page.get_by_label("File (PDF, JPEG or PNG, at most 10 MB)")
    upload.set_input_files(str(disguised))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("does not match what it contains")
    assert_accessible(page, "documents page with an error")

    page.get_by_label("File (PDF, JPEG or PNG, at most 10 MB)").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/passport#documents$"))
    expect(page.locator("#documents")).to_contain_text("attest-heftruck.pdf")
    rows = live_db(f"SELECT name, media_type FROM document WHERE {MINE}", (seed.PASSPORT_WORKER.email,))
    assert rows == [{"name": "attest-heftruck.pdf", "media_type": "application/pdf"}]

    # A certificate pointing at it, then the overview at both sizes.
    page.goto("/passport/certificates/new")
    page.get_by_label("Certificate or licence").select_option("forklift")
    page.get_by_label("Issued on (optional)").fill("01/02/2024")
    page.get_by_label("Valid until (optional)").fill("01/02/2029")
    page.get_by_label("Certificate document (optional)").select_option(label="attest-heftruck.pdf")
    assert_accessible(page, "certificate form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#certificates")).to_contain_text("Forklift")
    expect(page.locator("#certificates")).to_contain_text("Certificate: attest-heftruck.pdf")
    with page.expect_download() as download:
        page.locator("#certificates").get_by_role("link", name="Certificate: attest-heftruck.pdf").click()
    assert download.value.suggested_filename == "attest-heftruck.pdf"
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/passport")
        fits(page)
        assert_accessible(page, f"passport overview at {size}")
        page.screenshot(path=str(screenshot_dir / f"passport-overview-{size}.png"), full_page=True)
        page.goto("/passport/identity")
        page.screenshot(path=str(screenshot_dir / f"passport-identity-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/passport")
    fits(page)
