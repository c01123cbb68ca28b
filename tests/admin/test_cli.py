"""`werkpas createadmin`."""

import msgspec

from app.domain.accounts import tokens
from app.domain.admin.cli import create_platform_admin
from app.storage.tables import AuditEvent, Job, RoleGrant, User


async def test_createadmin_creates_a_platform_admin_and_prints_the_link(settings, capsys):
    assert await create_platform_admin(settings, email=" Root@Example.be", name="Root Admin", language="en") == 0
    user = await User.select().where(User.email == "root@example.be").first()
    assert (user["display_name"], user["language"], user["organisation"], user["password_hash"]) == (
        "Root Admin",
        "en",
        None,
        None,
    )
    grant = await RoleGrant.select().where(RoleGrant.user == user["id"]).first()
    assert (grant["role"], grant["organisation"], grant["unit"]) == ("platform_admin", None, None)
    [job] = await Job.select().where(Job.kind == "accounts.send_set_password_mail")
    token_id = msgspec.json.decode(job["payload"])["token_id"]
    output = capsys.readouterr().out
    assert "root@example.be" in output
    assert f"http://testserver.local/password/set/{await tokens.secret_for(token_id)}" in output
    event = await AuditEvent.select().where(AuditEvent.type == "admin.create_staff_user").first()
    assert (event["channel"], event["actor_id"], event["outcome"]) == ("cli", None, "applied")


async def test_createadmin_refuses_duplicate_and_invalid_addresses(settings, capsys):
    assert await create_platform_admin(settings, email="root@example.be", name="Root", language="nl") == 0
    capsys.readouterr()
    assert await create_platform_admin(settings, email="ROOT@example.be", name="Again", language="nl") == 1
    assert capsys.readouterr().out.strip() == "werkpas: A user with this e-mail address already exists."
    assert await create_platform_admin(settings, email="not-an-address", name="Bad", language="nl") == 1
    output = capsys.readouterr().out.strip()
    assert output.count("\n") == 0 and "valid e-mail address" in output
    assert await User.count() == 1 and await Job.count() == 1
