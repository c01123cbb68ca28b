"""The way in for invited people and their language from the first screen:
an "I have an invitation code" entry on the start page and /login, the
language choice first on /register, the personal link in the invitation's
language (unless the person chose one), a bad link that changes nothing."""

from __future__ import annotations

from app.storage.people import Invitation
from tests.support.factories import login, make_org, make_user
from tests.support.registration import confirm_birth_date, invite, post

LANG = "werkpas_lang"


async def _french(org: int, **person):
    inv = await invite(org, **person)
    await Invitation.update({Invitation.language: "fr"}).where(Invitation.id == inv.id)
    return inv


async def test_start_page_and_login_lead_to_register(client):
    for path in ("/", "/login"):
        page = await client.get(path)
        assert page.status_code == 200
        assert "Ik heb een uitnodigingscode" in page.text, path
        assert 'href="/register"' in page.text.split("reg-entry", 1)[1], path


async def test_a_signed_in_person_goes_from_the_welcome_to_their_start_page(client):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org)
    await login(client, "hr@example.be")
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/home"
    assert "reg-entry" not in (await client.get("/")).text


async def test_register_offers_the_language_choice_before_the_code(client):
    page = (await client.get("/register")).text
    main = page.split('<main id="main"', 1)[1]
    choice, code = main.index('class="reg-languages"'), main.index('name="code"')
    assert choice < code
    # Asked in every language, each language named in itself.
    for prompt in ("Kies je taal", "Choisissez votre langue", "Choose your language"):
        assert prompt in main
    for code_, name in (("nl", "Nederlands"), ("fr", "Français"), ("en", "English")):
        assert f'value="{code_}" lang="{code_}"' in main and name in main
    assert '<input type="hidden" name="next" value="/register">' in main
    chosen = await post(client, "/language", {"language": "fr", "next": "/register"})
    assert chosen.status_code == 303 and chosen.headers["location"] == "/register"
    assert client.cookies.get(LANG) == "fr"
    again = (await client.get("/register")).text
    assert '<html lang="fr">' in again and 'value="fr" lang="fr" class="primary" aria-pressed="true"' in again


async def test_the_personal_link_opens_in_the_invitations_language(client):
    inv = await _french(await make_org())
    opened = await client.get(inv.link, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/register/identity"
    assert client.cookies.get(LANG) == "fr"
    page = await client.get("/register/identity")
    assert '<html lang="fr">' in page.text and "Date de naissance" in page.text
    # Who came by the link sees the language choice on this first page.
    assert 'class="reg-languages compact"' in page.text
    wrong = await confirm_birth_date(client, "31", "2", "1990")
    assert "Le 31 février n\u2019existe pas." in wrong.text


async def test_a_chosen_language_wins_over_the_invitations(client):
    inv = await _french(await make_org())
    client.cookies.set(LANG, "en")
    await client.get(inv.link, follow_redirects=False)
    assert client.cookies.get(LANG) == "en"
    assert '<html lang="en">' in (await client.get("/register/identity")).text


async def test_a_signed_in_persons_language_is_kept(client):
    org = await make_org()
    inv = await _french(org, first="Zoë")
    await make_user("staff@example.be", role="hr", org=org, language="nl")
    await login(client, "staff@example.be")
    client.cookies.delete(LANG)
    opened = await client.get(inv.link, follow_redirects=False)
    assert LANG not in opened.headers.get("set-cookie", "")
    assert '<html lang="nl">' in (await client.get("/register/identity")).text


async def test_the_typed_code_also_brings_the_invitations_language(client):
    inv = await _french(await make_org())
    await client.get("/register")
    client.cookies.delete(LANG)
    response = await post(client, "/register", {"code": inv.code})
    assert response.status_code == 303 and client.cookies.get(LANG) == "fr"
    # By code, the choice was on /register: the birth date page does not repeat it.
    assert 'class="reg-languages' not in (await client.get("/register/identity")).text


async def test_a_bad_link_changes_no_language_and_reveals_nothing(client):
    inv = await _french(await make_org())
    invitation_id, signature = inv.link.removeprefix("/i/").split(".", 1)
    forged = f"/i/{invitation_id}.{'A' * len(signature)}"
    answers = []
    for link in (forged, "/i/999999.abc", "/i/%00", "/i/" + "é" * 50, f"/i/{invitation_id}"):
        response = await client.get(link, follow_redirects=False)
        assert response.status_code == 404, link
        assert LANG not in response.headers.get("set-cookie", ""), link
        assert '<html lang="nl">' in response.text
        answers.append(response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0])
    assert client.cookies.get(LANG) is None
    # The same page whether the invitation exists or not (command ids aside).
    assert len({answer.split('name="_csrf_token"')[0] for answer in answers}) == 1


async def test_a_used_invitation_is_explained_in_its_language(client):
    inv = await _french(await make_org())
    await Invitation.update({Invitation.status: "revoked"}).where(Invitation.id == inv.id)
    response = await client.get(inv.link, follow_redirects=False)
    assert response.status_code == 410 and '<html lang="fr">' in response.text


async def test_odd_codes_get_a_clear_message(client):
    await client.get("/register")
    for typed, message in (
        ("K7P\x00-4QX", "Een code heeft 9 letters en cijfers"),
        ("٢٥٣-٤٥٦-٧٨٩", "Een code heeft 9 letters en cijfers"),
        ("K7P-4QX-9MA-K7P-4QX", "Een code heeft 9 letters en cijfers"),
        ("\u0301\u0301", "Een code heeft 9 letters en cijfers"),
        ("\u200b", "Typ de code uit je brief of e-mail."),
        ("", "Typ de code uit je brief of e-mail."),
    ):
        response = await post(client, "/register", {"code": typed})
        assert response.status_code == 422, typed
        assert message in response.text.split('id="code-error">')[1], typed


async def test_a_pasted_code_with_invisible_or_full_width_characters_works(client):
    org = await make_org()
    for index, dressed in enumerate(
        (
            lambda code: "\u202a" + code + "\u200b",
            lambda code: code.translate({ord(c): ord(c) + 0xFEE0 for c in code if c.isalnum()}),
        )
    ):
        inv = await invite(org, first=f"Paste{index}")
        client.cookies.clear()
        await client.get("/register")
        response = await post(client, "/register", {"code": dressed(inv.code)})
        assert response.status_code == 303 and response.headers["location"] == "/register/identity", index
