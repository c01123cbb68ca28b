"""Staff users: creation with a set-password mail, edits, grants,
reactivation, resending the link, and the list."""

import re

import msgspec

from app.domain.accounts import tokens
from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.storage.tables import Job, RoleGrant, SecretToken, User
from tests.admin import helpers as h


def _new(**values):
    return {
        "name": "An Peeters",
        "email": "an.peeters@example.be",
        "language": "fr",
        "organisation_id": "",
        "role": "",
        "unit_id": "",
        **values,
    }


async def test_create_staff_user_issues_token_and_queues_mail_in_one_go(settings):
    organisation = await h.org()
    site = await h.unit(organisation, "Gent")
    admin = await h.user("platform_admin")
    outcome = await h.run(
        "admin.create_staff_user",
        _new(email="An.Peeters@Example.be ", organisation_id=str(organisation), role="team_lead", unit_id=str(site)),
        admin,
    )
    assert outcome.applied
    user = await User.select().where(User.id == outcome.ids["user_id"]).first()
    assert (user["email"], user["display_name"], user["language"], user["organisation"], user["password_hash"]) == (
        "an.peeters@example.be",
        "An Peeters",
        "fr",
        organisation,
        None,
    )
    grants = await RoleGrant.select().where(RoleGrant.user == user["id"])
    assert [(g["role"], g["organisation"], g["unit"]) for g in grants] == [("team_lead", organisation, site)]
    token = await SecretToken.select().where(SecretToken.id == outcome.ids["token_id"]).first()
    assert (token["user"], token["purpose"], token["used_at"]) == (user["id"], "set_password", None)
    [job] = await Job.select().where(Job.kind == "accounts.send_set_password_mail")
    assert msgspec.json.decode(job["payload"]) == {"user_id": user["id"], "token_id": token["id"]}

    # The queued job mails a working link.
    await run_due_jobs()
    [mail] = [m for m in outbox(settings) if m["To"] == "an.peeters@example.be"]
    secret = await tokens.secret_for(token["id"])
    assert f"/password/set/{secret}" in mail.get_body(("plain",)).get_content()


async def test_rejected_creation_leaves_no_user_token_or_job(settings):
    organisation = await h.org()
    admin = await h.user("platform_admin")
    await h.user(email="taken@example.be", organisation=organisation)
    outcome = await h.run(
        "admin.create_staff_user", _new(email="TAKEN@example.be", organisation_id=organisation), admin
    )
    assert outcome.errors == {"email": "email_taken"}
    outcome = await h.run("admin.create_staff_user", _new(name="", email="not-an-address", language="de"), admin)
    assert outcome.errors.keys() == {"name", "email", "language", "organisation_id"}
    assert await User.count() == 2  # the admin and taken@
    assert await SecretToken.count() == 0 and await Job.count() == 0


async def test_role_and_unit_rules_on_creation(settings):
    mine, theirs = await h.org(), await h.org()
    their_site = await h.unit(theirs, "Brussel")
    my_site = await h.unit(mine, "Gent")
    org_admin = await h.user("org_admin", mine)
    platform = await h.user("platform_admin")

    assert (await h.run("admin.create_staff_user", _new(organisation_id=theirs), org_admin)).errors == {
        "organisation_id": "organisation_missing"
    }
    assert (
        "role"
        in (await h.run("admin.create_staff_user", _new(organisation_id=mine, role="platform_admin"), org_admin)).errors
    )
    assert (
        await h.run("admin.create_staff_user", _new(organisation_id=mine, role="hr", unit_id=their_site), org_admin)
    ).errors == {"unit_id": "unit_not_listed"}
    assert (await h.run("admin.create_staff_user", _new(organisation_id=mine, unit_id=my_site), org_admin)).errors == {
        "role": "role_for_unit"
    }
    assert (
        "unit_id"
        in (
            await h.run(
                "admin.create_staff_user", _new(organisation_id=mine, role="org_admin", unit_id=my_site), org_admin
            )
        ).errors
    )
    assert "role" in (await h.run("admin.create_staff_user", _new(organisation_id=mine, role="boss"), org_admin)).errors
    # Only the platform admin may create a user without an organisation, as a platform admin.
    assert (await h.run("admin.create_staff_user", _new(role="hr"), platform)).errors.keys() == {"organisation_id"}
    outcome = await h.run("admin.create_staff_user", _new(role="platform_admin"), platform)
    assert outcome.applied
    assert (
        await RoleGrant.select(RoleGrant.role, RoleGrant.organisation)
        .where(RoleGrant.user == outcome.ids["user_id"])
        .first()
    ) == {"role": "platform_admin", "organisation": None}
    # An org admin creates users in their own organisation, with no role at all if they like.
    outcome = await h.run("admin.create_staff_user", _new(email="b@example.be", organisation_id=mine), org_admin)
    assert outcome.applied and await RoleGrant.count().where(RoleGrant.user == outcome.ids["user_id"]) == 0


async def test_grant_and_revoke(settings):
    mine, theirs = await h.org(), await h.org()
    site = await h.unit(mine, "Gent")
    their_site = await h.unit(theirs, "Brussel")
    org_admin = await h.user("org_admin", mine)
    worker = await h.user(organisation=mine)

    outcome = await h.run("admin.grant_role", {"user_id": worker, "role": "planner", "unit_id": site}, org_admin)
    assert outcome.applied
    grant = await RoleGrant.select().where(RoleGrant.id == outcome.ids["grant_id"]).first()
    assert (grant["user"], grant["role"], grant["organisation"], grant["unit"]) == (worker, "planner", mine, site)
    assert (
        await h.run("admin.grant_role", {"user_id": worker, "role": "planner", "unit_id": site}, org_admin)
    ).errors == {"role": "already_granted"}
    assert (
        await h.run("admin.grant_role", {"user_id": worker, "role": "hr", "unit_id": ""}, org_admin)
    ).applied  # whole organisation
    assert (
        await h.run("admin.grant_role", {"user_id": worker, "role": "hr", "unit_id": their_site}, org_admin)
    ).errors == {"unit_id": "unit_not_listed"}
    assert (
        await h.run("admin.grant_role", {"user_id": worker, "role": "platform_admin", "unit_id": ""}, org_admin)
    ).errors == {"role": "platform_admin_only"}
    assert await RoleGrant.count().where(RoleGrant.user == worker) == 2

    assert (await h.run("admin.revoke_role", {"grant_id": grant["id"]}, org_admin)).applied
    assert not await RoleGrant.exists().where(RoleGrant.id == grant["id"])
    [event] = await h.events("admin.revoke_role")
    assert (event["organisation_id"], event["target_id"]) == (mine, str(worker))


async def test_platform_admin_grants_platform_admin_and_nobody_removes_their_own_admin_role(settings):
    organisation = await h.org()
    platform = await h.user("platform_admin")
    other = await h.user(organisation=organisation)
    assert (
        await h.run("admin.grant_role", {"user_id": other, "role": "platform_admin", "unit_id": ""}, platform)
    ).applied
    own = (await RoleGrant.select(RoleGrant.id).where(RoleGrant.user == platform).first())["id"]
    outcome = await h.run("admin.revoke_role", {"grant_id": own}, platform)
    assert outcome.errors == {"_": "own_admin_role"}
    assert await RoleGrant.exists().where(RoleGrant.id == own)


async def test_update_staff_user(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    person = await h.user(organisation=organisation, email="old@example.be")
    await h.user(organisation=organisation, email="taken@example.be")
    assert (
        await h.run(
            "admin.update_staff_user",
            {"user_id": person, "name": "New", "email": "taken@example.be", "language": "nl"},
            admin,
        )
    ).errors == {"email": "email_taken"}
    assert (
        await h.run(
            "admin.update_staff_user",
            {"user_id": person, "name": "New", "email": "New@Example.be", "language": "nl"},
            admin,
        )
    ).applied
    # The new address waits for confirmation from it (tests/accounts/test_email_change.py).
    row = (
        await User.select(User.display_name, User.email, User.pending_email, User.language)
        .where(User.id == person)
        .first()
    )
    assert row == {
        "display_name": "New",
        "email": "old@example.be",
        "pending_email": "new@example.be",
        "language": "nl",
    }


async def test_resend_link_only_for_active_users_without_password(settings):
    organisation = await h.org()
    admin = await h.user("org_admin", organisation)
    waiting = await h.user(organisation=organisation, password=False)
    with_password = await h.user(organisation=organisation)
    inactive = await h.user(organisation=organisation, password=False, is_active=False)
    assert (await h.run("admin.resend_set_password", {"user_id": waiting}, admin)).applied
    assert await Job.count().where(Job.kind == "accounts.send_set_password_mail") == 1
    assert await SecretToken.count().where(SecretToken.user == waiting) == 1
    assert (await h.run("admin.resend_set_password", {"user_id": with_password}, admin)).errors == {"_": "password_set"}
    assert (await h.run("admin.resend_set_password", {"user_id": inactive}, admin)).errors == {"_": "deactivated"}
    assert await Job.count() == 1


def _command_id(html: str) -> str:
    return re.search(r'name="command_id" value="([^"]+)"', html).group(1)


async def test_new_user_form_duplicate_email_keeps_values(client):
    organisation = await h.org("Acme", "acme")
    await h.as_role(client, "org_admin", organisation)
    await h.user(email="taken@example.be", organisation=organisation)
    form = await client.get("/admin/users/new")
    assert form.status_code == 200
    assert "Platform admin" not in form.text  # an org admin cannot grant it
    response = await h.post_form(
        client,
        "/admin/users",
        {
            **_new(name="Typed Name", email="taken@example.be", organisation_id=organisation),
            "command_id": _command_id(form.text),
        },
    )
    assert response.status_code == 422
    assert 'value="Typed Name"' in response.text and 'value="taken@example.be"' in response.text
    assert 'aria-describedby="user-email-error"' in response.text
    assert "A user with this e-mail address already exists." in response.text
    assert _command_id(response.text) != _command_id(form.text)


async def test_new_user_form_creates_and_shows_the_user(client):
    organisation = await h.org("Acme", "acme")
    site = await h.unit(organisation, "Gent")
    await h.as_role(client, "org_admin", organisation)
    response = await h.post_form(
        client, "/admin/users", _new(organisation_id=organisation, role="consultant", unit_id=site)
    )
    assert response.status_code == 303
    user = await User.select().where(User.email == "an.peeters@example.be").first()
    assert response.headers["location"] == f"/admin/users/{user['id']}"
    page = await client.get(response.headers["location"])
    assert "The user was created." in page.text
    assert "Consultant" in page.text and "Gent" in page.text
    assert "Send the set-password link again" in page.text


async def test_user_page_grant_revoke_reactivate_resend(client):
    organisation = await h.org()
    site = await h.unit(organisation, "Gent")
    await h.as_role(client, "org_admin", organisation)
    person = await h.user(organisation=organisation, password=False, is_active=False, email="p@example.be")

    page = await client.get(f"/admin/users/{person}")
    assert "Reactivate account" in page.text
    bad = await h.post_form(client, f"/admin/users/{person}/grants", {"role": "", "unit_id": str(site)})
    assert bad.status_code == 422 and 'id="grant-role-error"' in bad.text
    assert f'<option value="{site}" selected>' in bad.text
    granted = await h.post_form(client, f"/admin/users/{person}/grants", {"role": "hr", "unit_id": str(site)})
    assert granted.status_code == 303
    grant = await RoleGrant.select().where(RoleGrant.user == person).first()
    assert (grant["role"], grant["unit"]) == ("hr", site)

    reactivated = await h.post_form(client, f"/admin/users/{person}/reactivate", {})
    assert reactivated.status_code == 303
    assert (await User.select(User.is_active).where(User.id == person).first())["is_active"] is True
    assert [e["outcome"] for e in await h.events("accounts.reactivate_user")] == ["applied"]

    resent = await h.post_form(client, f"/admin/users/{person}/resend", {})
    assert resent.status_code == 303
    assert await Job.count().where(Job.kind == "accounts.send_set_password_mail") == 1

    revoked = await h.post_form(client, f"/admin/users/{person}/grants/{grant['id']}/revoke", {"confirm": "yes"})
    assert revoked.status_code == 303
    assert await RoleGrant.count().where(RoleGrant.user == person) == 0
    # A grant id that belongs to someone else is not found under this user.
    other_grant = await h.grant(await h.user(organisation=organisation), "hr", organisation)
    assert (await h.post_form(client, f"/admin/users/{person}/grants/{other_grant}/revoke", {})).status_code == 404


async def test_list_search_status_filter_pagination_and_fragment(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation, name="Zz Admin")
    for number in range(26):
        await h.user(organisation=organisation, name=f"Worker {number:02d}", email=f"w{number:02d}@example.be")
    await h.user(organisation=organisation, name="Sleeping Beauty", email="sleep@example.be", is_active=False)
    await h.user(await h.org() and None, name="Elsewhere Person", email="elsewhere@example.be")

    first = await client.get("/admin/users")
    assert "Page 1 of 2" in first.text and "28 users" in first.text
    assert "Elsewhere Person" not in first.text
    assert "Worker 00" in first.text and ">Zz Admin</a>" not in first.text
    second = await client.get("/admin/users?page=2")
    assert ">Zz Admin</a>" in second.text

    inactive = await client.get("/admin/users?status=inactive")
    assert "Sleeping Beauty" in inactive.text and "Worker 00" not in inactive.text
    active = await client.get("/admin/users?status=active&q=SLEEP")
    assert "0 users" in active.text
    by_mail = await client.get("/admin/users?q=w07@", headers={"HX-Request": "true"})
    assert "<html" not in by_mail.text and "Worker 07" in by_mail.text and "Worker 08" not in by_mail.text


async def test_rows_per_page_choice_is_kept_and_bounded(client):
    from app.domain.admin import staff as staff_domain

    await h.as_role(client, "platform_admin", email="boss@example.be")
    organisation = await h.org("Many", "many")
    for n in range(60):
        await h.user(organisation=organisation, email=f"u{n:02d}@example.be")
    fifty = await client.get("/admin/users?per_page=50", headers={"hx-request": "true"})
    assert fifty.text.count("<tr") - 1 == 50
    assert "per_page=50" in fifty.text  # the next-page link keeps the size
    odd = await client.get("/admin/users?per_page=7", headers={"hx-request": "true"})
    assert odd.text.count("<tr") - 1 == staff_domain.PER_PAGE


async def test_deactivating_a_staff_account_asks_first_ends_sessions_and_is_audited(client):
    from tests.support.accounts import another_client, signed_in

    organisation = await h.org("De Klok", "de-klok")
    admin = await h.as_role(client, "org_admin", organisation, name="Hanne Maes")
    piet = await h.user("hr", organisation, name="Piet Peeters", email="piet@klok.example")
    page = await client.get(f"/admin/users/{piet}")
    assert f'href="/admin/users/{piet}/deactivate"' in page.text
    async with another_client(client._transport.app) as other:
        await h.sign_in(other, piet)
        assert await signed_in(other)
        confirm = await client.get(f"/admin/users/{piet}/deactivate")
        assert confirm.status_code == 200 and "Deactivate the account of Piet Peeters?" in confirm.text
        asked = await h.post_form(client, f"/admin/users/{piet}/deactivate", {})
        assert (
            asked.status_code == 200 and (await User.select(User.is_active).where(User.id == piet).first())["is_active"]
        )
        done = await h.post_form(client, f"/admin/users/{piet}/deactivate", {"confirm": "yes"})
        assert done.status_code == 303
        assert not (await User.select(User.is_active).where(User.id == piet).first())["is_active"]
        assert not await signed_in(other)
    shown = await client.get(f"/admin/users/{piet}")
    assert "was deactivated and logged out everywhere" in shown.text and "Reactivate account" in shown.text
    [event] = await h.events("accounts.deactivate_user")
    assert (event["actor_id"], event["target_id"], event["outcome"]) == (admin, str(piet), "applied")
    history = await client.get("/admin/audit")
    assert "deactivated the account of" in history.text and "Piet Peeters</a>" in history.text
    back = await h.post_form(client, f"/admin/users/{piet}/reactivate", {})
    assert back.status_code == 303
    assert (await User.select(User.is_active).where(User.id == piet).first())["is_active"]


async def test_no_admin_deactivates_themselves_or_a_stronger_account(client):
    organisation = await h.org()
    admin = await h.as_role(client, "org_admin", organisation)
    own = await client.get(f"/admin/users/{admin}")
    assert f'href="/admin/users/{admin}/deactivate"' not in own.text
    assert "You cannot deactivate your own account." in own.text
    refused = await h.post_form(client, f"/admin/users/{admin}/deactivate", {"confirm": "yes"})
    assert refused.status_code == 422 and "You cannot deactivate your own account." in refused.text
    root = await h.user("platform_admin", organisation=None)
    await User.update({User.organisation: organisation}).where(User.id == root)
    page = await client.get(f"/admin/users/{root}")
    assert f'href="/admin/users/{root}/deactivate"' not in page.text
    locked = await h.post_form(client, f"/admin/users/{root}/deactivate", {"confirm": "yes"})
    assert locked.status_code == 422 and "you cannot change it" in locked.text
    assert await User.count().where(User.is_active == False) == 0  # noqa: E712


async def test_revoking_a_role_asks_first(client):
    organisation = await h.org()
    await h.as_role(client, "org_admin", organisation)
    piet = await h.user(organisation=organisation, name="Piet Peeters")
    grant = await h.grant(piet, "hr", organisation)
    page = await client.get(f"/admin/users/{piet}")
    assert f'href="/admin/users/{piet}/grants/{grant}/revoke"' in page.text
    confirm = await client.get(f"/admin/users/{piet}/grants/{grant}/revoke")
    assert confirm.status_code == 200 and "Revoke the role HR of Piet Peeters?" in confirm.text
    assert 'name="confirm" value="yes"' in confirm.text
    asked = await h.post_form(client, f"/admin/users/{piet}/grants/{grant}/revoke", {})
    assert asked.status_code == 200 and await RoleGrant.count().where(RoleGrant.id == grant) == 1
    done = await h.post_form(client, f"/admin/users/{piet}/grants/{grant}/revoke", {"confirm": "yes"})
    assert done.status_code == 303 and await RoleGrant.count().where(RoleGrant.id == grant) == 0


async def test_another_organisations_account_cannot_be_deactivated_or_reactivated(client):
    mine, theirs = await h.org("Mine", "mine"), await h.org("Theirs", "theirs")
    await h.as_role(client, "org_admin", mine)
    active = await h.user("hr", theirs, name="Actief Ander")
    inactive = await h.user("hr", theirs, name="Uit Ander", is_active=False)
    for path in (f"/admin/users/{active}/deactivate", f"/admin/users/{inactive}/reactivate"):
        assert (await client.get(path)).status_code in (404, 405)
        for data in ({}, {"confirm": "yes"}):
            response = await h.post_form(client, path, data)
            assert response.status_code == 404, path
            assert "Actief Ander" not in response.text and "Uit Ander" not in response.text
    states = {row["id"]: row["is_active"] for row in await User.select(User.id, User.is_active)}
    assert states[active] is True and states[inactive] is False
    for kind in ("accounts.deactivate_user", "accounts.reactivate_user"):
        assert all(event["outcome"] != "applied" for event in await h.events(kind))
