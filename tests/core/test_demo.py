"""The demo data loads, is idempotent, and every demo login works."""

import pytest

from app import demo
from app.storage.tables import AuditEvent, Organisation, RoleGrant, Unit, User
from tests.conftest import csrf


async def test_demo_is_idempotent_and_complete(settings):
    await demo.load(settings)
    counts = [await Organisation.count(), await Unit.count(), await User.count(), await RoleGrant.count()]
    await demo.load(settings)
    assert [await Organisation.count(), await Unit.count(), await User.count(), await RoleGrant.count()] == counts
    kinds = {row["kind"] for row in await Organisation.select(Organisation.kind)}
    assert kinds == {"agency", "employer", "sector"}
    assert {row["kind"] for row in await Unit.select(Unit.kind)} == {"site", "department", "subgroup"}
    roles = {row["role"] for row in await RoleGrant.select(RoleGrant.role)}
    assert roles == {"platform_admin", "org_admin", "consultant", "hr", "team_lead", "planner", "ambassador", "worker"}
    assert await AuditEvent.count() > 0  # created through commands


@pytest.mark.parametrize("email", [user[0] for user in demo.USERS])
async def test_every_demo_login_works(settings, client, email):
    await demo.load(settings)
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": email, "password": demo.DEMO_PASSWORD, "_csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    home = await client.get(response.headers["location"], follow_redirects=True)
    assert home.status_code == 200


async def test_the_demo_passport_and_its_consents(settings):
    from app.domain.passport import Viewer, read_shared
    from app.storage.passport import ConsentRecord

    await demo.load(settings)
    await demo.load(settings)
    flexa = (await Organisation.select(Organisation.id).where(Organisation.slug == "flexa").first())["id"]
    wout = (await User.select(User.id).where(User.email == "worker@deklok.example").first())["id"]
    nadia = (await User.select(User.id).where(User.email == "nadia.benali@example.be").first())["id"]
    viewer = Viewer(organisation_id=flexa, organisation_name="Flexa Interim")
    shared = await read_shared(viewer, [wout, nadia], "staffing")
    assert list(shared) == [wout]
    assert shared[wout].categories == ["identity", "contact", "certificates", "skills"]
    assert shared[wout].contents.value("identity", "birth_date") == "1990-02-14"
    assert "address" in shared[wout].not_shared and "bank" in shared[wout].not_shared
    nadia_actions = [row["action"] for row in await ConsentRecord.select().where(ConsentRecord.subject_id == nadia)]
    assert nadia_actions == ["grant", "withdraw"]
