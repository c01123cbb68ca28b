"""Odd input gets a clear answer, never a server error, on both databases."""

from app.storage.tables import Organisation, Unit
from tests.admin import helpers as h


async def test_odd_query_strings_and_ids(client):
    organisation = await h.org()
    await h.as_role(client, "platform_admin")
    for url in (
        "/admin/organisations?q=%00%25_%5C&page=-1",
        "/admin/users?q=%00&status=weird&organisation=abc&page=99999999999999",
        "/admin/jobs?status=%00&page=0",
        f"/admin/units?organisation={organisation}",
    ):
        assert (await client.get(url)).status_code == 200, url
    for url in (
        "/admin/users/99999999999",
        "/admin/units/2147483648",
        "/admin/organisations/0",
        "/admin/units?organisation=abc",
    ):
        assert (await client.get(url)).status_code == 404, url
    audit = await client.get("/admin/audit?actor=%00&date_from=%00&organisation=-5")
    assert audit.status_code == 422 and "Traceback" not in audit.text


async def test_odd_form_values(client):
    organisation = await h.org()
    await h.as_role(client, "platform_admin")
    response = await h.post_form(
        client,
        "/admin/organisations",
        {
            "name": "Nul\x00Byte",
            "slug": "nul-byte",
            "kind": "agency",
            "default_language": "nl",
            "invitation_days": "99999999999999999999",
        },
    )
    assert response.status_code == 422 and "Enter a whole number of days from 1 to 365." in response.text
    response = await h.post_form(
        client,
        "/admin/organisations",
        {"name": "Nul\x00Byte", "slug": "nul-byte", "kind": "agency", "default_language": "nl", "invitation_days": "7"},
    )
    assert response.status_code == 303
    assert await Organisation.exists().where(Organisation.name == "NulByte")
    response = await h.post_form(
        client,
        "/admin/units",
        {"organisation_id": organisation, "name": "X", "kind": "department", "parent_id": "99999999999"},
    )
    assert response.status_code == 422 and "Choose a parent unit from the list." in response.text
    response = await h.post_form(
        client, "/admin/units", {"organisation_id": "not-a-number", "name": "X", "kind": "site"}
    )
    assert response.status_code == 404
    response = await h.post_form(
        client,
        "/admin/users",
        {
            "name": "x" * 5000,
            "email": "a@b.be",
            "language": "nl",
            "organisation_id": organisation,
            "role": "team_lead",
            "unit_id": "abc",
        },
    )
    assert (
        response.status_code == 422
        and "Use at most 200 characters." in response.text
        and "Choose a unit from the list." in response.text
    )
    assert await Unit.count() == 0
