"""The ways in: the invitation link and the typed short code, and every
reason an invitation cannot be used."""

from __future__ import annotations

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.storage.people import Invitation
from tests.support.factories import make_org
from tests.support.registration import english, enter_code, invitation_row, invite


async def test_link_opens_the_invitation_and_marks_it_opened(client):
    org = await make_org()
    inv = await invite(org)
    await Invitation.update({Invitation.status: "sent"}).where(Invitation.id == inv.id)
    english(client)
    response = await client.get(inv.link, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/register/identity"
    assert response.headers["cache-control"] == "no-store"
    row = await invitation_row(inv.id)
    assert row["status"] == "opened" and row["opened_at"] is not None
    page = await client.get("/register/identity")
    assert page.status_code == 200 and "Your birth date" in page.text


async def test_a_forged_or_mangled_link_is_refused(client):
    org = await make_org()
    inv = await invite(org)
    english(client)
    forged = inv.link[:-3] + ("AAA" if not inv.link.endswith("AAA") else "BBB")
    for path in (forged, "/i/garbage", "/i/99999999999999.xx", f"/i/{inv.id + 1}.{inv.link.split('.')[1]}"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 404, path
        assert "This link does not work" in response.text
    assert (await invitation_row(inv.id))["status"] == "created"


async def test_typed_code_is_forgiving_and_opens_the_invitation(client):
    org = await make_org()
    inv = await invite(org)
    typed = " " + inv.code.lower().replace("-", " ") + " "
    response = await enter_code(client, typed)
    assert response.status_code == 303 and response.headers["location"] == "/register/identity"
    assert (await invitation_row(inv.id))["status"] == "opened"


async def test_code_with_a_typo_or_wrong_length_or_unknown(client):
    org = await make_org()
    inv = await invite(org)
    plain = inv.code.replace("-", "")
    # Change one character into another one of the alphabet: the check fails.
    wrong = ("3" if plain[0] != "3" else "4") + plain[1:]
    response = await enter_code(client, wrong)
    assert response.status_code == 422
    assert "There is a typing mistake in the code. Check each character." in response.text
    assert 'aria-invalid="true"' in response.text and f'value="{wrong}"' in response.text

    response = await enter_code(client, "K7P-4QX")
    assert response.status_code == 422 and "A code has 9 letters and digits" in response.text
    response = await enter_code(client, "")
    assert response.status_code == 422 and "Type the code from your letter or e-mail." in response.text

    from app.domain.invitations import secrets

    other = secrets.code_for(secrets.INVITATION, "some-other-salt")
    response = await enter_code(client, other)
    assert response.status_code == 422 and "We do not know this code." in response.text
    assert (await invitation_row(inv.id))["status"] == "created"


async def test_revoked_expired_and_used_invitations_say_so(client):
    org = await make_org()
    revoked, expired, used, past = [await invite(org, first=name) for name in ("Rita", "Emma", "Ugo", "Piet")]
    await Invitation.update({Invitation.status: "revoked", Invitation.revoked_at: utcnow()}).where(
        Invitation.id == revoked.id
    )
    await Invitation.update({Invitation.status: "expired"}).where(Invitation.id == expired.id)
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(minutes=1)}).where(Invitation.id == past.id)
    await Invitation.update({Invitation.status: "registered", Invitation.registered_at: utcnow()}).where(
        Invitation.id == used.id
    )
    expected = [
        (revoked, "This invitation was cancelled."),
        (expired, "This invitation has expired."),
        (past, "This invitation has expired."),
        (used, "This invitation has already been used."),
    ]
    for inv, message in expected:
        for response in (await enter_code(client, inv.code), await client.get(inv.link, follow_redirects=False)):
            assert response.status_code == 410 and message in response.text, message
    assert (await invitation_row(past.id))["status"] == "created"
    assert (await invitation_row(revoked.id))["opened_at"] is None


async def test_unknown_codes_are_limited_per_address(client):
    from app.domain.invitations import secrets

    org = await make_org()
    inv = await invite(org)
    for number in range(10):
        unknown = secrets.code_for(secrets.INVITATION, f"salt-{number}")
        assert (await enter_code(client, unknown)).status_code == 422
    # Even the right code waits now: guessing must not go on.
    response = await enter_code(client, inv.code)
    assert response.status_code == 429 and "Too many wrong codes" in response.text
    assert (await invitation_row(inv.id))["status"] == "created"


async def test_steps_need_an_invitation_in_the_session(client):
    english(client)
    for path in ("/register/identity", "/register/language", "/register/privacy", "/register/account"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/register", path
