"""Remember me: an opt-in longer session on the web login (30 days, a
persistent cookie), never in a badge session at a shared terminal."""

from __future__ import annotations

import re

from tests.conftest import csrf
from tests.registration.test_badge_login import PIN, _worker
from tests.support.factories import PASSWORD, make_user

COOKIE = re.compile(r"werkpas_session=[^;]+;(?P<attrs>.*)", re.IGNORECASE)


def _max_age(response) -> int | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("werkpas_session=") and not header.startswith("werkpas_session=null"):
            found = re.search(r"max-age=(\d+)", header, re.IGNORECASE)
            return int(found.group(1)) if found else None
    return None


async def _login(client, remember: bool):
    await client.get("/login")
    data = {"email": "anna@example.be", "password": PASSWORD, "_csrf_token": csrf(client)}
    if remember:
        data["remember"] = "1"
    return await client.post("/login", data=data, follow_redirects=False)


async def test_the_login_page_offers_it(client):
    assert 'name="remember"' in (await client.get("/login")).text


async def test_without_remember_me_the_session_lasts_half_a_day(client):
    await make_user("anna@example.be", role="platform_admin")
    response = await _login(client, remember=False)
    assert response.status_code == 303 and _max_age(response) == 12 * 3600


async def test_with_remember_me_the_session_lasts_thirty_days_and_survives_requests(client):
    await make_user("anna@example.be", role="platform_admin")
    response = await _login(client, remember=True)
    assert response.status_code == 303 and _max_age(response) == 30 * 24 * 3600
    assert (await client.get("/home")).status_code == 200
    # Logging out ends it like any other session.
    await client.post("/logout", data={"_csrf_token": csrf(client)})
    assert (await client.get("/home", follow_redirects=False)).status_code in (302, 303, 401)


async def test_a_badge_session_is_never_remembered(client):
    _org, card = await _worker(client)
    client.cookies.clear()
    await client.get("/badge")
    response = await client.post(
        "/badge",
        data={"badge": card.qr, "pin": PIN, "remember": "1", "_csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _max_age(response) == 12 * 3600
    assert 'name="remember"' not in (await client.get("/badge")).text
