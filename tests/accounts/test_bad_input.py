"""Odd requests get a clear answer, never a 500."""

from tests.conftest import csrf
from tests.support.factories import make_org, make_user


async def test_odd_login_posts_get_a_form_answer(client):
    await make_user("an@example.be", role="hr", org=await make_org())
    await client.get("/login")
    token = csrf(client)
    repeated = await client.post(
        "/login",
        content=f"email=a%40b.be&email=c%40d.be&password=x&_csrf_token={token}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert repeated.status_code == 422
    as_json = await client.post(
        "/login", json={"email": "an@example.be", "password": "x"}, headers={"x-csrftoken": token}
    )
    assert as_json.status_code == 422
    huge = await client.post(
        "/login", data={"email": "a" * 5000 + "@example.be", "password": "p" * 5000, "_csrf_token": token}
    )
    assert huge.status_code == 422
    bad_bytes = await client.post(
        "/login",
        content=b"email=%ff%fe&password=%00&_csrf_token=" + token.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert bad_bytes.status_code in (400, 422)


async def test_odd_links_get_the_invalid_page(client):
    for path in (
        "/password/reset/%00",
        "/password/set/..%2F..",
        "/password/reset/1.",
        "/password/set/-1.abc",
        "/password/reset/1e5.abc",
    ):
        response = await client.get(path)
        assert response.status_code in (400, 404), path
        assert "Traceback" not in response.text


async def test_odd_forgot_posts(client):
    await client.get("/password/forgot")
    token = csrf(client)
    response = await client.post(
        "/password/forgot", data={"email": "x@" + "y" * 400, "_csrf_token": token, "command_id": "not-a-uuid"}
    )
    assert response.status_code == 422
    response = await client.post(
        "/password/forgot", data={"email": "a@b.be", "_csrf_token": token, "command_id": "not-a-uuid"}
    )
    assert response.status_code == 200
