"""The worker's consent page in a real browser: the worker shares two parts
of the passport with the organisation, the consultant sees them, the worker
withdraws, and the consultant's very next request finds nothing. With the
keyboard only and axe-clean, on a phone and a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench import login as http_login
from tests.browser import seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import language_cookie

pytestmark = pytest.mark.browser


def _worker_page(new_context, live_server, width: int, height: int):
    base = live_server.base_url
    values = http_login.login(base, seed.PASSPORT_WORKER.email, seed.PASSWORD)
    context = new_context(viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]
    )
    return context.new_page()


def test_share_then_withdraw_takes_effect_at_the_consultants_next_request(
    new_context, sessions, base_url, live_server, live_db, shoot
):
    worker = _worker_page(new_context, live_server, 1366, 900)
    worker.goto("/passport/consent")
    expect(worker.get_by_role("heading", level=1)).to_have_text("Who can see what")
    assert_accessible(worker, "consent page")
    card = worker.locator("section.consent-organisation").first
    expect(card.get_by_text("Sees nothing of your passport.")).to_be_visible()
    # Keyboard only: tick Identity and Contact, keep the purpose, save.
    card.get_by_label("Identity").focus()
    worker.keyboard.press("Space")
    card.get_by_label("Contact").focus()
    worker.keyboard.press("Space")
    card.get_by_role("button", name="Save for").focus()
    worker.keyboard.press("Enter")
    expect(worker.get_by_text("Saved: the organisation may now see what you ticked.")).to_be_visible()
    expect(worker.locator(".consent-status").first).to_contain_text("Identity, Contact")
    expect(worker.get_by_role("table").get_by_text("Given")).to_be_visible()
    assert_accessible(worker, "consent page after a grant")
    shoot(worker, "passport-consent")

    user_id = live_db('SELECT id FROM "app_user" WHERE email = ?', (seed.PASSPORT_WORKER.email,))[0]["id"]
    consultant = new_context(viewport={"width": 1366, "height": 900})
    consultant.add_cookies(sessions["staff"] + [language_cookie(base_url, "en")])
    view = consultant.new_page()
    response = view.goto(f"/consultant/workers/{user_id}")
    assert response is not None and response.status == 200

    worker.get_by_role("button", name="Withdraw everything for").click()
    expect(worker.get_by_text("Withdrawn: the organisation no longer sees anything of your passport.")).to_be_visible()
    response = view.reload()
    assert response is not None and response.status == 404
    rows = live_db('SELECT action FROM "consent_record" WHERE subject_id = ? ORDER BY id', (user_id,))
    assert [row["action"] for row in rows][-2:] == ["grant", "withdraw"]


def test_the_consent_page_on_a_phone(new_context, live_server, shoot):
    page = _worker_page(new_context, live_server, 375, 812)
    page.goto("/passport/consent")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page, "consent page on a phone")
    shoot(page, "passport-consent")
