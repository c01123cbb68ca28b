"""The visible language switch: NL by default, then FR, then EN, remembered
from page to page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app import i18n

pytestmark = pytest.mark.browser


def _expect_language(page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f".language-switch button[value='{code}']")).to_have_attribute("aria-current", "true")
    # Whatever the catalog says today: the page shows that language's text.
    expect(page.locator(".skip-link")).to_have_text(i18n.translations(code).gettext("Skip to content"))


def test_switching_nl_fr_en_is_remembered_across_pages(page):
    page.goto("/")
    _expect_language(page, "nl")  # the browser asks for nl-BE

    page.locator(".language-switch button[value='fr']").click()
    _expect_language(page, "fr")
    assert page.url.endswith("/")  # back on the page where the switch was used
    page.goto("/privacy")
    _expect_language(page, "fr")

    page.locator(".language-switch button[value='en']").click()
    _expect_language(page, "en")
    page.goto("/login")
    _expect_language(page, "en")
    page.goto("/")
    _expect_language(page, "en")
