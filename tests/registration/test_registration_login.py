"""After registration: the passport page and its onboarding, logging in by
e-mail or phone, a forgotten password by mail, and a new PIN through staff."""

from __future__ import annotations

from app.domain.accounts.passwords import verify_secret
from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.storage.people import Person
from app.storage.tables import AuditEvent, SecretToken, User
from tests.support.accounts import link_in
from tests.support.factories import login, make_org, make_user
from tests.support.registration import PASSWORD, english, invite, post, register


async def _worker(client, **person) -> int:
    org = await make_org(name="De Klok")
    inv = await invite(org, **person)
    assert (await register(client, inv.code, pin="4729")).status_code == 303
    client.cookies.clear()
    english(client)
    return (await User.select(User.id).first())["id"]


async def test_onboarding_has_three_steps_and_can_be_skipped(client):
    org = await make_org(name="De Klok")
    inv = await invite(org)
    await register(client, inv.code)
    english(client)
    first = await client.get("/passport")
    assert "Step 1 of 3" in first.text and "This is your work passport" in first.text
    assert "Step 3 of 3" in (await client.get("/passport?step=3")).text
    skipped = await post(client, "/passport/onboarding")
    assert skipped.status_code == 303 and skipped.headers["location"] == "/passport"
    after = await client.get("/passport")
    assert "Step 1 of 3" not in after.text and "Your passport is still empty" in after.text and "De Klok" in after.text
    assert "This is your work passport" in (await client.get("/passport?step=1")).text


async def test_passport_is_for_workers(client):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org)
    await login(client, "hr@example.be")
    assert (await client.get("/passport")).status_code == 403


async def test_worker_logs_in_by_email_or_by_phone(client):
    await _worker(client, phone="0470 12 34 56")
    by_email = await login(client, "anna@example.be", PASSWORD)
    assert by_email.status_code == 303
    client.cookies.clear()
    for typed in ("0470 12 34 56", "+32470123456", "0470/12.34.56"):
        response = await login(client, typed, PASSWORD)
        assert response.status_code == 303, typed
        assert (await client.get("/passport")).status_code == 200
        client.cookies.clear()
    assert (await login(client, "0470 12 34 56", "wrong password here")).status_code == 422
    assert (await login(client, "0470 99 99 99", PASSWORD)).status_code == 422


async def test_a_phone_number_shared_by_two_accounts_logs_into_neither(client):
    await _worker(client, phone="0470 12 34 56")
    await make_user("other@example.be", phone="+32470123456")
    assert (await login(client, "0470 12 34 56", PASSWORD)).status_code == 422


async def test_registered_worker_gets_a_password_reset_mail(client, settings):
    user_id = await _worker(client)
    await client.get("/password/forgot")
    from tests.conftest import csrf

    await client.post("/password/forgot", data={"email": "anna@example.be", "_csrf_token": csrf(client)})
    await run_due_jobs()
    mails = [m for m in outbox(settings) if m["To"] == "anna@example.be"]
    assert len(mails) == 1
    path = link_in(mails[0], "/password/reset/")
    new = "another long passphrase 9"
    response = await client.post(
        path, data={"password": new, "confirmation": new, "_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert verify_secret(
        (await User.select(User.password_hash).where(User.id == user_id).first())["password_hash"], new
    )


async def test_staff_issue_a_pin_code_once_and_the_worker_sets_a_new_pin(client):
    user_id = await _worker(client, email=None)
    person_id = (await Person.select(Person.id).first())["id"]
    org = (await User.select(User.organisation).first())["organisation"]
    await make_user("hr@example.be", role="hr", org=org)
    await login(client, "hr@example.be")
    english(client)
    form = await client.get(f"/pin/issue/{person_id}")
    assert form.status_code == 200 and "Anna Peeters" in form.text
    command_id = form.text.split('name="command_id" value="')[1].split('"')[0]
    shown = await post(client, f"/pin/issue/{person_id}", {"command_id": command_id})
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    code = shown.text.split('class="reg-code-shown"')[1].split(">")[1].split("<")[0]
    # Sending the same form again does not show the code a second time.
    again = await post(client, f"/pin/issue/{person_id}", {"command_id": command_id})
    assert again.status_code == 303 and code not in (await client.get(again.headers["location"])).text
    assert "registration.issue_pin_reset" in [e["type"] for e in await AuditEvent.select(AuditEvent.type)]

    client.cookies.clear()
    english(client)
    await client.get("/pin/reset")
    refused = await post(client, "/pin/reset", {"code": code, "pin": "1111", "pin_confirmation": "1111"})
    assert refused.status_code == 422 and "too easy" in refused.text
    done = await post(client, "/pin/reset", {"code": code.lower(), "pin": "8351", "pin_confirmation": "8351"})
    assert done.status_code == 303
    assert verify_secret((await User.select(User.pin_hash).where(User.id == user_id).first())["pin_hash"], "8351")
    used = await post(client, "/pin/reset", {"code": code, "pin": "8352", "pin_confirmation": "8352"})
    assert used.status_code == 422 and "This code does not work" in used.text
    assert await SecretToken.count().where(SecretToken.used_at.is_null()) == 0


async def test_a_new_pin_code_retires_the_previous_one(client):
    await _worker(client, email=None)
    person_id = (await Person.select(Person.id).first())["id"]
    org = (await User.select(User.organisation).first())["organisation"]
    await make_user("hr@example.be", role="hr", org=org)
    await login(client, "hr@example.be")
    codes = []
    for _ in range(2):
        await client.get(f"/pin/issue/{person_id}")
        shown = await post(client, f"/pin/issue/{person_id}")
        codes.append(shown.text.split('class="reg-code-shown"')[1].split(">")[1].split("<")[0])
    client.cookies.clear()
    english(client)
    await client.get("/pin/reset")
    old = await post(client, "/pin/reset", {"code": codes[0], "pin": "8351", "pin_confirmation": "8351"})
    assert old.status_code == 422
    assert (
        await post(client, "/pin/reset", {"code": codes[1], "pin": "8351", "pin_confirmation": "8351"})
    ).status_code == 303


async def test_staff_of_another_organisation_get_404(client):
    await _worker(client, email=None)
    person_id = (await Person.select(Person.id).first())["id"]
    other = await make_org(slug="elders")
    await make_user("hr@elders.be", role="hr", org=other)
    await login(client, "hr@elders.be")
    assert (await client.get(f"/pin/issue/{person_id}")).status_code == 404
    assert (await post(client, f"/pin/issue/{person_id}")).status_code == 404
    assert (await client.get("/pin/issue/999999")).status_code == 404
    assert await SecretToken.count() == 0
    assert (
        await client.post(f"/pin/issue/{person_id}", data={}, follow_redirects=False)
    ).status_code == 403  # no CSRF token


async def test_pin_reset_code_typos_and_unknown_codes(client):
    english(client)
    await client.get("/pin/reset")
    from app.domain.invitations import secrets

    unknown = secrets.code_for("pin_reset", "nothing")
    response = await post(client, "/pin/reset", {"code": unknown, "pin": "8351", "pin_confirmation": "8351"})
    assert response.status_code == 422 and "This code does not work" in response.text
    typo = ("3" if unknown[0] != "3" else "4") + unknown[1:]
    response = await post(client, "/pin/reset", {"code": typo, "pin": "8351", "pin_confirmation": "8351"})
    assert response.status_code == 422 and "typing mistake" in response.text
