from datetime import timedelta

from app.domain.accounts import tokens
from app.domain.accounts.passwords import verify_secret
from app.domain.jobs.queue import enqueue
from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.storage import db
from app.storage.tables import Job, SecretToken
from tests.conftest import PASSWORD, csrf, now
from tests.support.accounts import audit_types, link_in, user_row
from tests.support.factories import login, make_org, make_user

EN = {"accept-language": "en"}
NEW_PASSWORD = "a brand new passphrase 42"
SENT = "If an account exists for this address, we have sent it a link"


def mails_to(address: str) -> list:
    return [message for message in outbox() if message["To"] == address]


async def staff(email="an@example.be", **kwargs) -> int:
    org = await make_org(slug="org-" + email.split("@")[0])
    return await make_user(email, role="planner", org=org, **kwargs)


async def forgot(client, email: str, headers=EN):
    await client.get("/password/forgot")
    return await client.post("/password/forgot", data={"email": email, "_csrf_token": csrf(client)}, headers=headers)


async def choose(client, path: str, password: str, confirmation: str | None = None, headers=EN):
    await client.get("/login")
    data = {
        "password": password,
        "confirmation": password if confirmation is None else confirmation,
        "_csrf_token": csrf(client),
    }
    return await client.post(path, data=data, headers=headers, follow_redirects=False)


async def test_reset_flow_end_to_end(client):
    user_id = await staff()
    response = await forgot(client, "AN@example.be")
    assert response.status_code == 200 and SENT in response.text
    await run_due_jobs()
    [mail] = mails_to("an@example.be")
    path = link_in(mail, "/password/reset/")
    form = await client.get(path, headers=EN)
    assert form.status_code == 200
    assert form.headers["cache-control"] == "no-store"
    response = await choose(client, path, NEW_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    page = await client.get("/login", headers=EN)
    assert "Your new password is saved." in page.text
    assert verify_secret((await user_row(user_id))["password_hash"], NEW_PASSWORD)
    assert (await login(client, "an@example.be", PASSWORD)).status_code == 422
    assert (await login(client, "an@example.be", NEW_PASSWORD)).status_code == 303
    assert "accounts.reset_password" in await audit_types(target_id=str(user_id))


async def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    await staff()
    response = await forgot(client, "nobody@example.be")
    assert response.status_code == 200 and SENT in response.text
    await run_due_jobs()
    assert outbox() == []
    assert await SecretToken.count() == 0


async def test_no_reset_link_for_deactivated_accounts_or_non_staff(client):
    await staff("gone@example.be", is_active=False)
    org = await make_org(slug="werkgever")
    await make_user("worker@example.be", role="worker", org=org)
    for address in ("gone@example.be", "worker@example.be"):
        assert SENT in (await forgot(client, address)).text
    assert await SecretToken.count() == 0


async def test_forgot_form_explains_a_missing_address(client):
    response = await forgot(client, "not-an-address")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert 'value="not-an-address"' in response.text


async def test_at_most_three_reset_links_per_hour(client):
    await staff()
    for _ in range(5):
        await forgot(client, "an@example.be")
    assert await SecretToken.count() == 3


async def test_reset_link_works_only_once(client):
    user_id = await staff()
    await forgot(client, "an@example.be")
    await run_due_jobs()
    path = link_in(mails_to("an@example.be")[0], "/password/reset/")
    assert (await choose(client, path, NEW_PASSWORD)).status_code == 303
    saved = (await user_row(user_id))["password_hash"]
    again = await choose(client, path, "yet another passphrase 7")
    assert again.status_code == 410
    assert "This link has already been used" in again.text
    assert (await client.get(path, headers=EN)).status_code == 410
    assert (await user_row(user_id))["password_hash"] == saved


async def test_expired_link_changes_nothing_and_says_so_in_the_users_language(client):
    user_id = await staff()
    await forgot(client, "an@example.be")
    await run_due_jobs()
    path = link_in(mails_to("an@example.be")[0], "/password/reset/")
    await SecretToken.update({SecretToken.expires_at: now() - timedelta(minutes=1)}).where(SecretToken.user == user_id)
    page = await client.get(path, headers={"accept-language": "fr"})
    assert page.status_code == 410 and 'lang="fr"' in page.text
    response = await choose(client, path, NEW_PASSWORD)
    assert response.status_code == 410 and "This link has expired" in response.text
    assert verify_secret((await user_row(user_id))["password_hash"], PASSWORD)


async def test_invalid_links_get_a_clear_400(client):
    user_id = await staff()
    async with db.transaction():
        token_id = await tokens.issue(user_id, tokens.RESET_PASSWORD)
    secret = await tokens.secret_for(token_id)
    for bad in (
        "nonsense",
        f"{token_id}.{'A' * 43}",
        "²." + secret.split(".")[1],
        "99999999999999999999.abc",
        "x" * 300,
    ):
        response = await client.get(f"/password/reset/{bad}", headers=EN)
        assert response.status_code == 400, bad
        assert "This link is not valid" in response.text
    # A reset secret does not open the set-password page.
    assert (await client.get(f"/password/set/{secret}")).status_code == 400
    assert (await choose(client, f"/password/set/{secret}", NEW_PASSWORD)).status_code == 400
    assert verify_secret((await user_row(user_id))["password_hash"], PASSWORD)


async def test_weak_or_mismatched_passwords_are_refused_and_the_link_stays_valid(client):
    user_id = await staff()
    async with db.transaction():
        token_id = await tokens.issue(user_id, tokens.RESET_PASSWORD)
    path = f"/password/reset/{await tokens.secret_for(token_id)}"
    short = await choose(client, path, "short")
    assert short.status_code == 422 and "Use at least 10 characters." in short.text
    assert 'aria-describedby="password-error' in short.text
    mismatch = await choose(client, path, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 422 and "The two passwords are not the same." in mismatch.text
    as_email = await choose(client, path, "an@example.be")
    assert as_email.status_code == 422
    assert (await SecretToken.select(SecretToken.used_at).first())["used_at"] is None
    assert verify_secret((await user_row(user_id))["password_hash"], PASSWORD)
    assert (await choose(client, path, NEW_PASSWORD)).status_code == 303


async def _set_password_link(user_id: int) -> int:
    async with db.transaction():
        token_id = await tokens.issue(user_id, tokens.SET_PASSWORD)
        await enqueue("accounts.send_set_password_mail", {"user_id": user_id, "token_id": token_id})
    return token_id


async def test_set_password_flow_for_a_new_staff_member(client):
    user_id = await staff("nieuw@example.be", password=None, language="fr")
    await _set_password_link(user_id)
    assert await run_due_jobs() >= 1
    [mail] = mails_to("nieuw@example.be")
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'lang="fr"' in html
    path = link_in(mail, "/password/set/")
    assert path.startswith("/password/set/")
    assert (await client.get(path)).status_code == 200
    response = await choose(client, path, NEW_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "Your password is set." in (await client.get("/login", headers=EN)).text
    assert (await login(client, "nieuw@example.be", NEW_PASSWORD)).status_code == 303
    assert "accounts.set_password" in await audit_types(target_id=str(user_id))


async def test_reused_set_password_link_gets_a_clear_message(client):
    user_id = await staff("nieuw@example.be", password=None)
    token_id = await _set_password_link(user_id)
    path = f"/password/set/{await tokens.secret_for(token_id)}"
    assert (await choose(client, path, NEW_PASSWORD)).status_code == 303
    again = await client.get(path, headers=EN)
    assert again.status_code == 410
    assert "A password link works only once" in again.text


async def test_setting_a_password_retires_the_users_other_links(client):
    user_id = await staff()
    async with db.transaction():
        first = await tokens.issue(user_id, tokens.RESET_PASSWORD)
        second = await tokens.issue(user_id, tokens.RESET_PASSWORD)
    assert (await choose(client, f"/password/reset/{await tokens.secret_for(first)}", NEW_PASSWORD)).status_code == 303
    assert (await client.get(f"/password/reset/{await tokens.secret_for(second)}")).status_code == 410


async def test_mail_job_for_a_used_link_sends_nothing(client):
    user_id = await staff("nieuw@example.be", password=None)
    token_id = await _set_password_link(user_id)
    await tokens.mark_used(token_id)
    await run_due_jobs()
    assert mails_to("nieuw@example.be") == []
    assert (await Job.select(Job.status).first())["status"] == "done"


async def test_the_job_queue_holds_no_secret(client):
    user_id = await staff()
    await forgot(client, "an@example.be")
    job = await Job.select().first()
    secret = await tokens.secret_for((await SecretToken.select(SecretToken.id).first())["id"])
    assert job["kind"] == "accounts.send_reset_password_mail"
    assert secret.split(".")[1] not in job["payload"]
    assert str(user_id) in job["payload"]
