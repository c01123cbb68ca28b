"""Changing one's own password from the account page."""

from __future__ import annotations

import asyncio

from app.domain.accounts.passwords import verify_secret
from app.storage.tables import AuditEvent
from tests.conftest import PASSWORD, csrf
from tests.support.accounts import signed_in, user_row
from tests.support.factories import login, make_org, make_user

EN = {"accept-language": "en"}
NEW = "a brand new passphrase 42"


async def _signed_in_staff(client, **columns) -> int:
    org = await make_org()
    user_id = await make_user("an@example.be", role="planner", org=org, language="en", **columns)
    assert (await login(client, "an@example.be")).status_code == 303
    return user_id


async def _change(client, current: str, password: str, confirmation: str | None = None):
    await client.get("/home/password")
    data = {
        "current": current,
        "password": password,
        "confirmation": password if confirmation is None else confirmation,
        "_csrf_token": csrf(client),
    }
    return await client.post("/home/password", data=data, headers=EN, follow_redirects=False)


async def test_home_links_to_the_password_form(client):
    await _signed_in_staff(client)
    home = await client.get("/home", headers=EN)
    assert 'href="/home/password"' in home.text
    form = await client.get("/home/password", headers=EN)
    assert form.status_code == 200 and 'autocomplete="current-password"' in form.text
    assert form.headers["cache-control"] == "no-store"


async def test_the_password_is_changed_and_a_message_shown(client):
    user_id = await _signed_in_staff(client)
    response = await _change(client, PASSWORD, NEW)
    assert response.status_code == 303
    page = await client.get("/home", headers=EN)
    assert "Your new password is saved." in page.text
    assert verify_secret((await user_row(user_id))["password_hash"], NEW)


async def test_refusals_change_nothing(client):
    user_id = await _signed_in_staff(client)
    before = (await user_row(user_id))["password_hash"]
    cases = [
        (("wrong password entirely", NEW, NEW), "current", "Your current password is not right."),
        (("", NEW, NEW), "current", "Enter your current password."),
        ((PASSWORD, "short", "short"), "password", "Use at least 10 characters."),
        ((PASSWORD, NEW, NEW + "x"), "confirmation", "The two passwords are not the same."),
        ((PASSWORD, "an@example.be", "an@example.be"), "password", "The password cannot be your e-mail address."),
        ((PASSWORD, PASSWORD, PASSWORD), "password", "Choose a password that is different from your current one."),
    ]
    for (current, password, confirmation), field, message in cases:
        response = await _change(client, current, password, confirmation)
        assert response.status_code == 422, message
        assert message in response.text
        assert f'id="{field}" name="{field}"' in response.text and 'aria-invalid="true"' in response.text
    assert (await user_row(user_id))["password_hash"] == before
    assert await signed_in(client)
    assert await AuditEvent.count().where(AuditEvent.type == "accounts.change_password") == 0


async def test_wrong_current_passwords_are_limited_like_logins(client):
    await _signed_in_staff(client)
    for _ in range(5):
        assert (await _change(client, "wrong password entirely", NEW)).status_code == 422
    locked = await _change(client, PASSWORD, NEW)
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text


async def test_thirty_parallel_changes_apply_one_password(client):
    """Every request checks a valid current password, but the change is a
    compare-and-set on the hash it checked: exactly one is applied."""
    user_id = await _signed_in_staff(client)
    await client.get("/home/password")
    token = csrf(client)

    async def change(number: int):
        data = {
            "current": PASSWORD,
            "password": f"{NEW} {number}",
            "confirmation": f"{NEW} {number}",
            "_csrf_token": token,
        }
        return await client.post("/home/password", data=data, follow_redirects=False)

    responses = await asyncio.gather(*(change(number) for number in range(30)))
    assert all(response.status_code < 500 for response in responses)
    changed = [number for number, response in enumerate(responses) if response.status_code == 303]
    assert len(changed) == 1
    hashed = (await user_row(user_id))["password_hash"]
    assert sum(verify_secret(hashed, f"{NEW} {number}") for number in range(30)) == 1


async def test_an_account_without_a_password_is_told_how_to_get_one(client):
    from tests.support.registration import invite, register

    org = await make_org()
    inv = await invite(org)
    assert (await register(client, inv.code, password=None, pin="4729")).status_code == 303
    page = await client.get("/home/password", headers=EN)
    assert page.status_code == 200 and "You have no password yet" in page.text
    assert 'name="current"' not in page.text
    refused = await client.post(
        "/home/password",
        data={"current": "", "password": NEW, "confirmation": NEW, "_csrf_token": csrf(client)},
        headers=EN,
    )
    assert refused.status_code == 422
