"""The print buttons other pages include (templates/invitations/print_actions.html),
and the forms they send really download the PDFs."""

from __future__ import annotations

import re

from app import i18n
from app.domain.core.access import CurrentUser, Grant
from app.templating import make_environment
from tests.invitations.test_print_support import csrf, invite, make_run, row, staff


def _render(role: str, **context) -> str:
    user = CurrentUser(
        id=1,
        email="x@example.be",
        display_name="X",
        language="en",
        organisation_id=1,
        grants=(Grant(role, 1, None, None),),
    )
    template = make_environment().get_template("invitations/print_actions.html")
    i18n.set_language("en")  # the template translates in the current language
    return template.render(
        user=user, csrf_token=lambda: "token", new_command_id=lambda: "3f2b4c1e-0000-4000-8000-000000000001", **context
    )


def test_buttons_only_for_people_who_may_print():
    assert "Print invitation sheets" in _render("hr")
    assert _render("team_lead").strip() == ""


def test_detail_page_and_import_run_variants():
    detail = _render("consultant", print_ids=[7])
    assert 'action="/invitations/sheets.pdf"' in detail and 'name="ids" value="7"' in detail
    run = _render("hr", print_run_id=12)
    assert 'href="/invitations/imports/12/sheets.pdf"' in run and 'name="run_id" value="12"' in run
    assert 'action="/invitations/badges.pdf"' in run


async def test_the_included_form_downloads_both_pdfs(client):
    org = await staff(client)
    invitation_id = await invite(org, "Form", "Sender")
    html = _render("hr", print_ids=[invitation_id])
    fields = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', html))
    fields["_csrf_token"] = csrf(client)
    sheets = await client.post("/invitations/sheets.pdf", data=fields)
    badges = await client.post("/invitations/badges.pdf", data=fields)
    assert sheets.status_code == badges.status_code == 200
    assert sheets.content.startswith(b"%PDF") and badges.content.startswith(b"%PDF")
    run = await make_run(org)
    await invite(org, "Run", "Member", run=run)
    assert (
        await client.post("/invitations/badges.pdf", data={"_csrf_token": csrf(client), "run_id": str(run)})
    ).status_code == 200
    assert (await row(invitation_id))["status"] == "created"  # printing changes no invitation


def test_badges_only_when_sheets_are_not_wanted():
    badges_only = _render("hr", print_ids=[7], print_sheets=False)
    assert "Print kiosk badges" in badges_only and "Print invitation sheets" not in badges_only


async def test_a_registered_persons_page_offers_a_badge_not_a_sheet(client):
    from tests.invitations.test_print_support import close

    org = await staff(client, "hr")
    invitation_id = await invite(org, "Lotte", "Vermeulen")
    await close(invitation_id, status="registered")
    detail = await client.get(f"/invitations/{invitation_id}")
    assert "Print kiosk badges" in detail.text and "Print invitation sheets" not in detail.text
    badge = await client.post(
        "/invitations/badges.pdf",
        data={
            "_csrf_token": csrf(client),
            "ids": str(invitation_id),
            "command_id": "5b0c2a8e-0000-4000-8000-000000000009",
        },
    )
    assert badge.status_code == 200 and badge.content.startswith(b"%PDF")
