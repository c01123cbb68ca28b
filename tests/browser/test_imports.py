"""Bulk registration in a real browser: the org admin uploads an XLSX, sees
the dry run, applies with HTMX (the chosen file stays in the form), and
lands on the results; every step passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.invitations.fixtures import messy

pytestmark = pytest.mark.browser


def test_org_admin_uploads_dry_runs_and_applies(signed_in, live_db, tmp_path, shoot):
    marker = "Browsertest" + "Zuid"
    data = messy.xlsx_rows(
        [
            messy.DUTCH,
            [marker, "Lotte", 3000, "12/04/1988", "lotte@example.be"],
            ["Maes", "Kobe", 9000, "31/02/1990", ""],
        ]
    )
    path = tmp_path / "personeel.xlsx"
    path.write_bytes(data)
    page = signed_in("orgadmin")
    page.goto("/invitations/imports")
    assert_accessible(page, "upload form")
    page.get_by_label("File (.xlsx or .csv, at most 10 MB and 50,000 rows)").set_input_files(str(path))
    page.get_by_role("button", name="Dry run: show the results").click()
    table = page.get_by_role("table", name="Result per row")
    expect(table).to_contain_text(marker)
    expect(table).to_contain_text("The birth date is not a date")
    assert live_db("SELECT COUNT(*) AS n FROM person WHERE last_name = ?", (marker,)) == [{"n": 0}]
    assert_accessible(page, "dry run")
    shoot(page, "import-dry-run")

    page.get_by_role("button", name="Apply: register these people").click()
    expect(page).to_have_url(re.compile(r"/invitations/imports/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import results")
    expect(page.get_by_role("table", name="Result per row")).to_contain_text("The birth date is not a date")
    assert live_db(
        "SELECT delivery FROM invitation JOIN person ON person.id = invitation.person WHERE person.last_name = ?",
        (marker,),
    ) == [{"delivery": "email"}]
    assert_accessible(page, "import results")
    shoot(page, "import-results")
