"""The evaluation after a meeting in a real browser: a participant answers
all nine questions with the keyboard only (sliders with the arrow keys, the
faces and yes/no as radio groups), the answer is stored once, and the
barometer shows the organisation's scores as charts with tables. axe-clean,
on a phone (375 px) and a desktop (1366 px)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from bench import login as http_login
from bench import server as live
from tests.browser import evaluation_seed, seed
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import language_cookie

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def meeting(live_server) -> dict:
    made = subprocess.run(
        [sys.executable, "-m", "tests.browser.evaluation_seed", str(live_server.data_dir)],
        cwd=live.ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(made.stdout.strip().splitlines()[-1])


def _page(new_context, live_server, email: str, width: int, height: int = 900):
    base = live_server.base_url
    values = http_login.login(base, email, seed.PASSWORD)
    context = new_context(viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]
    )
    return context.new_page()


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_answer_the_evaluation_with_the_keyboard(new_context, live_server, live_db, meeting, shoot):
    path = f"/participation/tables/{meeting['table']}/evaluation"
    phone = _page(new_context, live_server, evaluation_seed.EMAIL, 375, 800)
    phone.goto(path)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Evaluation of the meeting")
    assert_accessible(phone, "evaluation form, phone")
    shoot(phone, "evaluation-form")

    page = _page(new_context, live_server, evaluation_seed.EMAIL, 1366)
    page.goto(path)
    assert_accessible(page, "evaluation form, desktop")
    shoot(page, "evaluation-form")
    # 1. the slider, three steps of 5 to the right: 65 (the typed field follows).
    _tab_to(page, "evaluation-process")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#evaluation-process-typed")).to_have_value("65")
    # 2. the faces: the first one gets the focus, the arrows choose "Happy" (4).
    _tab_to(page, "evaluation-satisfaction")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Happy", exact=True)).to_be_checked()
    # 3. one sentence.
    page.keyboard.press("Tab")
    page.keyboard.type("Kort en krachtig.")
    # 4, 5: yes; 6: no (the arrow moves to "No").
    for key in ("heard", "opinion"):
        _tab_to(page, f"evaluation-{key}")
        page.keyboard.press("Space")
    _tab_to(page, "evaluation-expected")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    # 7: it drifted, and that helped: the follow-up question stays in view.
    _tab_to(page, "evaluation-drifted")
    page.keyboard.press("Space")
    expect(page.locator("[data-drift-follow-up]")).to_be_visible()
    _tab_to(page, "evaluation-drift_helped")
    page.keyboard.press("Space")
    # 8. duration: two steps to the left, 40.
    _tab_to(page, "evaluation-duration")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    _tab_to(page, "evaluation-other")
    page.keyboard.type("Graag een vervolg.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send my answers")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Change my answer")).to_be_visible()
    assert_accessible(page, "evaluation answered")

    [row] = live_db(
        "SELECT process, satisfaction, sentence, heard, opinion, expected, drifted, drift_helped, duration, other "
        'FROM "evaluation" WHERE "table" = ?',
        (meeting["table"],),
    )
    assert row == {
        "process": 65,
        "satisfaction": 4,
        "sentence": "Kort en krachtig.",
        "heard": 1,
        "opinion": 1,
        "expected": 0,
        "drifted": 1,
        "drift_helped": 1,
        "duration": 40,
        "other": "Graag een vervolg.",
    }


def test_a_mistake_is_explained_and_focused(new_context, live_server, meeting):
    """The colleague who opened the table sends the form without a face."""
    page = _page(new_context, live_server, "collega0@noord.test", 1366)
    page.goto(f"/participation/tables/{meeting['table']}/evaluation")
    page.get_by_role("button", name="Send my answers").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose the face that fits best.")
    assert_accessible(page, "evaluation form with errors")


def test_the_barometer_draws_the_scores(new_context, live_server, meeting, shoot):
    for width, height in ((375, 800), (1366, 900)):
        page = _page(new_context, live_server, seed.HR.email, width, height)
        page.goto(f"/participation/barometer?organisation={meeting['organisation']}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Health barometer")
        expect(page.get_by_role("img", name="Total score per month")).to_be_visible()
        expect(page.locator(".baro-total")).to_be_visible()
        assert_accessible(page, f"barometer {width}")
        shoot(page, "barometer")
    page.goto("/participation/barometer/help")
    expect(page.get_by_role("heading", level=1)).to_have_text("How the health barometer is calculated")
    assert_accessible(page, "barometer help")
    shoot(page, "barometer-help")
    page.goto(f"/participation/impact?organisation={meeting['organisation']}")
    assert_accessible(page, "impact")
    shoot(page, "impact")
