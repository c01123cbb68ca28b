"""No account takeover by an org admin (issue 7, point 6).

An org admin cannot change an account that holds a role they may not grant
(a platform admin who belongs to their organisation), and cannot change the
login e-mail or phone of a registered worker. Every refusal is a clear
message and changes nothing; the user page does not offer what cannot be
done and says why."""

from __future__ import annotations

from datetime import date

from markupsafe import escape

from app.storage.people import Person
from app.storage.tables import AuditEvent, Job, RoleGrant, SecretToken, User
from tests.admin import helpers as h
from tests.conftest import now


def shown(message: str) -> str:
    """A message as the page writes it (HTML-escaped)."""
    return str(escape(message))


PROTECTED = "This account holds a role that you cannot grant, so you cannot change it. Ask a platform admin."
WORKER_LOGIN = "This is a worker's own login: only the worker can change this e-mail address or phone number."


async def _snapshot(user_id: int) -> dict:
    row = await User.select().where(User.id == user_id).first()
    grants = (
        await RoleGrant.select(RoleGrant.id, RoleGrant.role).where(RoleGrant.user == user_id).order_by(RoleGrant.id)
    )
    return {"user": row, "grants": grants, "tokens": await SecretToken.count(), "jobs": await Job.count()}


async def _platform_admin_in(organisation: int, **columns) -> int:
    """A platform admin whose account belongs to an organisation."""
    user_id = await h.user(None, organisation, email="root@example.be", name="Root", **columns)
    await h.grant(user_id, "platform_admin")
    return user_id


async def _registered_worker(organisation: int, **columns) -> int:
    user_id = await h.user(None, organisation, email="wout@example.be", name="Wout", phone="+32470123456", **columns)
    await h.grant(user_id, "worker", organisation)
    await Person.insert(
        Person(
            user=user_id,
            organisation=organisation,
            first_name="Wout",
            last_name="De Smet",
            birth_date=date(1990, 2, 14),
            postcode="9000",
            match_key="de smet|wout|1990",
            created_at=now(),
        )
    )
    return user_id


# -- commands ---------------------------------------------------------------


async def test_org_admin_cannot_touch_a_platform_admin_of_their_organisation(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    root = await _platform_admin_in(organisation)
    root_grant = (await RoleGrant.select(RoleGrant.id).where(RoleGrant.user == root).first())["id"]
    hr_grant = await h.grant(root, "hr", organisation)
    before = await _snapshot(root)
    attempts = [
        ("admin.update_staff_user", {"user_id": root, "name": "Root", "email": "mine@example.be", "language": "en"}),
        ("admin.update_staff_user", {"user_id": root, "name": "Renamed", "email": "root@example.be", "language": "en"}),
        ("admin.grant_role", {"user_id": root, "role": "planner", "unit_id": ""}),
        ("admin.revoke_role", {"grant_id": hr_grant}),
        ("admin.revoke_role", {"grant_id": root_grant}),
        ("accounts.deactivate_user", {"user_id": root}),
    ]
    for type, payload in attempts:
        outcome = await h.run(type, payload, admin)
        assert outcome.errors == {"_": "protected"}, type
    assert await _snapshot(root) == before
    assert [e["outcome"] for e in await AuditEvent.select(AuditEvent.outcome)] == ["rejected"] * len(attempts)


async def test_org_admin_cannot_reactivate_or_resend_to_a_platform_admin(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    root = await _platform_admin_in(organisation, is_active=False, password_hash=None)
    before = await _snapshot(root)
    assert (await h.run("accounts.reactivate_user", {"user_id": root}, admin)).errors == {"_": "protected"}
    await User.update({User.is_active: True}).where(User.id == root)
    assert (await h.run("admin.resend_set_password", {"user_id": root}, admin)).errors == {"_": "protected"}
    assert (await _snapshot(root))["tokens"] == before["tokens"] and (await _snapshot(root))["jobs"] == before["jobs"]


async def test_a_platform_admin_still_manages_other_platform_admins(settings):
    organisation = await h.org()
    platform = await h.user("platform_admin")
    root = await _platform_admin_in(organisation)
    assert (
        await h.run(
            "admin.update_staff_user",
            {"user_id": root, "name": "Renamed", "email": "root@example.be", "language": "fr"},
            platform,
        )
    ).applied
    assert (await h.run("admin.grant_role", {"user_id": root, "role": "hr", "unit_id": ""}, platform)).applied
    assert (await h.run("accounts.deactivate_user", {"user_id": root}, platform)).applied


async def test_org_admin_still_manages_ordinary_staff(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    colleague = await h.user("org_admin", organisation)
    assert (
        await h.run(
            "admin.update_staff_user",
            {"user_id": colleague, "name": "Renamed", "email": "colleague@example.be", "language": "nl"},
            admin,
        )
    ).applied
    assert (await h.run("admin.grant_role", {"user_id": colleague, "role": "hr", "unit_id": ""}, admin)).applied
    assert (await h.run("accounts.deactivate_user", {"user_id": colleague}, admin)).applied


async def test_org_admin_cannot_change_a_registered_workers_login(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    worker = await _registered_worker(organisation)
    before = await _snapshot(worker)
    outcome = await h.run(
        "admin.update_staff_user",
        {"user_id": worker, "name": "Wout", "email": "mine@example.be", "language": "en"},
        admin,
    )
    assert outcome.errors == {"email": "worker_login"}
    # A phone number is no field of this command: a payload with one is
    # refused before the handler runs, and changes nothing.
    outcome = await h.run(
        "admin.update_staff_user",
        {"user_id": worker, "name": "Wout D.", "email": "WOUT@example.be", "language": "nl", "phone": "+32499999999"},
        admin,
    )
    assert outcome.errors == {"phone": "unknown_field"}
    assert await _snapshot(worker) == before
    outcome = await h.run(
        "admin.update_staff_user",
        {"user_id": worker, "name": "Wout D.", "email": "WOUT@example.be", "language": "nl"},
        admin,
    )
    assert outcome.applied
    after = await _snapshot(worker)
    assert (after["user"]["email"], after["user"]["phone"], after["user"]["pending_email"]) == (
        "wout@example.be",
        "+32470123456",
        None,
    )
    assert (after["user"]["display_name"], after["user"]["language"]) == ("Wout D.", "nl")
    assert (after["tokens"], after["jobs"]) == (before["tokens"], before["jobs"])


# -- the user page ------------------------------------------------------------


async def test_user_page_of_a_platform_admin_offers_nothing_to_an_org_admin(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    root = await _platform_admin_in(organisation, password_hash=None)
    page = await client.get(f"/admin/users/{root}")
    assert page.status_code == 200
    assert PROTECTED in page.text
    for action in (
        f'action="/admin/users/{root}"',
        f'action="/admin/users/{root}/grants"',
        "/revoke",
        f'action="/admin/users/{root}/resend"',
    ):
        assert action not in page.text, action
    assert "root@example.be" in page.text  # the details are still shown


async def test_posting_anyway_is_refused_with_the_message(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    root = await _platform_admin_in(organisation)
    grant_id = (await RoleGrant.select(RoleGrant.id).where(RoleGrant.user == root).first())["id"]
    before = await _snapshot(root)
    posts = [
        (f"/admin/users/{root}", {"name": "Root", "email": "mine@example.be", "language": "en"}),
        (f"/admin/users/{root}/grants", {"role": "planner", "unit_id": ""}),
        (f"/admin/users/{root}/grants/{grant_id}/revoke", {}),
        (f"/admin/users/{root}/resend", {}),
    ]
    for url, data in posts:
        response = await h.post_form(client, url, data)
        assert response.status_code == 422, url
        assert PROTECTED in response.text, url
    await User.update({User.is_active: False}).where(User.id == root)
    response = await h.post_form(client, f"/admin/users/{root}/reactivate", {})
    assert response.status_code == 422 and PROTECTED in response.text
    await User.update({User.is_active: True}).where(User.id == root)
    assert await _snapshot(root) == before


async def test_user_page_of_a_worker_shows_the_login_but_offers_no_change(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    worker = await _registered_worker(organisation)
    page = await client.get(f"/admin/users/{worker}")
    assert page.status_code == 200
    assert shown(WORKER_LOGIN) in page.text
    assert 'name="email"' not in page.text and "wout@example.be" in page.text
    assert f'action="/admin/users/{worker}"' in page.text  # name and language stay editable
    refused = await h.post_form(
        client, f"/admin/users/{worker}", {"name": "Wout", "email": "mine@example.be", "language": "en"}
    )
    assert refused.status_code == 422 and shown(WORKER_LOGIN) in refused.text
    assert (await User.select(User.email).where(User.id == worker).first())["email"] == "wout@example.be"
    # The page re-shown after the refusal still offers no e-mail field.
    assert 'name="email"' not in refused.text
    saved = await h.post_form(client, f"/admin/users/{worker}", {"name": "Wout D.", "language": "en"})
    assert saved.status_code == 303
    assert (await User.select(User.display_name, User.email).where(User.id == worker).first()) == {
        "display_name": "Wout D.",
        "email": "wout@example.be",
    }
