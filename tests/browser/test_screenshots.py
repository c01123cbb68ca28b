"""Seen, not assumed (issue 9, point 13): every page each demo role can reach
(and the anonymous visitor's), at 375x812, 1366x900 and 1920x1080, on the
demo data. Each page: no 5xx, nothing wider than the screen, and axe-core
without serious or critical violations. With WERKPAS_SCREENSHOTS=dir set, a
full-page PNG of each goes there as <role>-<page>-<size>.png (CI keeps the
folder as an artefact; people look at them before resolving an issue).

The page list comes from the app's GET routes (tests/browser/demo_site.py):
a new page is visited without touching this file. Speed (make test on two
cores): one context per role, each page loaded once and resized, PNGs only
when asked for, and axe where the role's people are: at the laptop size for
everyone, at the phone size too for workers and visitors (staff work at a
desk; the kiosk size only scales the type).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.a11y import violations
from tests.browser.demo_site import ROLES, SIZES, demo_server, pages_for  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
AXE_SIZES = {"staff": ("1366",), "phone users": ("375", "1366")}
PHONE_USERS = {"anonymous", "worker", "ambassador"}


@pytest.fixture(scope="module")
def screenshots() -> Path | None:
    target = os.environ.get("WERKPAS_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check(page, role: str, where: str, size: str, problems: list[str]) -> None:
    too_wide = page.evaluate(OVERFLOW)
    if too_wide > 0:
        problems.append(f"{where} at {size}: {too_wide}px wider than the screen")
    if size in AXE_SIZES["phone users" if role in PHONE_USERS else "staff"]:
        for violation in violations(page):
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:3])
            problems.append(f"{where} at {size}: [{violation['impact']}] {violation['id']} -> {targets}")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_at_every_size(browser, demo_server, screenshots, role):  # noqa: F811 (fixture)
    pages = pages_for(demo_server, role)
    context = browser.new_context(base_url=demo_server.base_url, locale="nl-BE", timezone_id="Europe/Brussels")
    if ROLES[role]:
        context.add_cookies(demo_server.cookies(ROLES[role]))
    page = context.new_page()
    problems: list[str] = []
    seen: set[str] = set()
    try:
        for name, path in pages.items():
            width, height = SIZES["1366"]
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(path)
            assert response is not None
            if response.status >= 500:
                problems.append(f"{path}: answered {response.status}")
                continue
            landed = page.url.removeprefix(demo_server.base_url)
            if landed != path and landed in seen:
                continue  # a redirect to a page already seen (/ -> /home, a step without its session)
            seen.add(landed)
            for size, (width, height) in SIZES.items():
                page.set_viewport_size({"width": width, "height": height})
                _check(page, role, f"{role} {path}", size, problems)
                if screenshots:
                    page.screenshot(path=str(screenshots / f"{role}-{name}-{size}.png"), full_page=True)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
