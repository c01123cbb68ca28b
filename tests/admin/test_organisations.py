"""Organisations: commands, list with search and pagination, forms."""

import re

from app.storage.tables import Organisation
from tests.admin import helpers as h

VALID = {
    "name": "Build It Gent",
    "slug": "build-it-gent",
    "kind": "employer",
    "default_language": "fr",
    "invitation_days": "14",
}


async def test_create_organisation_stores_the_row_and_an_audit_event(settings):
    admin = await h.user("platform_admin")
    outcome = await h.run("admin.create_organisation", VALID, admin)
    assert outcome.applied
    row = await Organisation.select().where(Organisation.id == outcome.ids["organisation_id"]).first()
    assert (row["name"], row["slug"], row["kind"], row["default_language"], row["invitation_days"]) == (
        "Build It Gent",
        "build-it-gent",
        "employer",
        "fr",
        14,
    )
    [event] = await h.events("admin.create_organisation")
    assert (event["actor_id"], event["organisation_id"], event["outcome"]) == (admin, row["id"], "applied")


async def test_create_organisation_rejects_bad_values_and_writes_nothing(settings):
    admin = await h.user("platform_admin")
    bad = {"name": " ", "slug": "Bad Slug!", "kind": "club", "default_language": "de", "invitation_days": "0"}
    outcome = await h.run("admin.create_organisation", bad, admin)
    assert outcome.status == "rejected"
    assert set(outcome.errors) == {"name", "slug", "kind", "default_language", "invitation_days"}
    assert await Organisation.count() == 0


async def test_slug_rules(settings):
    admin = await h.user("platform_admin")
    for slug in ("-start", "end-", "double--hyphen", "UPPER", "spa ce", "x" * 81):
        outcome = await h.run("admin.create_organisation", {**VALID, "slug": slug}, admin)
        assert "slug" in outcome.errors, slug
    for days in ("366", "-3", "abc", "1.5"):
        assert (
            "invitation_days"
            in (await h.run("admin.create_organisation", {**VALID, "invitation_days": days}, admin)).errors
        )
    assert (
        await h.run("admin.create_organisation", {**VALID, "slug": "a1-b2", "invitation_days": "365"}, admin)
    ).applied


async def test_duplicate_slug_is_refused_on_create_and_update(settings):
    admin = await h.user("platform_admin")
    await h.org("Taken", "taken")
    other = await h.org("Other", "other")
    assert (await h.run("admin.create_organisation", {**VALID, "slug": "taken"}, admin)).errors == {
        "slug": "slug_taken"
    }
    outcome = await h.run("admin.update_organisation", {**VALID, "slug": "taken", "organisation_id": other}, admin)
    assert outcome.errors.keys() == {"slug"}
    assert (await Organisation.select(Organisation.slug).where(Organisation.id == other).first())["slug"] == "other"
    # Keeping its own slug is fine.
    assert (
        await h.run("admin.update_organisation", {**VALID, "slug": "other", "organisation_id": other}, admin)
    ).applied


async def test_org_admin_cannot_create_organisations(settings):
    organisation = await h.org()
    org_admin = await h.user("org_admin", organisation)
    outcome = await h.run("admin.create_organisation", VALID, org_admin)
    assert outcome.status == "rejected"
    assert await Organisation.count() == 1


async def test_list_searches_name_and_slug_and_paginates(client):
    await h.as_role(client, "platform_admin")
    for number in range(30):
        await h.org(f"Bakkerij {number:02d}", f"bakker-{number:02d}")
    await h.org("Schoonmaak Noord", "clean-north")
    await h.org("Percent 100%", "percent")

    first = await client.get("/admin/organisations")
    assert first.status_code == 200 and "<h1>" in first.text
    assert first.text.count('href="/admin/organisations/') - first.text.count('href="/admin/organisations/new') == 25
    assert "Page 1 of 2" in first.text
    second = await client.get("/admin/organisations?page=2")
    assert "Page 2 of 2" in second.text and "Schoonmaak Noord" in second.text

    by_slug = await client.get("/admin/organisations?q=CLEAN")
    assert "Schoonmaak Noord" in by_slug.text and "Bakkerij" not in by_slug.text
    # % is a literal character, not a wildcard.
    literal = await client.get("/admin/organisations?q=%25")
    assert "Percent 100%" in literal.text and "Bakkerij" not in literal.text
    # A page beyond the end shows the last page rather than an empty one.
    assert "Page 2 of 2" in (await client.get("/admin/organisations?page=999")).text
    assert (await client.get("/admin/organisations?page=abc")).status_code == 200


async def test_htmx_search_returns_only_the_table(client):
    await h.as_role(client, "platform_admin")
    await h.org("Schoonmaak Noord", "clean-north")
    full = await client.get("/admin/organisations?q=noord")
    fragment = await client.get("/admin/organisations?q=noord", headers={"HX-Request": "true"})
    assert "<html" in full.text and 'id="results"' in full.text
    assert "<html" not in fragment.text and "<h1" not in fragment.text
    assert "Schoonmaak Noord" in fragment.text and "<table" in fragment.text


def _command_id(html: str) -> str:
    return re.search(r'name="command_id" value="([^"]+)"', html).group(1)


async def test_form_create_redirects_and_invalid_form_keeps_typed_values(client):
    await h.as_role(client, "platform_admin")
    form = await client.get("/admin/organisations/new")
    first_id = _command_id(form.text)
    bad = await h.post_form(
        client, "/admin/organisations", {**VALID, "name": "Kept <Name>", "slug": "Not Valid", "command_id": first_id}
    )
    assert bad.status_code == 422
    assert 'value="Kept &lt;Name&gt;"' in bad.text and 'value="Not Valid"' in bad.text
    assert 'aria-invalid="true" aria-describedby="org-slug-error"' in bad.text
    assert 'id="org-slug-error"' in bad.text and "Use only lowercase letters" in bad.text
    assert 'role="alert"' in bad.text  # the summary at the top
    assert _command_id(bad.text) != first_id
    assert await Organisation.count() == 0

    good = await h.post_form(client, "/admin/organisations", {**VALID, "command_id": _command_id(bad.text)})
    assert good.status_code == 303
    row = await Organisation.select().first()
    assert good.headers["location"] == f"/admin/organisations/{row['id']}"
    # Sending the same form twice (double click) creates one organisation.
    again = await h.post_form(client, "/admin/organisations", {**VALID, "command_id": _command_id(bad.text)})
    assert again.status_code == 303 and await Organisation.count() == 1


async def test_duplicate_slug_shows_inline_error_in_the_users_language(client):
    await h.as_role(client, "platform_admin")
    await h.org("Taken", "taken")
    response = await h.post_form(client, "/admin/organisations", {**VALID, "slug": "taken"})
    assert response.status_code == 422
    assert "Another organisation already uses this short name." in response.text
    assert 'value="taken"' in response.text


async def test_edit_form_updates(client):
    await h.as_role(client, "platform_admin")
    organisation = await h.org("Old", "old")
    page = await client.get(f"/admin/organisations/{organisation}")
    assert 'value="old"' in page.text
    response = await h.post_form(
        client,
        f"/admin/organisations/{organisation}",
        {**VALID, "name": "New name", "command_id": _command_id(page.text)},
    )
    assert response.status_code == 303
    assert (await Organisation.select(Organisation.name).where(Organisation.id == organisation).first())[
        "name"
    ] == "New name"
    assert (await client.get("/admin/organisations/999999")).status_code == 404
    assert (await client.get("/admin/organisations/99999999999")).status_code == 404


async def test_empty_lists_say_none_yet_or_none_match(client):
    await h.as_role(client, "platform_admin")
    empty = await client.get("/admin/organisations")
    assert "There are no organisations yet." in empty.text
    await h.org("Acme", "acme")
    nothing = await client.get("/admin/organisations?q=zzz")
    assert "No organisations match your search." in nothing.text and "no organisations yet" not in nothing.text
    staff = await client.get("/admin/users?q=zzz")
    assert "No staff match your search." in staff.text and "There are no staff accounts yet." not in staff.text
