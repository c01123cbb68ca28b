"""An organisation admin reaches only their own organisation: any id from
another organisation answers 404 (never 403) and changes nothing."""

import pytest

from app.storage.tables import RoleGrant, Unit, User
from tests.admin import helpers as h


@pytest.fixture
async def two_orgs(client):
    mine, theirs = await h.org("Mine", "mine"), await h.org("Theirs", "theirs")
    their_site = await h.unit(theirs, "Brussel")
    their_user = await h.user(
        organisation=theirs, email="them@example.be", name="Their Person", is_active=False, password=False
    )
    their_grant = await h.grant(their_user, "hr", theirs, their_site)
    await h.as_role(client, "org_admin", mine)
    return {"mine": mine, "theirs": theirs, "site": their_site, "user": their_user, "grant": their_grant}


async def test_pages_of_another_organisation_answer_404(client, two_orgs):
    o = two_orgs
    for url in (
        f"/admin/units/{o['site']}",
        f"/admin/units?organisation={o['theirs']}",
        f"/admin/users/{o['user']}",
        f"/admin/units/{o['site']}/delete",
        f"/admin/users/{o['user']}/deactivate",
        f"/admin/users/{o['user']}/grants/{o['grant']}/revoke",
    ):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert "Brussel" not in response.text and "Their Person" not in response.text


async def test_changes_to_another_organisation_answer_404_and_change_nothing(client, two_orgs):
    o = two_orgs
    posts = [
        (f"/admin/units/{o['site']}", {"name": "Hacked"}),
        (f"/admin/units/{o['site']}/delete", {}),
        ("/admin/units", {"organisation_id": o["theirs"], "name": "Intruder", "kind": "site", "parent_id": ""}),
        (f"/admin/users/{o['user']}", {"name": "Hacked", "email": "hacked@example.be", "language": "nl"}),
        (f"/admin/users/{o['user']}/grants", {"role": "hr", "unit_id": ""}),
        (f"/admin/users/{o['user']}/grants/{o['grant']}/revoke", {}),
        (f"/admin/users/{o['user']}/reactivate", {}),
        (f"/admin/users/{o['user']}/deactivate", {"confirm": "yes"}),
        (f"/admin/users/{o['user']}/grants/{o['grant']}/revoke", {"confirm": "yes"}),
        (f"/admin/units/{o['site']}/delete", {"confirm": "yes"}),
        (f"/admin/users/{o['user']}/resend", {}),
    ]
    for url, data in posts:
        response = await h.post_form(client, url, data)
        assert response.status_code == 404, url
    assert (await Unit.select(Unit.name).where(Unit.id == o["site"]).first())["name"] == "Brussel"
    assert await Unit.count() == 1
    user = await User.select().where(User.id == o["user"]).first()
    assert (user["display_name"], user["is_active"]) == ("Their Person", False)
    assert await RoleGrant.count().where(RoleGrant.user == o["user"]) == 1


async def test_commands_refuse_out_of_scope_ids_directly(client, two_orgs):
    """Defence in depth: the domain refuses even when a controller would not check."""
    o = two_orgs
    me = (await User.select(User.id).where(User.organisation == o["mine"]).first())["id"]
    for type, payload in [
        ("admin.update_unit", {"unit_id": o["site"], "name": "X"}),
        ("admin.delete_unit", {"unit_id": o["site"]}),
        ("admin.grant_role", {"user_id": o["user"], "role": "hr"}),
        ("admin.revoke_role", {"grant_id": o["grant"]}),
        ("admin.update_staff_user", {"user_id": o["user"], "name": "X", "email": "x@example.be", "language": "nl"}),
        ("admin.resend_set_password", {"user_id": o["user"]}),
    ]:
        outcome = await h.run(type, payload, me)
        assert outcome.errors == {"_": "not_found"}, type


async def test_lists_show_only_the_own_organisation(client, two_orgs):
    users = await client.get("/admin/users?status=inactive")
    assert "Their Person" not in users.text
    units = await client.get("/admin/units")
    assert "Units of Mine" in units.text and "Theirs" not in units.text
    form = await client.get("/admin/users/new")
    assert "Theirs" not in form.text and "Brussel" not in form.text


async def test_org_admin_cannot_see_platform_admins(client, two_orgs):
    platform = await h.user("platform_admin", name="Platform Person")
    assert (await client.get(f"/admin/users/{platform}")).status_code == 404
    assert "Platform Person" not in (await client.get("/admin/users")).text
