"""Sessions end when they must (issue 7, point 7): a password reset or
change, a PIN reset, a deactivation, a revoked role and "log out everywhere"
end every other session of the account. Each test holds two browsers (two
sessions) of one account. The e-mail change is in test_email_change.py."""

from __future__ import annotations

from app.domain.invitations import secrets
from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.domain.registration.queries import pin_reset_salt
from app.storage.people import Person
from app.storage.tables import AuditEvent, RoleGrant, User
from tests.admin import helpers as h
from tests.conftest import PASSWORD, csrf
from tests.support.accounts import another_client, link_in, session_files, signed_in, user_row
from tests.support.factories import login, make_org, make_user

EN = {"accept-language": "en"}
NEW_PASSWORD = "a brand new passphrase 42"


async def _staff(role: str = "planner") -> tuple[int, int]:
    org = await make_org()
    return org, await make_user("an@example.be", role=role, org=org, language="en")


async def _post(client, path: str, data: dict | None = None):
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/login")
    return await client.post(path, data={**(data or {}), "_csrf_token": csrf(client)}, follow_redirects=False)


async def test_a_password_reset_ends_every_session(client, app, settings):
    await _staff()
    async with another_client(app) as second, another_client(app, 50002) as stranger:
        assert (await login(client, "an@example.be")).status_code == 303
        assert (await login(second, "an@example.be")).status_code == 303
        assert await signed_in(client) and await signed_in(second)
        sessions_before = len(session_files(settings))

        await stranger.get("/password/forgot")
        await _post(stranger, "/password/forgot", {"email": "an@example.be"})
        await run_due_jobs()
        [mail] = [m for m in outbox() if m["To"] == "an@example.be"]
        path = link_in(mail, "/password/reset/")
        await stranger.get(path)
        done = await _post(stranger, path, {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
        assert done.status_code == 303

        assert not await signed_in(client)
        assert not await signed_in(second)
        # The void sessions are removed from the store, not only ignored.
        assert len(session_files(settings)) == sessions_before - 2
        # A fresh login with the new password works as before.
        assert (await login(client, "an@example.be", NEW_PASSWORD)).status_code == 303
        assert await signed_in(client)


async def test_a_void_session_is_cleared_with_its_cookie(client, app):
    _org, user_id = await _staff()
    await login(client, "an@example.be")
    assert await signed_in(client)
    await User.update({User.session_version: User.session_version + 1}).where(User.id == user_id)
    response = await client.get("/home", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert "werkpas_session=null" in response.headers.get("set-cookie", "")
    # The browser is now simply anonymous: the login page shows no user.
    page = await client.get("/login", headers=EN)
    assert page.status_code == 200 and "Log out" not in page.text


async def test_a_session_without_a_version_does_not_count(client, app):
    """Sessions written before versions existed hold only the user id."""
    _org, user_id = await _staff()
    await login(client, "an@example.be")
    store = app.stores.get("sessions")
    session_id = client.cookies.get("werkpas_session")
    await store.set(session_id, b'{"uid": %d}' % user_id, expires_in=3600)
    assert not await signed_in(client)


async def test_changing_the_password_keeps_this_session_and_ends_the_others(client, app):
    _org, _user_id = await _staff()
    async with another_client(app) as second:
        await login(client, "an@example.be")
        await login(second, "an@example.be")
        form = await client.get("/home/password", headers=EN)
        assert form.status_code == 200
        response = await _post(
            client, "/home/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
        )
        assert response.status_code == 303 and response.headers["location"] == "/home"
        assert await signed_in(client)
        assert not await signed_in(second)
        assert "accounts.change_password" in [e["type"] for e in await AuditEvent.select(AuditEvent.type)]
        assert (await login(second, "an@example.be", PASSWORD)).status_code == 422
        assert (await login(second, "an@example.be", NEW_PASSWORD)).status_code == 303


async def test_a_pin_reset_ends_every_session_of_the_worker(client, app):
    from tests.support.registration import invite, register

    org = await make_org(name="De Klok")
    inv = await invite(org)
    async with another_client(app) as second, another_client(app, 50002) as kiosk:
        assert (await register(client, inv.code, pin="4729")).status_code == 303
        assert await signed_in(client, "/passport")
        user_id = (await User.select(User.id).where(User.email == "anna@example.be").first())["id"]
        await login(second, "anna@example.be", "sunny garden path 42")
        assert await signed_in(second, "/passport")

        hr = await make_user("hr@example.be", role="hr", org=org)
        person_id = (await Person.select(Person.id).first())["id"]
        issued = await h.run("registration.issue_pin_reset", {"person_id": person_id}, hr)
        assert issued.applied
        code = secrets.display(secrets.code_for("pin_reset", await pin_reset_salt(issued.ids["token_id"])))
        await kiosk.get("/pin/reset")
        done = await _post(kiosk, "/pin/reset", {"code": code, "pin": "8351", "pin_confirmation": "8351"})
        assert done.status_code == 303

        assert not await signed_in(client, "/passport")
        assert not await signed_in(second, "/passport")
        assert (await user_row(user_id))["session_version"] >= 1


async def test_a_worker_finds_log_out_everywhere_on_the_passport(client):
    from tests.support.registration import invite, register

    org = await make_org()
    assert (await register(client, (await invite(org)).code)).status_code == 303
    await _post(client, "/passport/onboarding")
    page = await client.get("/passport", headers=EN)
    assert 'action="/home/logout-everywhere"' in page.text and 'href="/home/password"' in page.text
    assert (await _post(client, "/home/logout-everywhere")).headers["location"] == "/login"
    assert not await signed_in(client, "/passport")


async def test_deactivation_ends_the_session_and_reactivation_does_not_revive_it(client, app):
    org, user_id = await _staff()
    admin = await make_user("admin@example.be", role="org_admin", org=org)
    async with another_client(app) as second:
        await login(client, "an@example.be")
        await login(second, "an@example.be")
        assert (await h.run("accounts.deactivate_user", {"user_id": user_id}, admin)).applied
        assert (await h.run("accounts.reactivate_user", {"user_id": user_id}, admin)).applied
        assert not await signed_in(client)
        assert not await signed_in(second)
        assert (await login(second, "an@example.be")).status_code == 303
        assert await signed_in(second)


async def test_a_deactivation_by_the_daily_job_ends_the_session_too(client):
    _org, user_id = await _staff()
    await login(client, "an@example.be")
    assert (await h.run("accounts.deactivate_user", {"user_id": user_id}, None, channel="job")).applied
    await User.update({User.is_active: True}).where(User.id == user_id)  # even if it came back
    assert not await signed_in(client)


async def test_a_revoked_role_ends_every_session(client, app):
    org, user_id = await _staff("hr")
    await h.grant(user_id, "planner", org)
    admin = await make_user("admin@example.be", role="org_admin", org=org)
    async with another_client(app) as second:
        await login(client, "an@example.be")
        await login(second, "an@example.be")
        grant_id = (
            await RoleGrant.select(RoleGrant.id).where((RoleGrant.user == user_id) & (RoleGrant.role == "hr")).first()
        )["id"]
        assert (await h.run("admin.revoke_role", {"grant_id": grant_id}, admin)).applied
        assert not await signed_in(client)
        assert not await signed_in(second)


async def test_granting_a_role_or_editing_a_name_keeps_the_sessions(client):
    org, user_id = await _staff()
    admin = await make_user("admin@example.be", role="org_admin", org=org)
    await login(client, "an@example.be")
    assert (await h.run("admin.grant_role", {"user_id": user_id, "role": "hr", "unit_id": ""}, admin)).applied
    assert (
        await h.run(
            "admin.update_staff_user",
            {"user_id": user_id, "name": "An P.", "email": "an@example.be", "language": "en"},
            admin,
        )
    ).applied
    assert await signed_in(client)


async def test_log_out_everywhere_ends_every_session_and_is_audited(client, app):
    _org, user_id = await _staff()
    async with another_client(app) as second:
        await login(client, "an@example.be")
        await login(second, "an@example.be")
        home = await client.get("/home", headers=EN)
        assert 'action="/home/logout-everywhere"' in home.text and "Log out everywhere" in home.text
        response = await _post(
            client,
            "/home/logout-everywhere",
            {"command_id": home.text.split('name="command_id" value="')[1].split('"')[0]},
        )
        assert response.status_code == 303 and response.headers["location"] == "/login"
        page = await client.get("/login", headers=EN)
        assert "You are logged out on every device." in page.text
        assert not await signed_in(client)
        assert not await signed_in(second)
        [event] = await AuditEvent.select().where(AuditEvent.type == "accounts.end_sessions")
        assert (event["actor_id"], event["target_id"], event["outcome"]) == (user_id, str(user_id), "applied")


async def test_log_out_everywhere_needs_a_session_and_the_csrf_token(client):
    await _staff()
    await client.get("/login")
    anonymous = await _post(client, "/home/logout-everywhere")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await login(client, "an@example.be")
    refused = await client.post("/home/logout-everywhere", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert await signed_in(client)
    assert await AuditEvent.count().where(AuditEvent.type == "accounts.end_sessions") == 0


async def test_sessions_ended_while_a_password_is_checked_void_the_login(client, monkeypatch):
    """A login checked against the old password while a reset or "log out
    everywhere" commits (argon2 takes its time) must not start a session
    that outlives the reset: the session carries the version read with the
    password hash, not one read after the check."""
    from app.domain.core.identity import end_sessions
    from app.web.accounts import login as web_login

    _org, user_id = await _staff()
    real = web_login.check_login

    async def racing(*args, **kwargs):
        check = await real(*args, **kwargs)
        await end_sessions(user_id)  # the reset commits meanwhile
        return check

    monkeypatch.setattr(web_login, "check_login", racing)
    await login(client, "an@example.be")
    assert not await signed_in(client)
    monkeypatch.setattr(web_login, "check_login", real)
    assert (await login(client, "an@example.be")).status_code == 303
    assert await signed_in(client)


async def test_a_pin_reset_while_a_pin_is_checked_voids_the_badge_login(client, monkeypatch):
    from app.domain.core.identity import end_sessions
    from app.web.registration import badge as web_badge
    from tests.registration.test_badge_login import PIN, _badge, _worker

    _org, card = await _worker(client)
    real = web_badge.check_badge_login

    async def racing(*args, **kwargs):
        check = await real(*args, **kwargs)
        await end_sessions(card.user_id)  # a PIN reset commits meanwhile
        return check

    monkeypatch.setattr(web_badge, "check_badge_login", racing)
    await _badge(client, card.code, PIN)
    assert not await signed_in(client, "/passport")
    monkeypatch.setattr(web_badge, "check_badge_login", real)
    assert (await _badge(client, card.code, PIN)).status_code == 303
    assert await signed_in(client, "/passport")
