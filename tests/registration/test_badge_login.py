"""Logging in at a kiosk with a badge (scanned QR text or typed badge code)
and a PIN, on /badge."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.core.commands import Command, execute
from app.domain.invitations import secrets
from app.domain.invitations.printing.badges import qr_text
from app.storage.people import Badge
from app.storage.tables import AuditEvent, User
from tests.conftest import csrf
from tests.support.factories import make_org, make_user
from tests.support.registration import english, invite, register

PIN = "4729"
GENERIC = "Badge or PIN is not correct."


@dataclass
class Card:
    qr: str
    code: str  # as printed: K7PA-4QX9-MA2C
    badge_id: int
    person_id: int
    user_id: int | None


async def _issue(org: int, person_id: int) -> Card:
    hr = await User.select(User.id).where(User.email == "hr@example.be").first()
    hr_id = hr["id"] if hr else await make_user("hr@example.be", role="hr", org=org)
    outcome = await execute(
        Command(
            type="invitations.issue_badge", payload={"person_id": person_id, "organisation_id": org}, actor_id=hr_id
        )
    )
    assert outcome.applied, outcome.errors
    badge = await Badge.select().where(Badge.id == outcome.ids["badge_id"]).first()
    user = await User.select(User.id).where(User.email == "anna@example.be").first()
    return Card(
        qr=qr_text(badge["id"], badge["salt"]),
        code=secrets.display(secrets.badge_code(badge["salt"], badge["code_lookup"])),
        badge_id=badge["id"],
        person_id=person_id,
        user_id=user["id"] if user else None,
    )


async def _worker(client, pin: str | None = PIN, registered: bool = True) -> tuple[int, Card]:
    org = await make_org(name="De Klok")
    inv = await invite(org)
    if registered:
        assert (await register(client, inv.code, pin=pin)).status_code == 303
    client.cookies.clear()
    return org, await _issue(org, inv.person_id)


async def _badge(client, badge: str, pin: str = PIN):
    english(client)
    if not client.cookies.get("werkpas_csrf"):
        page = await client.get("/badge")
        assert page.status_code == 200
    return await client.post(
        "/badge", data={"badge": badge, "pin": pin, "_csrf_token": csrf(client)}, follow_redirects=False
    )


async def _lands_on_passport(client, response, user_id: int) -> None:
    assert response.status_code == 303 and response.headers["location"] == "/passport"
    passport = await client.get("/passport")
    assert passport.status_code == 200
    logins = await AuditEvent.select().where(
        (AuditEvent.type == "accounts.record_login") & (AuditEvent.target_id == str(user_id))
    )
    assert len(logins) == 1
    assert (await User.select(User.last_login_at).where(User.id == user_id).first())["last_login_at"] is not None


async def test_page_is_ready_for_a_scanner(client):
    english(client)
    response = await client.get("/badge")
    assert response.status_code == 200
    assert "Scan your badge or type your badge code" in response.text
    assert 'name="badge"' in response.text and "autofocus" in response.text
    assert 'inputmode="numeric"' in response.text and 'autocomplete="off"' in response.text
    assert "<script" not in response.text.split("<main", 1)[-1].split("</main>", 1)[0]
    assert response.headers["cache-control"] == "no-store"


async def test_scanned_qr_text_and_pin_log_in(client):
    _org, card = await _worker(client)
    assert card.qr.startswith("WERKPAS-BADGE:")
    response = await _badge(client, card.qr)
    await _lands_on_passport(client, response, card.user_id)


async def test_typed_badge_code_is_forgiving(client):
    _org, card = await _worker(client)
    typed = " " + card.code.lower().replace("-", " - ") + " "
    response = await _badge(client, typed)
    await _lands_on_passport(client, response, card.user_id)


async def test_scan_without_pin_keeps_the_badge_and_asks_for_the_pin(client):
    _org, card = await _worker(client)
    response = await _badge(client, card.qr, "")
    assert response.status_code == 422 and "Type your PIN." in response.text
    assert f'value="{card.qr}"' in response.text
    assert 'id="pin"' in response.text and response.text.index("autofocus") > response.text.index('id="pin"')


async def test_typo_and_unknown_code_are_told_apart(client):
    _org, card = await _worker(client)
    body = card.code.replace("-", "")
    other = "2" if body[0] != "2" else "3"
    typo = await _badge(client, other + body[1:])
    assert typo.status_code == 422 and "typing mistake" in typo.text
    short = await _badge(client, body[:5])
    assert short.status_code == 422 and "A badge code has 12 letters and digits" in short.text
    unknown_code = secrets.badge_code_for(secrets.new_salt())
    unknown = await _badge(client, unknown_code)
    assert unknown.status_code == 422 and GENERIC in unknown.text and "typing mistake" not in unknown.text
    forged = await _badge(client, f"WERKPAS-BADGE:{card.badge_id}.{'A' * 32}")
    assert forged.status_code == 422 and GENERIC in forged.text
    garbled = await _badge(client, "WERKPAS-BADGE:12x")
    assert garbled.status_code == 422 and "could not be read" in garbled.text
    assert "uid" not in str(client.cookies)


async def test_wrong_pin_gets_the_generic_message(client):
    _org, card = await _worker(client)
    response = await _badge(client, card.qr, "9157")
    assert response.status_code == 422 and GENERIC in response.text
    assert (await client.get("/passport", follow_redirects=False)).status_code in (302, 303, 401)
    failed = await AuditEvent.select().where(AuditEvent.type == "accounts.login_failed")
    assert [row["detail"] for row in failed] == ["badge:wrong"]


async def test_new_badge_revokes_the_old_one(client):
    org, old = await _worker(client)
    new = await _issue(org, old.person_id)
    refused = await _badge(client, old.qr)
    assert refused.status_code == 422 and "This badge is no longer valid. Ask for a new one." in refused.text
    refused_code = await _badge(client, old.code)
    assert "This badge is no longer valid" in refused_code.text
    response = await _badge(client, new.qr)
    await _lands_on_passport(client, response, new.user_id)


async def test_five_wrong_pins_lock_the_badge(client):
    _org, card = await _worker(client)
    for _attempt in range(5):
        assert (await _badge(client, card.qr, "9157")).status_code == 422
    locked = await _badge(client, card.qr)  # even the right PIN now
    assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text
    assert "uid" not in str(client.cookies)


async def test_twenty_unknown_badges_lock_the_address(client):
    _org, card = await _worker(client)
    for _attempt in range(20):
        assert (await _badge(client, secrets.badge_code_for(secrets.new_salt()))).status_code == 422
    locked = await _badge(client, card.qr)
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text


async def test_worker_without_pin_is_told_clearly(client):
    _org, card = await _worker(client, pin=None)
    response = await _badge(client, card.qr)
    assert response.status_code == 422 and "You have no PIN yet" in response.text


async def test_person_not_registered_is_told_clearly(client):
    _org, card = await _worker(client, registered=False)
    response = await _badge(client, card.code)
    assert response.status_code == 422 and "You have not finished your registration yet" in response.text


async def test_deactivated_account_is_refused(client):
    _org, card = await _worker(client)
    await User.update({User.is_active: False}).where(User.id == card.user_id)
    response = await _badge(client, card.qr)
    assert response.status_code == 422 and "Your account is switched off" in response.text


async def test_csrf_token_is_required(client):
    _org, card = await _worker(client)
    english(client)
    await client.get("/badge")
    response = await client.post("/badge", data={"badge": card.qr, "pin": PIN}, follow_redirects=False)
    assert response.status_code == 403
    assert (await User.select(User.last_login_at).where(User.id == card.user_id).first())["last_login_at"] is None
