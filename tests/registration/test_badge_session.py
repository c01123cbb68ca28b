"""A badge session at a shared terminal: it ends on the server after 90
seconds without a request, its pages are never cached, it shows the
countdown and the "Are you still there?" prompt, and logging out (or the
end) returns to /badge in the language the terminal showed before."""

from __future__ import annotations

import pytest

from app.storage.tables import AuditEvent, User
from app.web import sessions
from tests.conftest import csrf
from tests.registration.test_badge_login import PIN, _worker
from tests.support.factories import login, make_org, make_user


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "clock", fake)
    return fake


async def _badge_session(client, terminal: str = "fr", worker: str = "nl"):
    """A worker logs in with their badge on a terminal showing `terminal`."""
    _org, card = await _worker(client)
    await User.update({User.language: worker}).where(User.id == card.user_id)
    client.cookies.clear()
    await client.get("/badge")
    # The terminal's language, chosen with the switch in the header.
    switched = await client.post(
        "/language", data={"language": terminal, "next": "/badge", "_csrf_token": csrf(client)}
    )
    assert switched.status_code in (302, 303)
    assert f'<html lang="{terminal}">' in (await client.get("/badge")).text
    response = await client.post(
        "/badge", data={"badge": card.qr, "pin": PIN, "_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/passport"
    assert client.cookies.get("werkpas_lang") is None  # the worker's own language during the session
    return card


async def test_every_page_of_a_badge_session_is_no_store(client, clock):
    await _badge_session(client)
    for path in ("/passport", "/home", "/privacy", "/badge", "/static/werkpas.css"):
        response = await client.get(path, follow_redirects=False)
        if path.startswith("/static/"):
            assert response.headers.get("cache-control") != "no-store"  # the same for everyone
        else:
            assert response.headers.get("cache-control") == "no-store", path
    passport = await client.get("/passport")
    assert "data-kiosk" in passport.text and 'id="kiosk-prompt"' in passport.text
    assert "Are you still there?" in passport.text or "Ben je er nog?" in passport.text
    assert 'action="/badge/still-here"' in passport.text and 'aria-live="assertive"' in passport.text


async def test_a_password_session_is_not_a_badge_session(client, clock):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org)
    assert (await login(client, "hr@example.be")).status_code == 303
    home = await client.get("/home")
    assert home.status_code == 200 and "data-kiosk" not in home.text
    clock.now += 3600
    assert (await client.get("/home")).status_code == 200


async def test_the_session_ends_after_90_idle_seconds_on_the_server(client, clock):
    card = await _badge_session(client)
    clock.now += 89
    assert (await client.get("/passport", follow_redirects=False)).status_code == 200
    clock.now += 89  # each request counts as activity
    assert (await client.get("/passport", follow_redirects=False)).status_code == 200
    clock.now += 90
    ended = await client.get("/passport", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"] == "/badge?ended=idle"
    assert ended.headers["cache-control"] == "no-store"
    page = await client.get("/badge?ended=idle")
    assert '<html lang="fr">' in page.text and 'role="status"' in page.text
    # Logged out for good: the next page asks for a login.
    again = await client.get("/passport", follow_redirects=False)
    assert again.status_code in (302, 303, 401) and again.headers.get("location") != "/badge?ended=idle"
    # The end is in the history once, as the terminal's doing, not the worker's.
    logouts = await AuditEvent.select().where(AuditEvent.type == "accounts.logout")
    assert [(row["actor_id"], row["target_id"], row["detail"]) for row in logouts] == [
        (card.user_id, str(card.user_id), "idle")
    ]


async def test_an_ended_session_cannot_post_anything(client, clock):
    await _badge_session(client)
    clock.now += 120
    response = await client.post("/logout", data={"_csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/badge?ended=idle"
    htmx = await client.get("/passport", headers={"hx-request": "true"}, follow_redirects=False)
    assert htmx.status_code in (302, 303, 401)  # the session is gone already


async def test_htmx_is_told_to_load_the_badge_page(client, clock):
    await _badge_session(client)
    clock.now += 120
    response = await client.get("/passport", headers={"hx-request": "true"}, follow_redirects=False)
    assert response.status_code == 204 and response.headers["hx-redirect"] == "/badge?ended=idle"


async def test_still_here_keeps_the_session_going(client, clock):
    await _badge_session(client)
    for _step in range(3):
        clock.now += 80
        ping = await client.post("/badge/still-here", data={"_csrf_token": csrf(client)}, headers={"x-kiosk-ping": "1"})
        assert ping.status_code == 204
    clock.now += 80
    form = await client.post(
        "/badge/still-here", data={"_csrf_token": csrf(client), "next": "/home"}, follow_redirects=False
    )
    assert form.status_code == 303 and form.headers["location"] == "/home"
    unsafe = await client.post(
        "/badge/still-here", data={"_csrf_token": csrf(client), "next": "//evil.example"}, follow_redirects=False
    )
    assert unsafe.headers["location"] == "/passport"


async def test_still_here_without_a_session_goes_to_the_badge_page(client):
    await client.get("/badge")
    response = await client.post("/badge/still-here", data={"_csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/badge"


async def test_the_worker_sees_their_language_and_logout_returns_to_the_terminals(client, clock):
    await _badge_session(client, terminal="fr", worker="en")
    passport = await client.get("/passport")
    assert 'lang="en"' in passport.text
    response = await client.post("/logout", data={"_csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/badge"
    assert response.headers["cache-control"] == "no-store"
    assert "werkpas_lang=" in response.headers.get("set-cookie", "")
    assert client.cookies.get("werkpas_lang") == "fr"
    badge = await client.get("/badge")
    assert badge.status_code == 200 and '<html lang="fr">' in badge.text
    assert "data-kiosk" not in badge.text


async def test_the_idle_end_also_returns_to_the_terminals_language(client, clock):
    await _badge_session(client, terminal="fr", worker="en")
    assert '<html lang="en">' in (await client.get("/passport")).text
    clock.now += 91
    ended = await client.get("/passport", follow_redirects=False)
    assert "werkpas_lang=fr" in ended.headers["set-cookie"]
    page = await client.get("/badge?ended=idle")
    assert '<html lang="fr">' in page.text
