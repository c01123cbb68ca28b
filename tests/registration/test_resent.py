"""A registration form sent again with other values is refused with
`resent` and shown again (app.web.core.commands.run): nothing is counted or
changed until it is sent once more, with the fresh id."""

from __future__ import annotations

from tests.support.factories import make_org
from tests.support.registration import enter_code, invitation_row, invite, post

RESENT = "This form was already sent with other values. Check them and send it again."


def command_id_in(page) -> str:
    return page.text.split('name="command_id" value="')[1].split('"')[0]


async def test_a_birth_date_form_sent_again_with_another_date_is_shown_again(client):
    inv = await invite(await make_org())
    await enter_code(client, inv.code)
    form = await client.get("/register/identity")
    used = command_id_in(form)
    wrong = await post(client, "/register/identity", {"day": "24", "month": "3", "year": "1990", "command_id": used})
    assert wrong.status_code == 422 and "You can try 4 more times" in wrong.text
    again = await post(client, "/register/identity", {"day": "25", "month": "3", "year": "1990", "command_id": used})
    assert again.status_code == 422 and RESENT in again.text
    assert (await invitation_row(inv.id))["failed_attempts"] == 1
    right = {"day": "25", "month": "3", "year": "1990", "command_id": command_id_in(again)}
    done = await post(client, "/register/identity", right)
    assert done.status_code == 303 and done.headers["location"] == "/register/language"
