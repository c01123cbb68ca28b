"""Logging in through the real form in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed

pytestmark = pytest.mark.browser


def test_login_with_the_right_password_opens_the_start_page(english, live_db):
    user = seed.USERS["staff"]
    page = english
    page.goto("/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(seed.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.locator(".site-header")).to_contain_text(user.name)
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
    session = next(c for c in page.context.cookies() if c["name"] == "werkpas_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    login = live_db("SELECT last_login_at FROM app_user WHERE email = ?", (user.email,))
    assert login[0]["last_login_at"] is not None


def test_wrong_password_says_so_and_keeps_the_email(english):
    user = seed.USERS["orgadmin"]
    page = english
    page.goto("/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("not the password at all")
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in").click()

    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("E-mail or password is incorrect.")
    expect(page.get_by_label("E-mail address")).to_have_value(user.email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/home")  # still not signed in: sent back to the login page
    expect(page).to_have_url(re.compile(r"/login\?next=/home$"))
