"""Moving a role to another unit (a worker changes subgroup): the role
stays, only its unit changes; another organisation's grant is 404; an
org_admin role has no unit; a unit of another organisation is refused."""

from __future__ import annotations

import uuid

from app.domain.core.commands import Command, execute
from app.domain.registry import load_handlers
from app.storage.tables import RoleGrant
from tests.conftest import PASSWORD, csrf
from tests.support.factories import grant, login, make_org, make_unit, make_user

load_handlers()


async def _do(payload: dict, actor: int):
    return await execute(
        Command(type="admin.move_role", payload=payload, actor_id=actor, channel="web", id=uuid.uuid4())
    )


async def _world():
    org = await make_org(slug="klok")
    early = await make_unit(org, "Ploeg Vroeg", "subgroup")
    late = await make_unit(org, "Ploeg Laat", "subgroup")
    admin = await make_user("admin@klok.example", role="org_admin", org=org, organisation=org)
    worker = await make_user("wout@example.be", organisation=org)
    grant_id = await grant(worker, "worker", org, early)
    return org, early, late, admin, worker, grant_id


async def test_a_worker_moves_to_another_subgroup(client):
    _org, _early, late, _admin, worker, grant_id = await _world()
    await login(client, "admin@klok.example", PASSWORD)
    page = await client.get(f"/admin/users/{worker}/grants/{grant_id}/move")
    assert page.status_code == 200
    data = {"_csrf_token": csrf(client), "command_id": str(uuid.uuid4()), "unit_id": str(late)}
    response = await client.post(f"/admin/users/{worker}/grants/{grant_id}/move", data=data)
    assert response.status_code in (302, 303)
    row = await RoleGrant.select(RoleGrant.role, RoleGrant.unit).where(RoleGrant.id == grant_id).first()
    assert row == {"role": "worker", "unit": late}


async def test_another_organisations_grant_and_unit_are_refused():
    _org, early, late, admin, _worker, grant_id = await _world()
    other = await make_org(slug="elders")
    elsewhere = await make_unit(other, "Elders", "subgroup")
    other_admin = await make_user("admin@elders.example", role="org_admin", org=other, organisation=other)
    assert (await _do({"grant_id": grant_id, "unit_id": late}, other_admin)).code() == "not_found"
    outcome = await _do({"grant_id": grant_id, "unit_id": elsewhere}, admin)
    assert outcome.code("unit_id") == "unit_not_listed"
    assert (await RoleGrant.select(RoleGrant.unit).where(RoleGrant.id == grant_id).first())["unit"] == early


async def test_an_org_admin_role_cannot_be_put_on_a_unit():
    org, early, _late, admin, _worker, _grant_id = await _world()
    second = await make_user("second@klok.example", role="org_admin", org=org, organisation=org)
    admin_grant = (await RoleGrant.select(RoleGrant.id).where(RoleGrant.user == second).first())["id"]
    outcome = await _do({"grant_id": admin_grant, "unit_id": early}, admin)
    assert outcome.code("unit_id") == "org_admin_no_unit"
