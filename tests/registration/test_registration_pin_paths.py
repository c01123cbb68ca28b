"""The PIN-only registration path (no e-mail or phone to log in with: the
PIN alone, first) and the PIN reset slip staff print: the code, its expiry
and the steps, with a way back to where they came from; the slip's form
sent again shows no code and changes nothing."""

from __future__ import annotations

from app.domain.accounts.passwords import verify_secret
from app.storage.people import Person
from app.storage.tables import SecretToken, User
from tests.support.factories import login, make_org, make_user
from tests.support.registration import english, invite, post, up_to_account


def _main(page) -> str:
    return page.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]


async def test_without_e_mail_or_phone_the_pin_is_asked_alone(client):
    inv = await invite(await make_org(), email=None, phone=None)
    await up_to_account(client, inv.code)
    page = await client.get("/register/account")
    main = _main(page)
    assert 'name="pin"' in main and 'name="pin_confirmation"' in main
    assert 'name="password"' not in main
    assert "You log in at the kiosk at work with your badge and this PIN." in main
    empty = await post(client, "/register/account", {})
    assert empty.status_code == 422
    assert "Check the PIN." in empty.text and "Choose a PIN of 4 to 6 digits." in empty.text
    assert 'href="#pin"' in empty.text
    # A password sent anyway is not kept: nothing could log in with it.
    done = await post(
        client,
        "/register/account",
        {
            "password": "sunny garden path 42",
            "password_confirmation": "sunny garden path 42",
            "pin": "4729",
            "pin_confirmation": "4729",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/passport"
    user = await User.select(User.password_hash, User.pin_hash).first()
    assert user["password_hash"] is None and verify_secret(user["pin_hash"], "4729")


async def test_with_a_phone_a_password_is_offered_too(client):
    inv = await invite(await make_org(), email=None, phone="+32470123456")
    await up_to_account(client, inv.code)
    main = _main(await client.get("/register/account"))
    assert 'name="password"' in main and 'name="pin"' in main


async def _staff_and_person(client) -> int:
    org = await make_org(name="De Klok")
    inv = await invite(org, email=None)
    await up_to_account(client, inv.code)
    assert (await post(client, "/register/account", {"pin": "4729", "pin_confirmation": "4729"})).status_code == 303
    client.cookies.clear()
    await make_user("hr@example.be", role="hr", org=org)
    await login(client, "hr@example.be")
    english(client)
    return (await Person.select(Person.id).where(Person.id == inv.person_id).first())["id"]


def _command_id(page) -> str:
    return page.text.split('name="command_id" value="')[1].split('"')[0]


async def test_the_slip_has_the_code_its_expiry_the_steps_and_a_way_back(client):
    person_id = await _staff_and_person(client)
    came_from = "http://testserver.local/invitations/7?tab=people"
    form = await client.get(f"/pin/issue/{person_id}", headers={"referer": came_from})
    assert '<input type="hidden" name="back" value="/invitations/7?tab=people">' in form.text
    assert 'class="reg-back"><a href="/invitations/7?tab=people">Back</a>' in form.text
    slip = await post(client, f"/pin/issue/{person_id}", {"command_id": _command_id(form), "back": "/invitations/7"})
    assert slip.status_code == 200 and slip.headers["cache-control"] == "no-store"
    main = _main(slip)
    code = main.split('class="reg-code-shown"')[1].split(">")[1].split("<")[0]
    assert len(code) == 11
    token = await SecretToken.select(SecretToken.expires_at).first()
    assert "Valid until" in main and str(token["expires_at"].astimezone().year) in main
    assert "/pin/reset" in main and "How to choose your new PIN" in main and main.count("<li>") >= 4
    assert 'class="card narrow reg-slip"' in main and "data-print hidden" in main
    assert '<a class="button secondary" href="/invitations/7">Done</a>' in main


async def test_the_way_back_stays_on_this_site(client):
    person_id = await _staff_and_person(client)
    for referer, back in (
        ("https://evil.example/phish", "/invitations"),
        ("http://testserver.local/pin/issue/1", "/invitations"),
        ("", "/invitations"),
    ):
        form = await client.get(f"/pin/issue/{person_id}", headers={"referer": referer})
        assert f'name="back" value="{back}"' in form.text, referer
    for sent in ("//evil.example", "https://evil.example", "/\\evil", "/pin/reset"):
        form = await client.get(f"/pin/issue/{person_id}")
        slip = await post(client, f"/pin/issue/{person_id}", {"command_id": _command_id(form), "back": sent})
        assert '<a class="button secondary" href="/invitations">Done</a>' in slip.text, sent


async def test_a_slip_sent_again_shows_no_code_and_changes_nothing(client):
    person_id = await _staff_and_person(client)
    form = await client.get(f"/pin/issue/{person_id}")
    command_id = _command_id(form)
    first = await post(client, f"/pin/issue/{person_id}", {"command_id": command_id, "back": "/invitations/3"})
    code = first.text.split('class="reg-code-shown"')[1].split(">")[1].split("<")[0]
    tokens = await SecretToken.select(SecretToken.id, SecretToken.used_at)
    again = await post(client, f"/pin/issue/{person_id}", {"command_id": command_id, "back": "/invitations/3"})
    assert again.status_code == 303 and again.headers["location"] == f"/pin/issue/{person_id}?back=/invitations/3"
    shown = await client.get(again.headers["location"])
    assert code not in shown.text and "This code was already shown. Make a new one if it is lost." in shown.text
    assert 'name="back" value="/invitations/3"' in shown.text
    assert await SecretToken.select(SecretToken.id, SecretToken.used_at) == tokens


async def test_the_slip_speaks_the_persons_language_and_the_page_the_staff_members(client):
    person_id = await _staff_and_person(client)
    await Person.update({Person.language: "fr"}).where(Person.id == person_id)
    form = await client.get(f"/pin/issue/{person_id}")
    slip = await post(client, f"/pin/issue/{person_id}", {"command_id": _command_id(form)})
    main = _main(slip)
    assert '<html lang="en">' in slip.text and "Code for Anna Peeters" in main and "Print the slip" in main
    paper = main.split('class="card narrow reg-slip"', 1)[1].split("</section>", 1)[0]
    assert 'lang="fr"' in paper and "Votre code pour un nouveau code PIN" in paper and "Valable une seule fois" in paper
    assert "Valid until" not in paper
    # The staff member's language is back for what follows the slip.
    assert "Done</a>" in main.split("reg-slip", 1)[1]
