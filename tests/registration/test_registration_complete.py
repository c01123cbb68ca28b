"""Language, privacy notice, password and/or PIN, and the one command that
creates the account."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.accounts.passwords import verify_secret
from app.domain.registration.rules import PRIVACY_VERSION, pin_problem
from app.storage.people import ConsentReceipt, Membership, Person
from app.storage.tables import AuditEvent, RoleGrant, User
from tests.support.factories import make_org, make_unit, make_user
from tests.support.registration import BIRTH, PASSWORD, english, invitation_row, invite, post, register, up_to_account


@pytest.mark.parametrize(
    "pin",
    [
        "0000",
        "1111",
        "1234",
        "4321",
        "123456",
        "654321",
        "7890",
        "9876",
        "1212",
        "121212",
        "2503",
        "0325",
        "0390",
        "1990",
        "250390",
    ],
)
def test_trivial_and_birth_date_pins_are_refused(pin):
    assert pin_problem(pin, BIRTH) is not None


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "", "١٢٣٤"])
def test_pins_must_be_4_to_6_ascii_digits(pin):
    assert pin_problem(pin, BIRTH) == "A PIN has 4 to 6 digits."


@pytest.mark.parametrize("pin", ["4729", "58213", "902741"])
def test_ordinary_pins_are_fine(pin):
    assert pin_problem(pin, BIRTH) is None


async def test_registration_creates_the_account_and_lands_on_the_passport(client):
    org = await make_org(name="Brouwerij De Klok")
    unit = await make_unit(org, "Brouwzaal")
    inv = await invite(org, unit=unit, phone="0470 12 34 56")
    response = await register(client, inv.code, password=PASSWORD, pin="4729")
    assert response.status_code == 303 and response.headers["location"] == "/passport"

    user = await User.select().where(User.email == "anna@example.be").first()
    assert user["display_name"] == "Anna Peeters" and user["phone"] == "+32470123456"
    assert user["language"] == "en" and user["organisation"] == org
    assert verify_secret(user["password_hash"], PASSWORD) and verify_secret(user["pin_hash"], "4729")
    assert (await Person.select(Person.user).where(Person.id == inv.person_id).first())["user"] == user["id"]
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.organisation, RoleGrant.unit).where(
        RoleGrant.user == user["id"]
    )
    assert grants == [{"role": "worker", "organisation": org, "unit": unit}]
    receipt = await ConsentReceipt.select().where(ConsentReceipt.person == inv.person_id).first()
    assert (
        receipt["document"] == "privacy_notice"
        and receipt["version"] == PRIVACY_VERSION
        and receipt["channel"] == "web"
    )
    row = await invitation_row(inv.id)
    assert row["status"] == "registered" and row["registered_at"] is not None
    assert await Membership.exists().where((Membership.person == inv.person_id) & (Membership.organisation == org))
    assert "registration.complete" in [e["type"] for e in await AuditEvent.select(AuditEvent.type)]

    # Logged in, with a fresh session, on the passport page.
    page = await client.get("/passport")
    assert page.status_code == 200 and "Anna Peeters" in page.text
    # The invitation cannot be used a second time.
    english(client)
    again = await client.get(inv.link, follow_redirects=False)
    assert again.status_code == 410 and "already been used" in again.text


async def test_a_pin_alone_is_enough_and_the_language_is_remembered(client):
    org = await make_org()
    inv = await invite(org, email=None)
    await up_to_account(client, inv.code, language="fr")
    response = await post(client, "/register/account", {"pin": "58213", "pin_confirmation": "58213"})
    assert response.status_code == 303
    user = await User.select().where(User.display_name == "Anna Peeters").first()
    assert user["email"] is None and user["password_hash"] is None and user["language"] == "fr"


async def test_language_choice_sets_the_language_cookie(client):
    org = await make_org()
    inv = await invite(org)
    from tests.support.registration import confirm_birth_date, enter_code

    await enter_code(client, inv.code)
    await confirm_birth_date(client)
    response = await post(client, "/register/language", {"language": "fr"})
    assert "werkpas_lang=fr" in response.headers["set-cookie"]
    bad = await post(client, "/register/language", {"language": "de"})
    assert bad.status_code == 422


async def test_password_and_pin_rules_and_at_least_one_of_them(client):
    org = await make_org()
    inv = await invite(org)
    await up_to_account(client, inv.code)
    cases = [
        ({}, "Choose a password, a PIN, or both."),
        ({"password": "short", "password_confirmation": "short"}, "Use at least 10 characters."),
        ({"password": PASSWORD, "password_confirmation": PASSWORD + "x"}, "The two passwords are not the same."),
        ({"pin": "1234", "pin_confirmation": "1234"}, "This PIN is too easy to guess."),
        ({"pin": "2503", "pin_confirmation": "2503"}, "Do not use your birth date as PIN."),
        ({"pin": "4729", "pin_confirmation": "4728"}, "The two PINs are not the same."),
        (
            {"password": "anna@example.be", "password_confirmation": "anna@example.be"},
            "The password cannot be your e-mail address.",
        ),
    ]
    for data, message in cases:
        response = await post(client, "/register/account", data)
        assert response.status_code == 422 and message in response.text, message
        assert 'aria-invalid="true"' in response.text
    assert await User.count() == 0
    assert (await invitation_row(inv.id))["status"] == "opened"


async def test_privacy_notice_must_be_accepted(client):
    org = await make_org()
    inv = await invite(org)
    from tests.support.registration import confirm_birth_date, enter_code

    await enter_code(client, inv.code)
    await confirm_birth_date(client)
    await post(client, "/register/language", {"language": "en"})
    english(client)
    response = await post(client, "/register/privacy", {})
    assert response.status_code == 422 and "Tick the box" in response.text
    # Skipping ahead is sent back to the privacy step.
    skipped = await client.get("/register/account", follow_redirects=False)
    assert skipped.headers["location"] == "/register/privacy"


async def test_an_email_clash_is_refused_and_leaves_nothing(client):
    org = await make_org()
    await make_user("anna@example.be", role="hr", org=org)
    inv = await invite(org)
    response = await register(client, inv.code)
    assert response.status_code == 422
    assert (
        "This e-mail address already has a Werkpas account. Log in with it, then open your invitation again"
        in response.text
    )
    assert await User.count() == 1
    assert await ConsentReceipt.count() == 0
    assert not await RoleGrant.exists().where(RoleGrant.role == "worker")
    assert (await Person.select(Person.user).where(Person.id == inv.person_id).first())["user"] is None
    assert (await invitation_row(inv.id))["registered_at"] is None
    assert await Membership.count() == 1  # the invitation's own roster entry, nothing added
    assert "uid" not in str(client.cookies)


async def test_a_logged_in_worker_accepts_another_organisations_invitation(client):
    """Joining another organisation takes the worker themselves, logged in:
    their account gets a link to that organisation's own record."""
    first_org, second_org = await make_org(name="Flexa"), await make_org(name="De Klok")
    first = await invite(first_org)
    assert (await register(client, first.code)).status_code == 303  # logged in as the new worker
    second = await invite(second_org, email="anna.p@example.be")
    assert second.person_id != first.person_id  # De Klok keeps its own record
    await up_to_account(client, second.code)
    page = await client.get("/register/account")
    assert "You are logged in as Anna Peeters" in page.text and 'name="password"' not in page.text
    response = await post(client, "/register/account", {})
    assert response.status_code == 303 and response.headers["location"] == "/home"
    assert await User.count() == 1
    user_id = (await User.select(User.id).first())["id"]
    orgs = {g["organisation"] for g in await RoleGrant.select(RoleGrant.organisation).where(RoleGrant.user == user_id)}
    assert orgs == {first_org, second_org}
    records = {row["id"]: row for row in await Person.select().where(Person.user == user_id)}
    assert set(records) == {first.person_id, second.person_id}
    assert records[second.person_id]["email"] == "anna.p@example.be"  # each keeps what its organisation typed
    assert (await invitation_row(second.id))["status"] == "registered"
    assert await ConsentReceipt.count() == 2


async def test_a_record_linked_to_an_account_needs_its_owner_logged_in(client):
    org = await make_org(name="Flexa")
    inv = await invite(org)
    owner = await make_user("someone@example.be", role="worker", org=org)
    await Person.update({Person.user: owner}).where(Person.id == inv.person_id)
    await up_to_account(client, inv.code)
    page = await client.get("/register/account")
    assert (
        "already linked to a Werkpas account. Log in with that account" in page.text
        and 'name="password"' not in page.text
    )
    response = await post(client, "/register/account", {"password": PASSWORD, "password_confirmation": PASSWORD})
    assert response.status_code == 409
    assert (await invitation_row(inv.id))["status"] != "registered" and await User.count() == 1


async def test_an_invitation_for_someone_else_is_refused_while_logged_in(client):
    first_org, second_org = await make_org(name="Flexa"), await make_org(name="De Klok")
    mine = await invite(first_org)
    assert (await register(client, mine.code)).status_code == 303
    # Someone else's invitation (another birth date) opened in the same session.
    other = await invite(second_org, last="Janssens", first="Bram", birth=date(1980, 1, 2), email="bram@example.be")
    assert (await post(client, "/register", {"code": other.code})).headers["location"] == "/register/identity"
    assert (await post(client, "/register/identity", {"day": "2", "month": "1", "year": "1980"})).headers[
        "location"
    ] == "/register/language"
    await post(client, "/register/language", {"language": "en"})
    await post(client, "/register/privacy", {"accept": "yes"})
    response = await post(client, "/register/account", {})
    assert response.status_code == 422
    assert "This invitation is for someone else" in response.text
    assert (await Person.select(Person.user).where(Person.id == other.person_id).first())["user"] is None
    assert (await invitation_row(other.id))["status"] != "registered"


async def test_every_post_needs_the_csrf_token(client):
    org = await make_org()
    inv = await invite(org)
    english(client)
    await client.get("/register")
    for path in (
        "/register",
        "/register/identity",
        "/register/language",
        "/register/privacy",
        "/register/account",
        "/pin/reset",
        "/passport/onboarding",
    ):
        response = await client.post(
            path, data={"code": inv.code, "day": "25", "month": "3", "year": "1990"}, follow_redirects=False
        )
        assert response.status_code == 403, path
    assert (await invitation_row(inv.id))["status"] == "created"


async def test_birth_date_rule_needs_the_persons_own_birth_date():
    assert pin_problem("2503", date(1985, 7, 14)) is None
