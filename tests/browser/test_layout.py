"""The global layout, measured (issue 9, points 9 and 10), on the demo data:
one content edge, fields as wide as what goes in them, a phone header under
100 px behind a menu button (and the navigation in view without JavaScript),
an admin menu on one line at 1366 px, a two-colour focus indicator, and the
focus on the error summary after a failed submit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import language_cookie
from tests.browser.demo_site import SIZES, demo_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

MANY_ITEMS = ["admin@werkpas.example", "orgadmin@deklok.example"]
YELLOW, BLACK = "rgb(255, 221, 0)", "rgb(11, 12, 12)"


def _viewport(size: str) -> dict:
    width, height = SIZES[size]
    return {"width": width, "height": height}


@pytest.fixture
def open_as(browser, demo_server):  # noqa: F811 (fixture)
    contexts = []

    def open_page(email: str | None, size: str = "1366", **context_args):
        context = browser.new_context(
            base_url=demo_server.base_url, viewport=_viewport(size), locale="en-GB", **context_args
        )
        contexts.append(context)
        cookies = [language_cookie(demo_server.base_url, "en")]
        context.add_cookies(cookies + (demo_server.cookies(email) if email else []))
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not on the page"
    return box


@pytest.mark.parametrize("email", MANY_ITEMS)
def test_phone_header_folds_the_menu_behind_a_button(open_as, email):
    page = open_as(email, "375")
    page.goto("/home")
    header = _box(page, ".site-header")
    assert header["height"] < 100, f"the header is {header['height']}px tall on a phone"
    nav = page.get_by_role("navigation", name="Main navigation")
    button = page.locator(".menu-button")
    expect(nav).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert _box(page, ".menu-button")["height"] >= 44
    # The language switch stays in view: a worker with little Dutch finds it on every screen.
    expect(page.get_by_role("banner").get_by_role("button", name="FR")).to_be_visible()

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    links = nav.get_by_role("link").all()
    assert len(links) >= 3
    for link in links:
        box = link.bounding_box()
        assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 375
    expect(page.get_by_role("banner").get_by_role("button", name="Log out")).to_be_visible()

    links[0].focus()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_phone_navigation_stays_in_view_without_javascript(open_as):
    page = open_as(MANY_ITEMS[1], "375", java_script_enabled=False)
    page.goto("/home")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    expect(page.locator(".menu-button")).to_be_hidden()
    expect(page.get_by_role("banner").get_by_role("button", name="Log out")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("size", ["1366", "1920"])
def test_admin_menu_on_one_line(open_as, size):
    page = open_as(MANY_ITEMS[0], size)
    page.goto("/admin")
    tops = {round(link.bounding_box()["y"]) for link in page.locator(".main-nav a").all()}
    assert len(tops) == 1, f"the admin menu wraps onto {len(tops)} lines at {size}px"
    assert page.locator(".main-nav a").count() >= 8
    expect(page.locator(".menu-button")).to_be_hidden()


@pytest.mark.parametrize(("email", "path"), [(None, "/login"), (MANY_ITEMS[0], "/admin/users/new"), (None, "/")])
@pytest.mark.parametrize("size", ["1366", "1920"])
def test_one_content_edge(open_as, email, path, size):
    page = open_as(email, size)
    page.goto(path)
    brand = _box(page, ".brand")["x"]
    blocks = page.locator("main > :visible").all()
    assert blocks
    for block in blocks:  # headings, cards, forms: flush with the brand
        x = block.bounding_box()["x"]
        start = block.evaluate("e => e.outerHTML.slice(0, 60)")
        assert abs(x - brand) <= 1, f"{path}: {start} starts at {x}px, the brand at {brand}px"
    # A heading inside a card sits one card padding in (at most 1.5rem at the kiosk's 125%).
    assert 0 <= _box(page, "main h1")["x"] - brand <= 1.5 * 20


def test_fields_fit_their_content(open_as, demo_server):  # noqa: F811 (fixture)
    user = demo_server.rows("SELECT id FROM app_user WHERE email = 'hr@deklok.example'")[0]["id"]
    page = open_as(MANY_ITEMS[0], "1366")
    page.goto(f"/admin/users/{user}")
    email = _box(page, "input[type=email]")
    assert 300 <= email["width"] <= 30 * 16, f"the e-mail field is {email['width']}px wide"
    for field in page.locator("main input:visible, main select:visible").all():
        box = field.bounding_box()
        assert box and box["width"] <= 30 * 16, f"{field.get_attribute('name')} is {box and box['width']}px wide"
    page.goto("/invitations/new")
    postcode = _box(page, "input[name=postcode]")
    assert postcode["width"] <= 8 * 16, f"a 4-digit postcode field is {postcode['width']}px wide"


def _focus_style(page) -> dict:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        return {tag: document.activeElement.tagName.toLowerCase(), background: s.backgroundColor,
                color: s.color, shadow: s.boxShadow, outline: s.outlineColor, outlineWidth: s.outlineWidth}; }"""
    )


def test_focus_is_yellow_with_black(open_as):
    page = open_as(None, "1366")
    page.goto("/privacy")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    link = _focus_style(page)
    assert link["tag"] == "a" and link["background"] == YELLOW and link["color"] == BLACK
    assert BLACK in link["shadow"], f"no black bar under a focused link: {link}"

    page.goto("/login")  # the e-mail field has autofocus
    # Autofocus lands a moment after the load on a busy machine: wait for it,
    # or the body's own outline (the text colour) is what gets measured.
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'INPUT'")
    field = _focus_style(page)
    assert field["outline"] == YELLOW and field["outlineWidth"] == "3px" and BLACK in field["shadow"]

    page.get_by_role("button", name="Log in").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus (focus-visible) on the button
    button = _focus_style(page)
    assert button["tag"] == "button" and button["background"] == YELLOW and button["color"] == BLACK
    assert BLACK in button["shadow"]


def test_failed_submit_focuses_the_error_summary(open_as):
    page = open_as(None, "1366")
    page.goto("/login")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("tabindex", "-1")
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineColor") == YELLOW


def test_htmx_swap_with_errors_focuses_its_summary(open_as):
    """A fragment with an error summary swapped in by HTMX (as a form answered
    with 422) gets the focus, like a full page does."""
    page = open_as(MANY_ITEMS[0], "1366")
    fragment = (
        '<div id="swapped"><div class="alert alert-error error-summary" role="alert" tabindex="-1" '
        'data-error-summary id="x-summary"><h2 class="error-summary-title">Please correct the following</h2>'
        '<ul><li><a href="#x-name">Fill in a name</a></li></ul></div><input id="x-name" name="name"></div>'
    )
    page.route(
        "**/fragment-with-errors", lambda route: route.fulfill(status=422, body=fragment, content_type="text/html")
    )
    page.goto("/admin")
    page.evaluate("() => htmx.ajax('GET', '/fragment-with-errors', {target: 'main', swap: 'afterbegin'})")
    expect(page.locator("#x-summary")).to_be_focused()


def test_an_audit_filter_with_a_problem_says_it_where_the_results_were(open_as):
    """The filter is sent with HTMX and replaces only the results: the
    problem is said there, and focused."""
    page = open_as(MANY_ITEMS[0], "1366")
    page.goto("/admin/audit")
    page.locator("#audit-date_from").fill("2026-03-12")
    page.locator("#audit-date_to").fill("2026-03-01")
    page.get_by_role("button", name="Filter").click()
    summary = page.locator("#results [data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The end date is before the start date.")
    assert page.locator("[data-error-summary]").count() == 1
