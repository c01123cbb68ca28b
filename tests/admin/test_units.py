"""Units: the tree rules, the materialised path, rename, delete."""

from app.storage.tables import Unit
from tests.admin import helpers as h


async def _create(actor, organisation, name, kind, parent=""):
    return await h.run(
        "admin.create_unit", {"organisation_id": organisation, "name": name, "kind": kind, "parent_id": parent}, actor
    )


async def _path(unit_id):
    return (await Unit.select(Unit.path).where(Unit.id == unit_id).first())["path"]


async def test_tree_with_paths_for_prefix_matching(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    site = (await _create(admin, organisation, "Gent", "site")).ids["unit_id"]
    department = (await _create(admin, organisation, "Logistics", "department", site)).ids["unit_id"]
    group = (await _create(admin, organisation, "Night shift", "subgroup", department)).ids["unit_id"]
    nested = (await _create(admin, organisation, "Forklifts", "subgroup", group)).ids["unit_id"]
    assert await _path(site) == f"/{site}/"
    assert await _path(nested) == f"/{site}/{department}/{group}/{nested}/"
    below_department = await Unit.select(Unit.id).where(Unit.path.like(f"{await _path(department)}%"))
    assert {row["id"] for row in below_department} == {department, group, nested}
    [event] = [e for e in await h.events("admin.create_unit") if e["target_id"] == str(nested)]
    assert event["organisation_id"] == organisation and event["actor_id"] == admin


async def test_parent_kind_rules(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    site = (await _create(admin, organisation, "Gent", "site")).ids["unit_id"]
    department = (await _create(admin, organisation, "Logistics", "department", site)).ids["unit_id"]
    refused = [
        ("site", site, "parent_id"),  # a site is at the top
        ("department", "", "parent_id"),  # a department needs a site
        ("department", department, "parent_id"),
        ("subgroup", site, "parent_id"),  # a subgroup needs a department or subgroup
        ("subgroup", "", "parent_id"),
        ("team", site, "kind"),
        ("subgroup", "abc", "parent_id"),
    ]
    for kind, parent, field in refused:
        outcome = await _create(admin, organisation, "X", kind, parent)
        assert field in outcome.errors, (kind, parent, outcome.errors)
    assert await Unit.count() == 2


async def test_parent_from_another_organisation_is_refused(settings):
    mine, theirs = await h.org(), await h.org()
    admin = await h.user("org_admin", mine)
    their_site = await h.unit(theirs, "Brussel")
    outcome = await _create(admin, mine, "Logistics", "department", their_site)
    assert outcome.errors == {"parent_id": "parent_not_listed"}


async def test_nesting_depth_is_limited(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    parent = (await _create(admin, organisation, "Site", "site")).ids["unit_id"]
    parent = (await _create(admin, organisation, "Dept", "department", parent)).ids["unit_id"]
    for level in range(6):
        parent = (await _create(admin, organisation, f"Group {level}", "subgroup", parent)).ids["unit_id"]
    assert (await _path(parent)).count("/") - 1 == 8
    outcome = await _create(admin, organisation, "Too deep", "subgroup", parent)
    assert outcome.errors == {"parent_id": "too_deep"}


async def test_name_required_and_unique_among_siblings(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    site = (await _create(admin, organisation, "Gent", "site")).ids["unit_id"]
    assert "name" in (await _create(admin, organisation, "  ", "site")).errors
    assert "name" in (await _create(admin, organisation, "x" * 201, "site")).errors
    assert "name" in (await _create(admin, organisation, "GENT", "site")).errors
    # The same name elsewhere in the tree is fine.
    assert (await _create(admin, organisation, "Gent", "department", site)).applied


async def test_rename(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    await h.unit(organisation, "Antwerpen")
    assert (await h.run("admin.update_unit", {"unit_id": site, "name": "Gent-Zuid"}, admin)).applied
    assert (await Unit.select(Unit.name).where(Unit.id == site).first())["name"] == "Gent-Zuid"
    assert (await h.run("admin.update_unit", {"unit_id": site, "name": "Antwerpen"}, admin)).errors.keys() == {"name"}
    assert (await h.run("admin.update_unit", {"unit_id": site, "name": ""}, admin)).errors.keys() == {"name"}


async def test_delete_only_without_children_and_grants(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    department = await h.unit(organisation, "Logistics", "department", site)
    lead = await h.user("team_lead", organisation, department)

    outcome = await h.run("admin.delete_unit", {"unit_id": site}, admin)
    assert outcome.errors == {"_": "unit_has_children"}
    outcome = await h.run("admin.delete_unit", {"unit_id": department}, admin)
    assert outcome.errors == {"_": "unit_has_grants"}
    assert await Unit.count() == 2

    from app.storage.tables import RoleGrant

    await RoleGrant.delete().where(RoleGrant.user == lead)
    assert (await h.run("admin.delete_unit", {"unit_id": department}, admin)).applied
    assert (await h.run("admin.delete_unit", {"unit_id": site}, admin)).applied
    assert await Unit.count() == 0


async def test_units_page_creates_and_shows_the_tree(client):
    organisation = await h.org("Acme", "acme")
    await h.as_role(client, "org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    page = await client.get("/admin/units")
    assert page.status_code == 200 and "Units of Acme" in page.text and ">Gent</a>" in page.text

    bad = await h.post_form(
        client,
        "/admin/units",
        {"organisation_id": organisation, "name": "Typed name", "kind": "subgroup", "parent_id": site},
    )
    assert bad.status_code == 422
    assert 'value="Typed name"' in bad.text
    assert "A subgroup belongs to a department or another subgroup." in bad.text
    assert f'<option value="{site}" selected>' in bad.text

    good = await h.post_form(
        client,
        "/admin/units",
        {"organisation_id": organisation, "name": "Logistics", "kind": "department", "parent_id": site},
    )
    assert good.status_code == 303 and good.headers["location"] == f"/admin/units?organisation={organisation}"
    department = (await Unit.select(Unit.id).where(Unit.name == "Logistics").first())["id"]
    assert await _path(department) == f"/{site}/{department}/"
    tree = await client.get(good.headers["location"])
    assert "The unit was added." in tree.text and ">Logistics</a>" in tree.text


async def test_unit_page_rename_and_delete_messages(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    await h.unit(organisation, "Logistics", "department", site)

    refused = await h.post_form(client, f"/admin/units/{site}/delete", {"confirm": "yes"})
    assert refused.status_code == 422
    assert "This unit still has units below it. Delete those first." in refused.text
    assert await Unit.count() == 2

    renamed = await h.post_form(client, f"/admin/units/{site}", {"name": ""})
    assert renamed.status_code == 422 and 'id="unit-name-error"' in renamed.text
    renamed = await h.post_form(client, f"/admin/units/{site}", {"name": "Gent-Zuid"})
    assert renamed.status_code == 303
    assert "Gent-Zuid" in (await client.get(f"/admin/units/{site}")).text


async def test_deleting_a_unit_asks_first_and_works_without_javascript(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    shown = await client.get(f"/admin/units/{site}")
    assert f'href="/admin/units/{site}/delete"' in shown.text
    assert f'action="/admin/units/{site}/delete"' not in shown.text
    confirm = await client.get(f"/admin/units/{site}/delete")
    assert confirm.status_code == 200 and "Delete the unit Gent?" in confirm.text
    assert 'name="confirm" value="yes"' in confirm.text and f'href="/admin/units/{site}"' in confirm.text
    # A post without the confirmation (an old form, a stray click) only asks.
    asked = await h.post_form(client, f"/admin/units/{site}/delete", {})
    assert asked.status_code == 200 and "Delete the unit Gent?" in asked.text and await Unit.count() == 1
    done = await h.post_form(client, f"/admin/units/{site}/delete", {"confirm": "yes"})
    assert done.status_code == 303 and await Unit.count() == 0


async def test_a_unit_that_cannot_be_deleted_offers_no_button_and_says_why(client):
    from tests.support.registration import invite

    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    department = await h.unit(organisation, "Logistics", "department", site)
    await h.user("team_lead", organisation, department)
    await invite(organisation, unit=department)
    page = await client.get(f"/admin/units/{department}")
    assert "This unit cannot be deleted yet:" in page.text
    assert "1 role is granted on it." in page.text
    assert "1 person on the roster belongs to it." in page.text
    assert "1 invitation for it is still open." in page.text
    assert f'href="/admin/units/{department}/delete"' not in page.text
    assert "1 unit is below it." in (await client.get(f"/admin/units/{site}")).text
    # Asking for the confirmation anyway goes back to the page that says why.
    again = await client.get(f"/admin/units/{department}/delete", follow_redirects=False)
    assert again.status_code in (302, 303) and again.headers["location"] == f"/admin/units/{department}"


async def test_members_and_open_invitations_keep_a_unit(settings):
    from tests.support.registration import invite

    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    site = await h.unit(organisation, "Gent")
    await invite(organisation, unit=site)
    outcome = await h.run("admin.delete_unit", {"unit_id": site}, admin)
    assert outcome.errors == {"_": "unit_has_members"} and await Unit.count() == 1
