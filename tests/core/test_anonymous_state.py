"""Anonymous requests create no server-side session (issue 7, point 10).

The registration progress and the flash messages of visitors who are not
logged in live in a signed, expiring cookie (app/web/visitor.py); the session
store gets a file only when somebody logs in."""

from __future__ import annotations

import re
import time

from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.web import visitor
from tests.conftest import csrf
from tests.support.accounts import link_in, session_files
from tests.support.factories import make_org, make_user
from tests.support.registration import confirm_birth_date, english, enter_code, invite, post, register

EN = {"accept-language": "en"}
NEW_PASSWORD = "a brand new passphrase 42"


def _sample_path(path: str) -> str:
    """A concrete URL for a route pattern."""
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    path = re.sub(r"\{[^}:]+:path\}", "werkpas.css", path)
    return re.sub(r"\{[^}:]+:str\}", "12.abc", path)


def _get_routes(app) -> list[str]:
    paths = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if "GET" in handler.http_methods:
                paths.append(_sample_path(route.path))
    return sorted(set(paths))


class Recorder:
    """Every Set-Cookie a client received."""

    def __init__(self):
        self.cookies: list[str] = []

    async def __call__(self, response):
        self.cookies.extend(response.headers.get_list("set-cookie"))


async def test_a_crawl_and_the_anonymous_flows_create_no_session(client, app, settings):
    recorder = Recorder()
    client.event_hooks["response"].append(recorder)
    english(client)
    before = session_files(settings)
    org = await make_org()
    await make_user("staff@example.be", role="hr", org=org)
    inv = await invite(org)

    # Every GET route, as a visitor: public pages, and the pages that send
    # a visitor to the login.
    crawled = _get_routes(app)
    assert "/register/identity" in crawled and "/admin/users" in crawled and len(crawled) > 30
    for path in crawled:
        response = await client.get(path, headers=EN)
        assert response.status_code < 500, path

    # Login failure, forgot password, badge failure, a wrong PIN-reset code.
    await client.get("/login")
    assert (
        await post(client, "/login", {"email": "staff@example.be", "password": "not the password"})
    ).status_code == 422
    assert (await post(client, "/password/forgot", {"email": "staff@example.be"})).status_code == 200
    assert (await post(client, "/badge", {"badge": "nonsense", "pin": "1234"})).status_code in (422, 429)
    assert (
        await post(client, "/pin/reset", {"code": "K7P-4QX-9MA", "pin": "8351", "pin_confirmation": "8351"})
    ).status_code == 422
    assert (await post(client, "/logout")).status_code == 303
    # A flash message for a visitor: an unknown language.
    assert (await post(client, "/language", {"language": "xx", "next": "/"})).status_code == 303
    assert "This language is not available." in (await client.get("/", headers=EN)).text

    # Registration up to the last step: an unknown code, the link, the
    # code, a wrong and a right birth date, language and privacy notice.
    assert (await enter_code(client, "K7P-4QX-9MA")).status_code in (422, 429)
    assert (await client.get(inv.link, follow_redirects=False)).headers["location"] == "/register/identity"
    assert (await enter_code(client, inv.code)).headers["location"] == "/register/identity"
    assert (await confirm_birth_date(client, year="1991")).status_code == 422
    assert (await confirm_birth_date(client)).headers["location"] == "/register/language"
    assert (await post(client, "/register/language", {"language": "en"})).headers["location"] == "/register/privacy"
    assert (await post(client, "/register/privacy", {"accept": "yes"})).headers["location"] == "/register/account"
    assert (await client.get("/register/account", headers=EN)).status_code == 200

    # A password reset by link, which ends with a flash message on /login.
    await run_due_jobs()
    path = link_in(next(m for m in outbox() if m["To"] == "staff@example.be"), "/password/reset/")
    await client.get(path)
    assert (await post(client, path, {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})).status_code == 303
    assert "Your new password is saved." in (await client.get("/login", headers=EN)).text

    assert session_files(settings) == before
    assert not [cookie for cookie in recorder.cookies if cookie.startswith("werkpas_session=")]
    assert [cookie for cookie in recorder.cookies if cookie.startswith(visitor.COOKIE + "=")], (
        "the state went to the cookie"
    )


async def test_the_visitor_cookie_is_signed_expiring_and_http_only(client):
    org = await make_org()
    inv = await invite(org)
    response = await enter_code(client, inv.code)
    [cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith(visitor.COOKIE + "=")]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes
    assert f"Max-Age={visitor.LIFETIME}" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    value = client.cookies.get(visitor.COOKIE)
    assert visitor.decode(value) == {"reg": {"inv": inv.id}}

    # A cookie changed by the browser is worth nothing: back to the start.
    _payload, _sep, rest = value.partition(".")
    forged = visitor.encode({"reg": {"inv": inv.id + 1}}).partition(".")[0] + "." + rest
    client.cookies.set(visitor.COOKIE, forged)
    assert (await client.get("/register/identity", follow_redirects=False)).headers["location"] == "/register"
    # So is one signed long ago, even when the browser keeps sending it.
    client.cookies.set(visitor.COOKIE, visitor.encode({"reg": {"inv": inv.id}}, now=time.time() - visitor.LIFETIME - 1))
    assert (await client.get("/register/identity", follow_redirects=False)).headers["location"] == "/register"
    client.cookies.set(visitor.COOKIE, value)
    assert (await client.get("/register/identity", follow_redirects=False)).status_code == 200


def test_decode_refuses_anything_odd():
    good = visitor.encode({"flash": [{"message": "Hallo", "category": "info"}]})
    assert visitor.decode(good)["flash"][0]["message"] == "Hallo"
    for odd in (
        "",
        "abc",
        "zz.1.ff",
        good + "0",
        "." * 5,
        good.replace(".", "\x00"),
        "é" * 10,
        "0" * 9000,
        "7b7d.notanumber." + "0" * 64,
    ):
        assert visitor.decode(odd) == {}, odd
    other_key = visitor.encode({"reg": {"inv": 1}}, key=b"another server key")
    assert visitor.decode(other_key) == {}


async def test_the_birth_date_proof_is_never_in_a_page(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    await confirm_birth_date(client)
    proof = visitor.decode(client.cookies.get(visitor.COOKIE))["reg"]["proof"]
    for path in ("/register/language", "/register/privacy", "/register/account"):
        assert proof not in (await client.get(path, headers=EN)).text


async def test_finishing_the_registration_clears_the_cookie_and_logs_in(client, settings):
    org = await make_org()
    inv = await invite(org)
    response = await register(client, inv.code)
    assert response.status_code == 303 and response.headers["location"] == "/passport"
    assert visitor.COOKIE not in client.cookies
    assert client.cookies.get("werkpas_session")
    assert len(session_files(settings)) >= 1
    assert "Welcome! Your account is ready." in (await client.get("/passport", headers=EN)).text


async def test_flash_messages_keep_the_cookie_small(client):
    english(client)
    await client.get("/")
    for _ in range(40):
        await client.post(
            "/language", data={"language": "xx", "next": "/login", "_csrf_token": csrf(client)}, follow_redirects=False
        )
    assert len(client.cookies.get(visitor.COOKIE)) < 3000
    page = await client.get("/", headers=EN)
    assert 1 <= page.text.count("This language is not available.") <= visitor.MAX_FLASHES
    assert visitor.COOKIE not in client.cookies  # shown, so gone
