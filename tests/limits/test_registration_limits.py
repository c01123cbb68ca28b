"""Badge PINs, typed codes, invitation links and birth dates under parallel
requests: at most the limit is checked, then even the right secret waits."""

from __future__ import annotations

import pytest

from app.domain.core.commands import Command, execute
from app.domain.invitations import secrets
from app.domain.registration import badge_login
from app.domain.registration import commands as registration_commands
from app.domain.registration.badge_login import ADDRESS_LIMIT as BADGE_ADDRESS_LIMIT
from app.domain.registration.badge_login import BADGE_LIMIT
from app.domain.registration.limits import CODE_LIMIT
from app.domain.registration.queries import pin_reset_code, pin_reset_salt
from app.domain.registration.rules import MAX_FAILED_ATTEMPTS, PIN_RESET
from app.storage.people import Person
from app.storage.tables import User
from app.web.registration import entry, pin
from tests.limits.helpers import TRIES, count_calls, one_ipv6_network, post_all, post_from_addresses
from tests.registration.test_badge_login import PIN, _badge, _worker
from tests.support.factories import make_org, make_user
from tests.support.registration import confirm_birth_date, english, enter_code, invitation_row, invite, post, register


def unknown_code(kind: str) -> str:
    return secrets.display(secrets.code_for(kind, secrets.new_salt()))


# -- badge and PIN ----------------------------------------------------------------


@pytest.fixture
def pin_checks(monkeypatch):
    return count_calls(monkeypatch, badge_login, "verify_secret")


async def test_parallel_wrong_pins_check_at_most_the_badge_limit(client, pin_checks):
    _org, card = await _worker(client)
    english(client)
    await client.get("/badge")
    statuses = await post_all(client, "/badge", [{"badge": card.qr, "pin": f"{9100 + n}"} for n in range(TRIES)])
    assert pin_checks.count == BADGE_LIMIT
    assert statuses == {422: BADGE_LIMIT, 429: TRIES - BADGE_LIMIT}
    # The typed badge code is the same badge: it waits too, right PIN or not.
    for typed in (card.qr, card.code):
        locked = await _badge(client, typed, PIN)
        assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text
    assert pin_checks.count == BADGE_LIMIT
    assert (await User.select(User.last_login_at).where(User.id == card.user_id).first())["last_login_at"] is None


async def test_parallel_unknown_badges_check_at_most_the_address_limit(client, pin_checks):
    _org, card = await _worker(client)
    english(client)
    await client.get("/badge")
    forms = [{"badge": unknown_code(secrets.BADGE), "pin": "9157"} for _ in range(TRIES)]
    statuses = await post_all(client, "/badge", forms)
    assert pin_checks.count == BADGE_ADDRESS_LIMIT
    assert statuses == {422: BADGE_ADDRESS_LIMIT, 429: TRIES - BADGE_ADDRESS_LIMIT}
    assert (await _badge(client, card.qr, PIN)).status_code == 429
    assert pin_checks.count == BADGE_ADDRESS_LIMIT


async def test_successful_badge_logins_do_not_use_up_the_kiosk(client, pin_checks):
    _org, card = await _worker(client)
    for _ in range(BADGE_ADDRESS_LIMIT + 3):
        client.cookies.clear()
        assert (await _badge(client, card.qr, PIN)).status_code == 303
    client.cookies.clear()
    assert (await _badge(client, card.qr, "9157")).status_code == 422


# -- invitation codes and links -----------------------------------------------------


@pytest.fixture
def code_checks(monkeypatch):
    return count_calls(monkeypatch, entry, "invitation_by_code")


async def test_parallel_unknown_codes_check_at_most_the_code_limit(client, code_checks):
    inv = await invite(await make_org())
    english(client)
    await client.get("/register")
    statuses = await post_all(client, "/register", [{"code": unknown_code(secrets.INVITATION)} for _ in range(TRIES)])
    assert code_checks.count == CODE_LIMIT
    assert statuses == {422: CODE_LIMIT, 429: TRIES - CODE_LIMIT}
    response = await enter_code(client, inv.code)
    assert response.status_code == 429 and "Too many wrong codes" in response.text
    assert code_checks.count == CODE_LIMIT
    assert (await invitation_row(inv.id))["status"] == "created"


async def test_unknown_codes_from_one_ipv6_network_share_the_code_limit(app, code_checks):
    await invite(await make_org())
    forms = [{"code": unknown_code(secrets.INVITATION)} for _ in range(TRIES)]
    statuses = await post_from_addresses(app, one_ipv6_network(), "/register", forms)
    assert code_checks.count == CODE_LIMIT
    assert statuses == {422: CODE_LIMIT, 429: TRIES - CODE_LIMIT}


async def test_unknown_badges_from_one_ipv6_network_share_the_address_limit(app, client, pin_checks):
    await _worker(client)
    forms = [{"badge": unknown_code(secrets.BADGE), "pin": "9157"} for _ in range(TRIES)]
    statuses = await post_from_addresses(app, one_ipv6_network(), "/badge", forms)
    assert pin_checks.count == BADGE_ADDRESS_LIMIT
    assert statuses == {422: BADGE_ADDRESS_LIMIT, 429: TRIES - BADGE_ADDRESS_LIMIT}


async def test_parallel_wrong_links_check_at_most_the_code_limit(client, monkeypatch):
    import asyncio

    link_checks = count_calls(monkeypatch, entry, "invitation_by_token")
    inv = await invite(await make_org())
    english(client)
    forged = [f"/i/{inv.id}.{secrets.new_salt()}" for _ in range(TRIES)]
    responses = await asyncio.gather(*(client.get(path, follow_redirects=False) for path in forged))
    statuses = sorted(response.status_code for response in responses)
    assert link_checks.count == CODE_LIMIT
    assert statuses == [404] * CODE_LIMIT + [429] * (TRIES - CODE_LIMIT)
    assert (await client.get(inv.link, follow_redirects=False)).status_code == 429
    assert (await invitation_row(inv.id))["status"] == "created"


async def test_opened_invitations_do_not_use_up_the_address(client, code_checks):
    org = await make_org()
    invitations = [await invite(org, last=f"Peeters{n}", email=f"anna{n}@example.be") for n in range(CODE_LIMIT + 2)]
    for inv in invitations:
        client.cookies.clear()
        assert (await enter_code(client, inv.code)).status_code == 303
    assert (await enter_code(client, unknown_code(secrets.INVITATION))).status_code == 422


# -- PIN reset codes -----------------------------------------------------------------


async def _pin_reset_code(client) -> str:
    org = await make_org(name="De Klok")
    inv = await invite(org, email=None)
    assert (await register(client, inv.code, pin="4729")).status_code == 303
    client.cookies.clear()
    person_id = (await Person.select(Person.id).where(Person.id == inv.person_id).first())["id"]
    hr = await make_user("hr@example.be", role="hr", org=org)
    outcome = await execute(Command(type="registration.issue_pin_reset", payload={"person_id": person_id}, actor_id=hr))
    assert outcome.applied, outcome.errors
    return secrets.display(pin_reset_code(await pin_reset_salt(outcome.ids["token_id"])))


async def test_parallel_unknown_pin_reset_codes_check_at_most_the_code_limit(client, monkeypatch):
    reset_checks = count_calls(monkeypatch, pin, "pin_reset_by_code")
    code = await _pin_reset_code(client)
    english(client)
    await client.get("/pin/reset")
    forms = [{"code": unknown_code(PIN_RESET), "pin": "8351", "pin_confirmation": "8351"} for _ in range(TRIES)]
    statuses = await post_all(client, "/pin/reset", forms)
    assert reset_checks.count == CODE_LIMIT
    assert statuses == {422: CODE_LIMIT, 429: TRIES - CODE_LIMIT}
    right = await post(client, "/pin/reset", {"code": code, "pin": "8351", "pin_confirmation": "8351"})
    assert right.status_code == 429
    assert reset_checks.count == CODE_LIMIT


# -- birth date ------------------------------------------------------------------------


async def test_parallel_wrong_birth_dates_check_at_most_five(client, monkeypatch):
    proof_checks = count_calls(monkeypatch, registration_commands, "_proof_matches")
    inv = await invite(await make_org())
    assert (await enter_code(client, inv.code)).status_code == 303
    forms = [{"day": str(1 + n % 28), "month": "1", "year": "1980"} for n in range(TRIES)]
    statuses = await post_all(client, "/register/identity", forms)
    assert proof_checks.count == MAX_FAILED_ATTEMPTS
    assert statuses == {422: MAX_FAILED_ATTEMPTS - 1, 429: TRIES - MAX_FAILED_ATTEMPTS + 1}
    row = await invitation_row(inv.id)
    assert row["locked_until"] is not None
    right = await confirm_birth_date(client)
    assert right.status_code == 429 and "The birth date was wrong 5 times" in right.text
    assert proof_checks.count == MAX_FAILED_ATTEMPTS
    # A second browser cannot start a fresh series either.
    client.cookies.clear()
    assert (await enter_code(client, inv.code)).status_code == 429
