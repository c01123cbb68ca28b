"""The main pages at phone, desktop and kiosk size: nothing wider than the
screen, and a screenshot of each (set WERKPAS_SCREENSHOTS=dir to keep them)."""

from __future__ import annotations

import pytest

from tests.browser import seed
from tests.browser.viewports import VIEWPORTS, screen

pytestmark = pytest.mark.browser

ANONYMOUS = {"home": "/", "login": "/login", "forgot": "/password/forgot", "not-found": "/does-not-exist"}
ADMIN = {
    "start": "/home",
    "admin": "/admin",
    "staff": "/admin/users",
    "units": "/admin/units",
    "staff-user": "/admin/users/{user}",
    "audit": "/admin/audit",
    "jobs": "/admin/jobs",
}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _visit(page, shoot, name: str, path: str) -> None:
    page.goto(path)
    too_wide = page.evaluate(OVERFLOW)
    shoot(page, name)
    assert too_wide <= 0, f"{path} is {too_wide}px wider than a {page.viewport_size['width']}px screen"


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_main_pages_fit_the_screen(new_context, signed_in, shoot, live_db, size):
    viewport = screen(size)
    visitor = new_context(**viewport).new_page()
    for name, path in ANONYMOUS.items():
        _visit(visitor, shoot, name, path)
    user = live_db("SELECT id FROM app_user WHERE email = ?", (seed.USERS["staff"].email,))[0]["id"]
    admin = signed_in("admin", language="nl", **viewport)
    for name, path in ADMIN.items():
        _visit(admin, shoot, name, path.format(user=user))
