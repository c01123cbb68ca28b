"""axe-core on every page the seeded users can reach, error pages and forms
showing their errors included: no serious or critical violation."""

from __future__ import annotations

import pytest

from tests.browser import seed
from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/privacy", "/login", "/password/forgot", "/password/reset/not-a-real-link", "/does-not-exist"]
ADMIN_PAGES = [
    "/home",
    "/admin",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/{organisation}",
    "/admin/units",
    "/admin/units/{unit}",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/audit",
    "/admin/jobs",
]
OTHER_USERS_PAGES = [
    ("staff", "/home"),
    ("staff", "/admin"),
    ("orgadmin", "/admin"),
    ("orgadmin", "/admin/users"),
    ("orgadmin", "/admin/units"),
]


@pytest.fixture
def ids(live_db) -> dict[str, int]:
    return {
        "organisation": live_db("SELECT id FROM organisation WHERE name = ?", (seed.ORGANISATION,))[0]["id"],
        "unit": live_db("SELECT id FROM unit WHERE name = ?", (seed.SITE,))[0]["id"],
        "user": live_db("SELECT id FROM app_user WHERE email = ?", (seed.USERS["staff"].email,))[0]["id"],
    }


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages(page, path):
    page.goto(path)
    assert_accessible(page, path)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_platform_admin_pages(signed_in, ids, path):
    page = signed_in("admin")
    target = path.format(**ids)
    response = page.goto(target)
    assert response.status == 200, f"{target} answered {response.status}"
    assert_accessible(page, target)


@pytest.mark.parametrize(("user", "path"), OTHER_USERS_PAGES)
def test_other_users_pages(signed_in, user, path):
    page = signed_in(user, language="nl")
    page.goto(path)  # the consultant's /admin is the 403 page
    assert_accessible(page, f"{path} as {user}")


def test_forms_showing_their_errors(signed_in, english):
    english.goto("/login")
    english.get_by_label("E-mail address").fill("nobody@example.test")
    english.get_by_role("button", name="Log in").click()
    english.get_by_role("alert").wait_for()
    assert_accessible(english, "login with errors")

    page = signed_in("admin")
    page.goto("/admin/units")
    page.get_by_role("button", name="Add unit").click()
    page.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(page, "new unit with errors")

    page.goto("/admin/users/new")
    page.get_by_role("button", name="Create and send link").click()
    page.locator("[aria-invalid=true]").first.wait_for()
    assert_accessible(page, "new staff user with errors")
