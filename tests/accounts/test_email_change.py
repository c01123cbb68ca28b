"""A changed staff e-mail takes effect only after confirmation from the new
address (issue 7, point 6); the old address is told; confirming ends the
account's other sessions (point 7)."""

from __future__ import annotations

import re
from datetime import timedelta

from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.storage.tables import AuditEvent, SecretToken
from tests.admin import helpers as h
from tests.conftest import csrf, now
from tests.support.accounts import another_client, link_in, signed_in, user_row
from tests.support.factories import login, make_org, make_user

EN = {"accept-language": "en"}


def mails_to(address: str) -> list:
    return [message for message in outbox() if message["To"] == address]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


async def _setup(language: str = "en") -> tuple[int, int, int]:
    org = await make_org()
    admin = await make_user("admin@example.be", role="org_admin", org=org, language="en")
    user_id = await make_user("old@example.be", role="planner", org=org, language=language, display_name="An Peeters")
    return org, admin, user_id


async def _change(admin: int, user_id: int, email: str, name: str = "An Peeters", language: str = "en"):
    return await h.run(
        "admin.update_staff_user", {"user_id": user_id, "name": name, "email": email, "language": language}, admin
    )


async def _post(client, path: str, data: dict | None = None):
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/login")
    return await client.post(
        path, data={**(data or {}), "_csrf_token": csrf(client)}, headers=EN, follow_redirects=False
    )


async def _forgot(client, email: str):
    return await _post(client, "/password/forgot", {"email": email})


async def test_the_whole_confirm_flow(client, app):
    _org, admin, user_id = await _setup()
    async with another_client(app) as session:
        assert (await login(session, "old@example.be")).status_code == 303
        outcome = await _change(admin, user_id, "New@Example.be")
        assert outcome.applied
        row = await user_row(user_id)
        assert (row["email"], row["pending_email"]) == ("old@example.be", "new@example.be")
        assert await signed_in(session)  # nothing ends before the confirmation

        await run_due_jobs()
        [confirm] = mails_to("new@example.be")
        [notice] = mails_to("old@example.be")
        path = link_in(confirm, "/email/confirm/")
        assert confirm["Subject"] == "Confirm your new e-mail address for Werkpas"
        # The old address is told, with no link that could undo anything.
        assert notice["Subject"] == "Your Werkpas e-mail address is being changed"
        assert "n***@example.be" in text_of(notice) and "new@example.be" not in text_of(notice)
        assert re.findall(r"https?://\S+", text_of(notice)) == []
        assert "/email/" not in notice.as_string() and "/password/" not in notice.as_string()

        # Until it is confirmed, the old address is the login and "forgot
        # password" for the new address does nothing.
        assert SENT_TEXT in (await _forgot(client, "new@example.be")).text
        await run_due_jobs()
        assert await SecretToken.count().where(SecretToken.purpose == "reset_password") == 0
        assert len(mails_to("new@example.be")) == 1
        assert (await login(client, "new@example.be")).status_code == 422
        client.cookies.clear()

        shown = await client.get(path, headers=EN)
        assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
        assert "new@example.be" in shown.text and f'action="{path}"' in shown.text
        # Opening the link changes nothing (mail scanners open links too).
        assert (await user_row(user_id))["email"] == "old@example.be"
        done = await _post(client, path)
        assert done.status_code == 303 and done.headers["location"] == "/login"
        assert "Your e-mail address is changed." in (await client.get("/login", headers=EN)).text

        row = await user_row(user_id)
        assert (row["email"], row["pending_email"]) == ("new@example.be", None)
        assert not await signed_in(session)
        assert (await login(client, "old@example.be")).status_code == 422
        client.cookies.clear()
        assert (await login(client, "new@example.be")).status_code == 303
        types = [
            e["type"] for e in await AuditEvent.select(AuditEvent.type).where(AuditEvent.target_id == str(user_id))
        ]
        assert "admin.update_staff_user" in types and "accounts.confirm_email" in types

        # The link works once.
        again = await _post(client, path)
        assert again.status_code == 410


SENT_TEXT = "If an account exists for this address, we have sent it a link"


async def test_confirming_while_signed_in_keeps_that_session(client, app):
    _org, admin, user_id = await _setup()
    async with another_client(app) as other:
        await login(client, "old@example.be")
        await login(other, "old@example.be")
        assert (await _change(admin, user_id, "new@example.be")).applied
        await run_due_jobs()
        path = link_in(mails_to("new@example.be")[0], "/email/confirm/")
        await client.get(path)
        done = await _post(client, path)
        assert done.status_code == 303 and done.headers["location"] == "/home"
        assert await signed_in(client)
        assert not await signed_in(other)


async def test_the_address_must_still_be_free_when_confirmed(client):
    org, admin, user_id = await _setup()
    assert (await _change(admin, user_id, "new@example.be")).applied
    await run_due_jobs()
    path = link_in(mails_to("new@example.be")[0], "/email/confirm/")
    await make_user("NEW@example.be", role="hr", org=org)
    await client.get(path)
    response = await _post(client, path)
    assert response.status_code == 409
    assert "This e-mail address now belongs to another account." in response.text
    row = await user_row(user_id)
    assert (row["email"], row["pending_email"]) == ("old@example.be", "new@example.be")
    assert row["session_version"] == 0


async def test_an_address_already_in_use_is_refused_at_once(settings):
    org, admin, user_id = await _setup()
    await make_user("taken@example.be", org=org)
    outcome = await _change(admin, user_id, "Taken@example.be")
    assert outcome.errors == {"email": "email_taken"}
    assert (await user_row(user_id))["pending_email"] is None
    assert await SecretToken.count() == 0


async def test_a_second_change_retires_the_first_link(client):
    _org, admin, user_id = await _setup()
    assert (await _change(admin, user_id, "first@example.be")).applied
    await run_due_jobs()
    assert (await _change(admin, user_id, "second@example.be")).applied
    await run_due_jobs()
    first = link_in(mails_to("first@example.be")[0], "/email/confirm/")
    await client.get(first)
    assert (await _post(client, first)).status_code == 410
    assert (await user_row(user_id))["email"] == "old@example.be"
    second = link_in(mails_to("second@example.be")[0], "/email/confirm/")
    assert (await _post(client, second)).status_code == 303
    assert (await user_row(user_id))["email"] == "second@example.be"
    # A link retired before its mail went out is not sent at all.
    assert (await _change(admin, user_id, "third@example.be")).applied
    assert (await _change(admin, user_id, "fourth@example.be")).applied
    await run_due_jobs()
    assert mails_to("third@example.be") == [] and len(mails_to("fourth@example.be")) == 1


async def test_saving_the_current_address_cancels_a_pending_change(client):
    _org, admin, user_id = await _setup()
    assert (await _change(admin, user_id, "new@example.be")).applied
    await run_due_jobs()
    assert (await _change(admin, user_id, "old@example.be")).applied
    assert (await user_row(user_id))["pending_email"] is None
    await run_due_jobs()
    path = link_in(mails_to("new@example.be")[0], "/email/confirm/")
    await client.get(path)
    assert (await _post(client, path)).status_code == 410
    assert (await user_row(user_id))["email"] == "old@example.be"


async def test_an_expired_or_forged_link_changes_nothing(client):
    _org, admin, user_id = await _setup()
    assert (await _change(admin, user_id, "new@example.be")).applied
    await run_due_jobs()
    path = link_in(mails_to("new@example.be")[0], "/email/confirm/")
    forged = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert (await client.get(forged, headers=EN)).status_code == 400
    await client.get("/login")
    assert (await _post(client, forged)).status_code == 400
    await SecretToken.update({SecretToken.expires_at: now() - timedelta(minutes=1)}).where(
        SecretToken.purpose == "confirm_email"
    )
    assert (await client.get(path, headers=EN)).status_code == 410
    assert (await _post(client, path)).status_code == 410
    assert (await user_row(user_id))["email"] == "old@example.be"
    for odd in ("/email/confirm/%C2%B2.abc", "/email/confirm/99999999999.abc", "/email/confirm/" + "9" * 300):
        assert (await client.get(odd, headers=EN)).status_code == 400, odd


async def test_a_confirmation_after_deactivation_changes_nothing(client):
    _org, admin, user_id = await _setup()
    assert (await _change(admin, user_id, "new@example.be")).applied
    await run_due_jobs()
    path = link_in(mails_to("new@example.be")[0], "/email/confirm/")
    assert (await h.run("accounts.deactivate_user", {"user_id": user_id}, admin)).applied
    await client.get("/login")
    assert (await _post(client, path)).status_code == 400
    assert (await user_row(user_id))["email"] == "old@example.be"


async def test_a_user_without_a_password_gets_a_fresh_set_password_link(client):
    org = await make_org()
    admin = await make_user("admin@example.be", role="org_admin", org=org)
    user_id = await make_user("typo@exmaple.be", None, role="planner", org=org, language="en")
    assert (await _change(admin, user_id, "right@example.be")).applied
    await run_due_jobs()
    path = link_in(mails_to("right@example.be")[0], "/email/confirm/")
    await client.get(path)
    assert (await _post(client, path)).status_code == 303
    await run_due_jobs()
    set_links = [m for m in mails_to("right@example.be") if "/password/set/" in text_of(m)]
    assert len(set_links) == 1


async def test_mails_are_in_the_recipients_language(settings):
    _org, admin, user_id = await _setup(language="fr")
    assert (await _change(admin, user_id, "new@example.be", language="fr")).applied
    await run_due_jobs()
    [confirm] = mails_to("new@example.be")
    [notice] = mails_to("old@example.be")
    assert confirm["Content-Language"] == "fr" and notice["Content-Language"] == "fr"
    assert confirm["Subject"] == "Confirmez votre nouvelle adresse e-mail pour Werkpas"


async def test_the_admin_page_shows_the_pending_address(client):
    org = await make_org()
    await make_user("admin@example.be", role="org_admin", org=org, language="en")
    user_id = await make_user("old@example.be", role="planner", org=org)
    await login(client, "admin@example.be")
    await client.get(f"/admin/users/{user_id}")
    response = await _post(
        client, f"/admin/users/{user_id}", {"name": "An", "email": "new@example.be", "language": "en"}
    )
    assert response.status_code == 303
    page = await client.get(f"/admin/users/{user_id}", headers=EN)
    assert "A confirmation link was sent to the new address." in page.text
    assert "Waiting for confirmation: new@example.be" in page.text
    assert 'value="old@example.be"' in page.text


async def test_thirty_parallel_confirmations_apply_once(client, app):
    import asyncio

    _org, admin, user_id = await _setup()
    assert (await _change(admin, user_id, "new@example.be")).applied
    await run_due_jobs()
    path = link_in(mails_to("new@example.be")[0], "/email/confirm/")
    await client.get(path)
    token = csrf(client)
    responses = await asyncio.gather(
        *(client.post(path, data={"_csrf_token": token}, follow_redirects=False) for _ in range(30))
    )
    assert sorted({r.status_code for r in responses}) in ([303, 410], [303])
    assert sum(r.status_code == 303 for r in responses) == 1
    assert (
        await AuditEvent.count().where(
            (AuditEvent.type == "accounts.confirm_email") & (AuditEvent.outcome == "applied")
        )
        == 1
    )
    assert (await user_row(user_id))["session_version"] == 1


async def test_thirty_parallel_changes_leave_one_link_for_the_pending_address(settings):
    import asyncio

    _org, admin, user_id = await _setup()
    outcomes = await asyncio.gather(*(_change(admin, user_id, f"new{number}@example.be") for number in range(30)))
    assert all(outcome.applied for outcome in outcomes)
    pending = (await user_row(user_id))["pending_email"]
    [token] = await SecretToken.select().where((SecretToken.purpose == "confirm_email") & SecretToken.used_at.is_null())
    winner = next(outcome for outcome in outcomes if outcome.ids["token_id"] == token["id"])
    assert pending == f"new{outcomes.index(winner)}@example.be"
    await run_due_jobs()
    confirm_mails = [m for m in outbox() if m["Subject"] == "Confirm your new e-mail address for Werkpas"]
    assert [m["To"] for m in confirm_mails] == [pending]
