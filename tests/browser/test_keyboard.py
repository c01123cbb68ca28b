"""The admin panel with the keyboard only: skip link, main navigation, and a
form filled in and sent without touching the mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), href: el.getAttribute('href'),
          cls: el.className, text: (el.innerText || el.value || '').trim(), outline: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth) || 0};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab(page, times: int = 1, shift: bool = False) -> dict:
    for _ in range(times):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
    return focused(page)


def tab_to(page, matches, limit: int = 40) -> dict:
    """Tab until `matches(focused)`; fails after `limit` presses."""
    for _ in range(limit):
        current = tab(page)
        if matches(current):
            return current
    raise AssertionError(f"focus never reached the expected element; last: {current}")


def assert_focus_visible(element: dict) -> None:
    assert element["outline"] != "none" and element["outlineWidth"] >= 2, f"no visible focus ring on {element}"


def test_skip_link_then_main_navigation_by_keyboard(signed_in):
    page = signed_in("admin")
    page.goto("/admin")

    skip = tab(page)
    assert "skip-link" in skip["cls"] and skip["href"] == "#main"
    assert_focus_visible(skip)
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/admin#main$"))

    page.goto("/admin")
    tab(page)  # skip link
    brand = tab(page)
    assert brand["href"] == "/"
    nav_hrefs = [link.get_attribute("href") for link in page.locator(".main-nav a").all()]
    assert {"/admin/organisations", "/admin/units", "/admin/users", "/admin/audit", "/admin/jobs"} <= set(nav_hrefs)
    hrefs = [tab(page)["href"] for _ in nav_hrefs]
    assert hrefs == nav_hrefs  # the navigation in reading order
    tab(page, times=len(nav_hrefs) - nav_hrefs.index("/admin/units") - 1, shift=True)
    units = focused(page)
    assert units["href"] == "/admin/units"
    assert_focus_visible(units)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/units$"))
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Units")).to_have_attribute(
        "aria-current", "page"
    )


def test_add_a_unit_with_the_keyboard_only(signed_in, live_db):
    page = signed_in("admin")
    page.goto("/admin/units")
    tab(page)
    page.keyboard.press("Enter")  # skip to the content
    expect(page.locator("main#main")).to_be_focused()

    name = tab_to(page, lambda el: el["tag"] == "input" and el["name"] == "name")
    assert_focus_visible(name)
    page.keyboard.type("Vestiging Brugge")
    kind = tab(page)
    assert kind["tag"] == "select" and kind["name"] == "kind"
    page.keyboard.press("ArrowDown")  # first choice after "Choose a kind": Site
    expect(page.locator("select[name=kind]")).to_have_value("site")
    assert tab(page)["name"] == "parent_id"  # left at "Nothing (this is a site)"
    button = tab(page)
    assert button["tag"] == "button" and button["text"] == "Add unit"
    assert_focus_visible(button)
    page.keyboard.press("Enter")

    expect(page.locator(".flash")).to_contain_text("The unit was added.")
    expect(page.locator(".tree").get_by_role("link", name="Vestiging Brugge")).to_be_visible()
    assert live_db("SELECT kind, parent FROM unit WHERE name = ?", ("Vestiging Brugge",)) == [
        {"kind": "site", "parent": None}
    ]
    # A fresh page: the first Tab lands on the skip link again.
    assert "skip-link" in tab(page)["cls"]
