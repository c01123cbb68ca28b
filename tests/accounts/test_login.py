import httpx

from app.storage.tables import AuditEvent
from tests.conftest import PASSWORD, csrf
from tests.support.accounts import audit_types, user_row
from tests.support.factories import login, make_org, make_unit, make_user

GENERIC = "E-mail or password is incorrect."
EN = {"accept-language": "en"}


async def staff(email="an.peeters@example.be", **kwargs):
    org = await make_org(kind="agency", slug="flexwerk")
    unit = await make_unit(org, "Gent", "site")
    return await make_user(email, role="consultant", unit=unit, **kwargs)


async def test_login_with_correct_password_opens_home_and_records_the_login(client):
    user_id = await staff()
    response = await login(client, "an.peeters@example.be", headers=EN)
    assert response.status_code == 303
    assert response.headers["location"] == "/home"
    home = await client.get("/home")
    assert home.status_code == 200
    assert "An Peeters" in home.text
    row = await user_row(user_id)
    assert row["last_login_at"] is not None
    assert await audit_types(target_id=str(user_id)) == ["accounts.record_login"]
    event = await AuditEvent.select().where(AuditEvent.type == "accounts.record_login").first()
    assert event["channel"] == "web" and event["outcome"] == "applied" and event["actor_id"] == user_id


async def test_e_mail_is_matched_without_regard_to_case(client):
    await staff()
    response = await login(client, "  AN.Peeters@Example.BE ")
    assert response.status_code == 303


async def test_wrong_password_gets_the_generic_message_and_no_session(client):
    user_id = await staff()
    response = await login(client, "an.peeters@example.be", "wrong password 123", headers=EN)
    assert response.status_code == 422
    assert GENERIC in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="an.peeters@example.be"' in response.text  # what was typed is kept
    assert (await user_row(user_id))["last_login_at"] is None
    assert (await client.get("/home", follow_redirects=False)).status_code == 303
    assert await audit_types(type="accounts.login_failed", target_id=str(user_id)) == ["accounts.login_failed"]


async def test_unknown_e_mail_gets_exactly_the_same_answer(client):
    await staff()
    known = await login(client, "an.peeters@example.be", "wrong password 123", headers=EN)
    unknown = await login(client, "nobody@example.be", "wrong password 123", headers=EN)
    assert unknown.status_code == known.status_code == 422
    assert GENERIC in unknown.text
    assert await audit_types(type="accounts.login_failed") == ["accounts.login_failed"] * 2


async def test_deactivated_account_gets_the_generic_message_and_an_audit_event(client):
    user_id = await staff(is_active=False)
    response = await login(client, "an.peeters@example.be", PASSWORD, headers=EN)
    assert response.status_code == 422
    assert GENERIC in response.text
    assert (await user_row(user_id))["last_login_at"] is None
    assert await audit_types(target_id=str(user_id)) == ["accounts.login_refused"]


async def test_empty_fields_are_explained_next_to_each_field(client):
    await client.get("/login")
    response = await client.post("/login", data={"email": "", "password": "", "_csrf_token": csrf(client)}, headers=EN)
    assert response.status_code == 422
    assert "Enter your e-mail address." in response.text
    assert "Enter your password." in response.text
    assert 'aria-describedby="email-error"' in response.text


async def test_already_logged_in_user_is_sent_home(client):
    await staff()
    await login(client, "an.peeters@example.be")
    response = await client.get("/login", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/home"


async def test_next_is_followed_for_local_paths_only(client):
    await staff()
    response = await login(client, "an.peeters@example.be", next="/privacy?x=1")
    assert response.headers["location"] == "/privacy?x=1"
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        await client.post("/logout", data={"_csrf_token": csrf(client)})
        response = await login(client, "an.peeters@example.be", next=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/home", target


async def test_login_page_keeps_next_from_the_query(client):
    page = await client.get("/login?next=/admin/users")
    assert 'name="next" value="/admin/users"' in page.text
    page = await client.get("/login?next=https://evil.example/")
    assert 'name="next" value="https' not in page.text


async def test_anonymous_visit_of_home_goes_to_login_and_back(client):
    await staff()
    response = await client.get("/home", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/home"
    response = await login(client, "an.peeters@example.be", next="/home")
    assert response.headers["location"] == "/home"


async def test_logout_ends_the_session_with_a_message(client):
    user_id = await staff(language="en")
    await login(client, "an.peeters@example.be")
    response = await client.post("/logout", data={"_csrf_token": csrf(client)}, headers=EN, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    start = await client.get("/", headers=EN)
    assert "You are logged out." in start.text
    assert (await client.get("/home", follow_redirects=False)).status_code == 303
    assert "accounts.logout" in await audit_types(actor_id=user_id)


async def test_login_gives_a_new_session_id(client):
    await staff()
    await client.get("/login")
    client.cookies.set("werkpas_session", "a" * 64, domain="testserver.local")
    response = await login(client, "an.peeters@example.be")
    assert response.status_code == 303
    issued = response.cookies.get("werkpas_session")
    assert issued and issued != "a" * 64


async def test_post_without_csrf_token_is_refused_in_the_users_language(client):
    await staff()
    await client.get("/login")
    response = await client.post(
        "/login", data={"email": "an.peeters@example.be", "password": PASSWORD}, headers={"accept-language": "fr"}
    )
    assert response.status_code == 403
    assert 'lang="fr"' in response.text
    assert await audit_types(type="accounts.record_login") == []


async def test_session_cookie_is_httponly_and_lax_and_not_secure_over_http(client):
    await staff()
    response = await login(client, "an.peeters@example.be")
    cookie = next(value for value in response.headers.get_list("set-cookie") if value.startswith("werkpas_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie or "SameSite=lax" in cookie
    assert "Secure" not in cookie


async def test_session_cookie_is_secure_when_the_base_url_is_https(settings):
    from dataclasses import replace

    from app.config import set_settings
    from app.web.app import create_app

    https = replace(settings, base_url="https://werkpas.example")
    set_settings(https)
    try:
        app = create_app(https)
        await staff()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as client:
            response = await login(client, "an.peeters@example.be")
        assert response.status_code == 303
        cookie = next(
            value for value in response.headers.get_list("set-cookie") if value.startswith("werkpas_session=")
        )
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        set_settings(settings)


async def test_after_logout_the_page_stays_in_the_users_language(client):
    await staff(language="fr")
    await login(client, "an.peeters@example.be")
    await client.post("/logout", data={"_csrf_token": csrf(client)}, headers=EN)
    start = await client.get("/", headers=EN)
    assert 'lang="fr"' in start.text
    assert "Vous êtes déconnecté." in start.text
