from tests.support.factories import grant, login, make_org, make_unit, make_user

EN = {"accept-language": "en"}


async def test_home_shows_name_roles_per_organisation_and_unit(client):
    agency = await make_org(kind="agency", slug="flexwerk", name="Flexwerk")
    employer = await make_org(kind="employer", slug="bakkerij", name="Bakkerij Peeters")
    site = await make_unit(employer, "Site Gent", "site")
    team = await make_unit(employer, "Inpak", "department", parent=site)
    user_id = await make_user("an@example.be", role="consultant", org=agency, display_name="An Peeters", language="en")
    await grant(user_id, "team_lead", unit=team)
    await login(client, "an@example.be")
    page = await client.get("/home", headers=EN)
    assert page.status_code == 200
    assert "Welcome, An Peeters" in page.text
    assert "Flexwerk" in page.text and "Bakkerij Peeters" in page.text
    assert "Consultant" in page.text and "in the whole organisation" in page.text
    assert "Team lead" in page.text and "in Inpak" in page.text
    assert 'href="/admin/' not in page.text


async def test_org_admin_gets_links_to_the_admin_pages(client):
    org = await make_org(name="Bakkerij Peeters")
    await make_user("admin@example.be", role="org_admin", org=org)
    await login(client, "admin@example.be")
    page = await client.get("/home", headers=EN)
    assert 'href="/admin/users"' in page.text
    assert 'href="/admin/organisations"' not in page.text


async def test_platform_admin_sees_the_whole_platform_and_every_link(client):
    await make_user("root@example.be", role="platform_admin", language="en")
    await login(client, "root@example.be")
    page = await client.get("/home", headers=EN)
    assert "The whole platform" in page.text
    assert "Platform administrator" in page.text
    assert 'href="/admin/organisations"' in page.text


async def test_home_is_in_the_users_language(client):
    org = await make_org()
    await make_user("an@example.be", role="hr", org=org, language="fr")
    await login(client, "an@example.be")
    page = await client.get("/home")
    assert 'lang="fr"' in page.text


async def test_user_without_roles_gets_a_home_without_admin_links(client):
    await make_user("nobody@example.be")
    assert (await login(client, "nobody@example.be")).status_code == 303
    home = await client.get("/home")
    assert home.status_code == 200
    assert 'href="/admin' not in home.text
    assert (await client.get("/admin/users")).status_code == 403
