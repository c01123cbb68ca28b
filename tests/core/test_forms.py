"""Stray NUL bytes in form fields are dropped for every area, so PostgreSQL
never sees them (it refuses NUL in text: that would be a server error)."""

from tests.conftest import csrf


async def test_nul_in_login_and_registration_is_no_server_error(client):
    await client.get("/login")
    r = await client.post(
        "/login", data={"email": "a\x00b@example.be", "password": "x\x00y", "_csrf_token": csrf(client)}
    )
    assert r.status_code in (200, 422, 429), r.status_code
    r = await client.post("/register", data={"code": "AB\x00C", "_csrf_token": csrf(client)})
    assert r.status_code < 500, r.status_code
    r = await client.post("/password/forgot", data={"email": "a\x00b@example.be", "_csrf_token": csrf(client)})
    assert r.status_code < 500, r.status_code
    r = await client.post(
        "/badge", data={"badge": "WERKPAS-BADGE:1\x00", "pin": "12\x0034", "_csrf_token": csrf(client)}
    )
    assert r.status_code < 500, r.status_code
