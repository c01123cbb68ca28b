"""The worker's passport page: the introduction is remembered on the account
(not in the session, a kiosk is shared), and below the passport's cards the
account part says how the worker logs in and is reached."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.storage.people import Badge, Person
from app.storage.tables import AuditEvent, CommandRecord, User
from tests.conftest import csrf
from tests.support.accounts import another_client
from tests.support.factories import login, make_org
from tests.support.registration import PASSWORD, english, invite, post, register

EN = {"accept-language": "en"}


async def _registered(client, *, pin: str | None = None, password: str | None = PASSWORD, **person) -> int:
    org = await make_org(name="De Klok")
    inv = await invite(org, **person)
    assert (await register(client, inv.code, password=password, pin=pin)).status_code == 303
    english(client)
    return (await User.select(User.id).where(User.email == (person.get("email", "anna@example.be"))).first())["id"]


async def _onboarded_at(user_id: int):
    return (await User.select(User.onboarded_at).where(User.id == user_id).first())["onboarded_at"]


async def test_skipping_the_introduction_is_remembered_on_the_account(client, app):
    user_id = await _registered(client)
    assert "Step 1 of 3" in (await client.get("/passport")).text
    assert await _onboarded_at(user_id) is None

    assert (await post(client, "/passport/onboarding")).headers["location"] == "/passport"
    assert await _onboarded_at(user_id) is not None
    assert "Step 1 of 3" not in (await client.get("/passport")).text

    # Another browser (a kiosk, a phone) logging in to the same account: no introduction.
    async with another_client(app) as other:
        english(other)
        assert (await login(other, "anna@example.be", PASSWORD)).status_code == 303
        page = await other.get("/passport")
        assert "Step 1 of 3" not in page.text and "Your passport is still empty" in page.text
        assert 'href="/passport/identity"' in page.text
        # Asking for it shows it again.
        assert "This is your work passport" in (await other.get("/passport?step=1")).text


async def test_a_new_account_on_the_same_browser_sees_the_introduction(client):
    """A shared kiosk browser: what one person did says nothing about the next."""
    org = await make_org(name="De Klok")
    first = await invite(org, first="Anna", email="anna@example.be")
    await register(client, first.code)
    english(client)
    await post(client, "/passport/onboarding")
    await post(client, "/logout")
    second = await invite(org, first="Bert", last="Claes", email="bert@example.be")
    await register(client, second.code)
    english(client)
    assert "Step 1 of 3" in (await client.get("/passport")).text


async def test_finishing_is_one_audited_command_and_keeps_the_first_moment(client):
    user_id = await _registered(client)
    await client.get("/passport")
    command_id = str(uuid.uuid4())
    for _ in range(2):  # a double click
        response = await client.post(
            "/passport/onboarding",
            data={"_csrf_token": csrf(client), "command_id": command_id},
            follow_redirects=False,
        )
        assert response.status_code == 303
    first = await _onboarded_at(user_id)
    events = await AuditEvent.select().where(AuditEvent.type == "accounts.finish_introduction")
    assert len(events) == 1 and events[0]["actor_id"] == user_id and events[0]["target_id"] == str(user_id)
    assert await CommandRecord.count().where(CommandRecord.type == "accounts.finish_introduction") == 1

    await post(client, "/passport/onboarding")  # "done" again later, from the last step
    assert await _onboarded_at(user_id) == first


async def test_the_command_acts_only_on_the_own_account(client):
    from app.domain.core.commands import Command, execute

    user_id = await _registered(client)
    await post(client, "/logout")
    other = await _registered(client, email="bert@example.be", first="Bert", last="Claes")
    outcome = await execute(Command(type="accounts.finish_introduction", payload={"user_id": other}, actor_id=user_id))
    assert outcome.code() == "not_allowed"
    assert await _onboarded_at(other) is None


async def test_the_empty_passport_says_how_the_worker_logs_in_and_is_reached(client):
    user_id = await _registered(client, pin="4729", phone="0470 12 34 56")
    await post(client, "/passport/onboarding")
    page = (await client.get("/passport")).text
    assert "Your passport is still empty" in page
    assert "How you log in" in page and "Not filled in yet" in page
    assert "your e-mail address or phone number and your password" in page
    # A PIN but no badge yet: the page says where to get one.
    assert "You have no badge yet" in page
    assert "anna@example.be" in page and "+32470123456" in page
    # The helper registers in English (its language step).
    assert "Mails and the kiosk use the language you chose when you registered: English." in page
    assert 'href="/privacy"' in page and "De Klok" in page
    assert 'href="/passport/consent"' in page and 'href="/passport/access-log"' in page
    assert 'action="/home/logout-everywhere"' in page

    person = await Person.select(Person.id).where(Person.user == user_id).first()
    await Badge.insert(Badge(person=person["id"], salt="x" * 32, code_lookup="y" * 64, issued_at=datetime.now(UTC)))
    assert "You have no badge yet" not in (await client.get("/passport")).text


async def test_the_passport_page_is_in_dutch_and_french(client):
    await _registered(client)
    await post(client, "/passport/onboarding")
    client.cookies.set("werkpas_lang", "nl")
    assert "Hoe je aanmeldt" in (await client.get("/passport")).text
    client.cookies.set("werkpas_lang", "fr")
    assert "Comment vous vous connectez" in (await client.get("/passport")).text
