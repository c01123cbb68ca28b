"""A form sent again with other values (its command id already used for
another payload) is refused with `resent`: the form is shown again with the
message and a fresh id, and nothing changes until it is sent once more."""

from __future__ import annotations

from app.domain.accounts.passwords import verify_secret
from app.storage.tables import CommandRecord, SecretToken
from tests.conftest import PASSWORD, csrf
from tests.support.accounts import another_client, signed_in, user_row
from tests.support.factories import make_org, make_user

EN = {"accept-language": "en"}
RESENT = "This form was already sent with other values. Check them and send it again."


def command_id_in(page) -> str:
    return page.text.split('name="command_id" value="')[1].split('"')[0]


async def _post(client, path: str, data: dict):
    return await client.post(path, data={**data, "_csrf_token": csrf(client)}, headers=EN, follow_redirects=False)


async def test_a_login_form_sent_again_for_another_account_is_shown_again(client, app):
    org = await make_org()
    await make_user("an@example.be", role="hr", org=org)
    await make_user("bo@example.be", role="hr", org=org)
    form = await client.get("/login", headers=EN)
    used = command_id_in(form)
    assert (
        await _post(client, "/login", {"email": "an@example.be", "password": PASSWORD, "command_id": used})
    ).status_code == 303
    async with another_client(app) as second:
        await second.get("/login", headers=EN)
        again = await _post(second, "/login", {"email": "bo@example.be", "password": PASSWORD, "command_id": used})
        assert again.status_code == 422 and RESENT in again.text and command_id_in(again) != used
        assert 'value="bo@example.be"' in again.text
        assert not await signed_in(second)
        fresh = await _post(
            second, "/login", {"email": "bo@example.be", "password": PASSWORD, "command_id": command_id_in(again)}
        )
        assert fresh.status_code == 303 and await signed_in(second)


async def test_a_password_change_sent_again_with_another_password_changes_nothing(client):
    user_id = await make_user("an@example.be", role="hr", org=await make_org(), language="en")
    await client.get("/login", headers=EN)
    assert (await _post(client, "/login", {"email": "an@example.be", "password": PASSWORD})).status_code == 303
    form = await client.get("/home/password", headers=EN)
    used = command_id_in(form)
    first = "a brand new passphrase 42"
    data = {"current": PASSWORD, "password": first, "confirmation": first, "command_id": used}
    assert (await _post(client, "/home/password", data)).status_code == 303
    second = "another fresh passphrase 7"
    data = {"current": first, "password": second, "confirmation": second, "command_id": used}
    again = await _post(client, "/home/password", data)
    assert again.status_code == 422 and RESENT in again.text
    assert verify_secret((await user_row(user_id))["password_hash"], first)
    data["command_id"] = command_id_in(again)
    assert (await _post(client, "/home/password", data)).status_code == 303
    assert verify_secret((await user_row(user_id))["password_hash"], second)


async def test_a_forgot_form_sent_again_with_another_address_is_shown_again(client):
    await make_user("an@example.be", role="hr", org=await make_org())
    form = await client.get("/password/forgot", headers=EN)
    used = command_id_in(form)
    assert (await _post(client, "/password/forgot", {"email": "an@example.be", "command_id": used})).status_code == 200
    again = await _post(client, "/password/forgot", {"email": "bo@example.be", "command_id": used})
    assert again.status_code == 422 and RESENT in again.text and 'value="bo@example.be"' in again.text
    assert await SecretToken.count() == 1
    assert await CommandRecord.count().where(CommandRecord.type == "accounts.request_password_reset") == 1
