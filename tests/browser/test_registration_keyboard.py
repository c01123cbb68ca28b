"""Registration with the keyboard only, in a real browser: the language
choice first on /register, the short code, the birth date (with a date that
does not exist on the way), the language step, the privacy notice and the
PIN (the PIN-only path: no e-mail or phone) or password, never touching the
mouse; every focused control shows its focus ring. And the PIN-only account
page measured at 1920x1080: with an error shown, the PIN comes first and the
submit button is in view without scrolling.

The invitations are made in the live server's database by this module run
as a script (`python -m tests.browser.test_registration_keyboard`), with the
live server's settings: the test does not depend on the staff pages."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench import server as live
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _environment
from tests.browser.viewports import screen

pytestmark = pytest.mark.browser

BORN = date(1989, 6, 17)
PIN = "4829"

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), value: el.value || '',
          type: el.getAttribute('type') || '', form: el.form ? el.form.getAttribute('action') : null,
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
          boxShadow: style.boxShadow};
}"""


def invitation(live_server, *, last: str, email: str | None, language: str = "nl") -> dict:
    """{code, link} of a new invitation in the live server's database."""
    port = urlsplit(live_server.base_url).port
    env = _environment(live_server.data_dir, port)
    args = json.dumps({"last": last, "email": email, "language": language})
    done = subprocess.run(
        [sys.executable, "-m", "tests.browser.test_registration_keyboard", args],
        env=env,
        cwd=live.ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def assert_focus_visible(element: dict) -> None:
    ring = element["outline"] != "none" and element["outlineWidth"] >= 2
    assert ring or element["boxShadow"] not in ("", "none"), f"no visible focus on {element}"


def tab_to(page, matches, limit: int = 40) -> dict:
    """Tab until `matches(focused)`; fails after `limit` presses."""
    current: dict = {}
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        if matches(current):
            assert_focus_visible(current)
            return current
    raise AssertionError(f"focus never reached the expected element; last: {current}")


def field(name: str):
    return lambda el: el["name"] == name and el["tag"] in ("input", "button")


def submit_of(action: str):
    return lambda el: el["form"] == action and el["tag"] == "button" and el["type"] == "submit" and not el["name"]


def choice(action: str, value: str):
    return lambda el: el["form"] == action and el["name"] == "language" and el["value"] == value


def _birth_date_by_keyboard(page, day: str, month: str, year: str) -> None:
    tab_to(page, field("day"))
    page.keyboard.press("Control+A")
    page.keyboard.type(day)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "month"
    page.keyboard.press("Control+A")
    page.keyboard.type(month)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "year"
    page.keyboard.press("Control+A")
    page.keyboard.type(year)
    page.keyboard.press("Enter")


def _code_and_birth_date(page, code: str) -> None:
    page.goto("/register")
    # The language choice comes first: reached before the code box.
    tab_to(page, choice("/language", "en"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/register$"))
    tab_to(page, field("code"))
    page.keyboard.type(code.lower().replace("-", " "))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/register/identity$"))

    _birth_date_by_keyboard(page, "31", "2", str(BORN.year))
    expect(page.locator("#birth-date-error")).to_have_text("31 February does not exist.")
    _birth_date_by_keyboard(page, str(BORN.day), str(BORN.month), str(BORN.year))
    expect(page).to_have_url(re.compile(r"/register/language$"))


def _language_and_privacy(page) -> None:
    tab_to(page, choice("/register/language", "en"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/register/privacy$"))
    tab_to(page, field("accept"))
    page.keyboard.press("Space")
    expect(page.locator("#accept")).to_be_checked()
    tab_to(page, submit_of("/register/privacy"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/register/account$"))


def _type_twice(page, name: str, secret: str) -> None:
    tab_to(page, field(name))
    page.keyboard.type(secret)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == f"{name}_confirmation"
    page.keyboard.type(secret)


def test_registration_by_keyboard_on_the_pin_only_path(new_context, live_server, live_db):
    invited = invitation(live_server, last="Toets-Pin", email=None)
    page = new_context(**screen("kiosk")).new_page()
    _code_and_birth_date(page, invited["code"])
    _language_and_privacy(page)

    assert page.locator("form[action='/register/account'] input[name=password]").count() == 0
    _type_twice(page, "pin", "1234")
    page.keyboard.press("Enter")
    expect(page.locator("#form-summary")).to_contain_text("Check the PIN.")
    assert_accessible(page, "/register/account with an error")
    _type_twice(page, "pin", PIN)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/passport$"))
    registered = live_db(
        "SELECT app_user.password_hash IS NULL AS no_password, app_user.pin_hash IS NOT NULL AS has_pin,"
        " app_user.language FROM person JOIN app_user ON app_user.id = person.user WHERE person.last_name = ?",
        ("Toets-Pin",),
    )
    assert registered == [{"no_password": 1, "has_pin": 1, "language": "en"}]


def test_registration_by_keyboard_with_a_password(new_context, live_server, live_db):
    invited = invitation(live_server, last="Toets-Wachtwoord", email="toets.wachtwoord@example.be")
    page = new_context(**screen("desktop")).new_page()
    _code_and_birth_date(page, invited["code"])
    _language_and_privacy(page)
    _type_twice(page, "password", "groene fiets langs de Schelde")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/passport$"))
    registered = live_db(
        "SELECT app_user.password_hash IS NOT NULL AS has_password FROM person"
        " JOIN app_user ON app_user.id = person.user WHERE person.last_name = ?",
        ("Toets-Wachtwoord",),
    )
    assert registered == [{"has_password": 1}]


@pytest.mark.parametrize(
    ("size", "path"), [("kiosk", "pin-only"), ("kiosk", "both"), ("desktop", "pin-only"), ("phone", "pin-only")]
)
def test_the_account_page_keeps_the_button_in_view_with_an_error(new_context, live_server, size, path, shoot):
    """PIN-only: the PIN first (and alone). At 1920x1080 (a kiosk terminal)
    the error summary and the submit button are in view without scrolling,
    on the PIN-only path and with password and PIN side by side."""
    email = None if path == "pin-only" else f"toets.scherm.{size}@example.be"
    invited = invitation(live_server, last=f"Toets-Scherm-{size}-{path}", email=email, language="fr")
    page = new_context(**screen(size)).new_page()
    page.goto(invited["link"])  # the personal link: French, as the invitation
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("#day").fill(str(BORN.day))
    page.locator("#month").fill(str(BORN.month))
    page.locator("#year").fill(str(BORN.year))
    page.locator("form[action='/register/identity'] button[type=submit]").click()
    page.locator("form[action='/register/language'] button[value=fr]").click()
    page.locator("#accept").check()
    page.locator("form[action='/register/privacy'] button[type=submit]").click()
    page.locator("#pin").fill("1111")
    page.locator("#pin_confirmation").fill("1111")
    page.locator("form[action='/register/account'] button[type=submit]").click()
    expect(page.locator("#pin-error")).to_be_visible()
    assert_accessible(page, f"/register/account ({path}, {size}) with an error")
    shoot(page, f"register-account-{path}-error")
    fields = page.locator("form[action='/register/account'] input:not([type=hidden])")
    names = [fields.nth(i).get_attribute("name") for i in range(fields.count())]
    expected = ["pin", "pin_confirmation"]
    assert names == (expected if path == "pin-only" else ["password", "password_confirmation", *expected])
    if size == "kiosk":
        page.evaluate("() => window.scrollTo(0, 0)")
        height = page.viewport_size["height"]
        for selector in ("#form-summary", "form[action='/register/account'] button[type=submit]"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box, height)


def test_first_screens_are_accessible(new_context, live_server, shoot):
    invited = invitation(live_server, last="Toets-Axe", email=None, language="fr")
    for size in ("phone", "desktop", "kiosk"):
        page = new_context(**screen(size)).new_page()
        for path in ("/", "/login", "/register"):
            page.goto(path)
            expect(page.locator("a[href='/register'], form[action='/register']").first).to_be_visible()
            assert_accessible(page, f"{path} ({size})")
            shoot(page, f"welcome{path.replace('/', '-') if path != '/' else '-home'}")
        page.goto(invited["link"])
        page.locator("#day").fill("31")
        page.locator("#month").fill("2")
        page.locator("#year").fill("1990")
        page.locator("form[action='/register/identity'] button[type=submit]").click()
        expect(page.locator("#birth-date-error")).to_have_text("Le 31 f\u00e9vrier n\u2019existe pas.")
        assert_accessible(page, f"/register/identity with an error ({size})")
        shoot(page, "register-identity-error")


async def _invite_from_script(args: dict) -> dict:
    from app.config import load_settings, set_settings
    from app.storage import db
    from app.storage.tables import Organisation

    settings = load_settings()
    set_settings(settings)
    db.configure(settings)
    await db.connect()
    try:
        from tests.support.registration import invite

        org = (await Organisation.select(Organisation.id).order_by(Organisation.id).first())["id"]
        made = await invite(org, last=args["last"], first="Kim", birth=BORN, email=args["email"])
        if args["language"] != "nl":
            from app.storage.people import Invitation

            await Invitation.update({Invitation.language: args["language"]}).where(Invitation.id == made.id)
        return {"code": made.code, "link": made.link}
    finally:
        await db.disconnect()
        db.dispose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_invite_from_script(json.loads(sys.argv[1])))))
