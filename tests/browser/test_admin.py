"""The admin panel through its real forms: a platform admin adds a unit,
then grants a staff user a role on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed

pytestmark = pytest.mark.browser


def test_admin_creates_a_unit_and_grants_a_role_on_it(signed_in, live_db):
    page = signed_in("admin")
    page.goto("/admin")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Units").click()
    expect(page).to_have_url(re.compile(r"/admin/units"))

    form = page.locator("form", has=page.get_by_role("button", name="Add unit"))
    form.get_by_label("Name").fill("Magazijn Noord")
    form.get_by_label("Kind").select_option(label="Department")
    form.get_by_label("Part of").select_option(label=seed.SITE)
    form.get_by_role("button", name="Add unit").click()

    expect(page.locator(".flash")).to_contain_text("The unit was added.")
    tree = page.locator(".tree")
    expect(tree.get_by_role("link", name="Magazijn Noord")).to_be_visible()
    unit = live_db(
        "SELECT u.id, u.kind, p.name AS parent FROM unit u JOIN unit p ON p.id = u.parent WHERE u.name = ?",
        ("Magazijn Noord",),
    )
    assert unit == [{"id": unit[0]["id"], "kind": "department", "parent": seed.SITE}]

    newcomer = seed.USERS["newcomer"]
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name=newcomer.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(newcomer.name)
    expect(page.get_by_text("This user has no roles yet.")).to_be_visible()

    grant = page.locator("form", has=page.get_by_role("button", name="Grant role"))
    grant.get_by_label("Role").select_option(label="Team lead")
    grant.get_by_label("Where").select_option(value=str(unit[0]["id"]))
    grant.get_by_role("button", name="Grant role").click()

    roles = page.get_by_role("table", name="Roles")
    expect(roles.get_by_role("row", name=re.compile("Team lead.*Magazijn Noord"))).to_be_visible()
    rows = live_db(
        "SELECT g.role, g.unit, u.id AS user_id FROM role_grant g JOIN app_user u ON u.id = g.user WHERE u.email = ?",
        (newcomer.email,),
    )
    assert [(row["role"], row["unit"]) for row in rows] == [("team_lead", unit[0]["id"])]
    audit = live_db(
        "SELECT type, outcome, channel FROM audit_event"
        " WHERE (type = 'admin.create_unit' AND target_id = ?) OR (type = 'admin.grant_role' AND target_id = ?)"
        " ORDER BY id",
        (str(unit[0]["id"]), str(rows[0]["user_id"])),
    )
    assert audit == [
        {"type": "admin.create_unit", "outcome": "applied", "channel": "web"},
        {"type": "admin.grant_role", "outcome": "applied", "channel": "web"},
    ]
