"""Request bodies: 64 KB on every route but the upload (10 MB, for a signed-in
user with the permission), refused before they are read when they are too
large or come without a valid CSRF cookie, and parsed once, by our own
parser, without a cache."""

from __future__ import annotations

import pytest
from litestar.connection import Request

from app.web.core import forms
from tests.conftest import csrf
from tests.core.asgi import call, cookie_header
from tests.support.factories import login, make_org, make_user

KB = 1024
FORM = "application/x-www-form-urlencoded"
# The ordinary POST routes a visitor can reach without signing in.
PUBLIC_POSTS = (
    "/login",
    "/logout",
    "/language",
    "/register",
    "/register/identity",
    "/password/forgot",
    "/badge",
    "/pin/reset",
)


def padded(token: str, size: int) -> bytes:
    """A login form of exactly `size` bytes."""
    head = f"_csrf_token={token}&email=an%40example.be&password=".encode()
    return head + b"x" * (size - len(head))


async def test_every_ordinary_route_refuses_a_body_over_64_kb(client):
    await client.get("/login")
    body = padded(csrf(client), 64 * KB + 1)
    for path in PUBLIC_POSTS:
        response = await client.post(path, content=body, headers={"content-type": FORM})
        assert response.status_code == 413, path
        assert "larger than allowed" in response.text or "groter" in response.text


async def test_a_body_of_64_kb_is_read_as_before(client):
    await make_user("an@example.be")
    await client.get("/login")
    response = await client.post("/login", content=padded(csrf(client), 64 * KB), headers={"content-type": FORM})
    assert response.status_code == 422  # a wrong password, not a refused body


async def test_an_announced_body_over_the_limit_is_refused_before_reading_it(app, client):
    await client.get("/login")
    headers = {"content-type": FORM, "content-length": str(1024 * KB), "cookie": cookie_header(client)}
    answer = await call(app, "POST", "/login", headers, [b"x" * (64 * KB)] * 16)
    assert answer.status == 413 and answer.body_reads == 0


async def test_odd_content_lengths(app, client):
    await client.get("/login")
    for length, status in (("9" * 5000, 413), ("+5", 400), (" 5", 400), ("5, 5", 400), ("\xb2", 400)):
        answer = await call(
            app,
            "POST",
            "/login",
            {"content-type": FORM, "content-length": length, "cookie": cookie_header(client)},
            [b"x" * 5],
        )
        assert answer.status == status and answer.body_reads == 0, length


async def test_a_body_without_length_is_cut_off_at_the_limit(app, client):
    await client.get("/login")
    token = csrf(client)
    headers = {"content-type": FORM, "cookie": cookie_header(client)}  # no content-length (chunked)
    answer = await call(app, "POST", "/login", headers, [f"_csrf_token={token}&a=".encode()] + [b"x" * (16 * KB)] * 64)
    assert answer.status == 413
    assert answer.body_reads <= 6  # stopped just past 64 KB, not after 1 MB


@pytest.mark.parametrize("cookie", [None, "werkpas_csrf=" + "a" * 128, "werkpas_csrf=short"])
async def test_unsafe_request_without_a_valid_csrf_cookie_is_refused_before_reading_the_body(app, client, cookie):
    await client.get("/login")
    token = csrf(client)
    headers = {"content-type": FORM, "content-length": str(40 * KB), "accept-language": "en"}
    if cookie:
        headers["cookie"] = cookie
    for path in PUBLIC_POSTS:
        answer = await call(app, "POST", path, headers, [f"_csrf_token={token}&".encode(), b"x" * (40 * KB - 78)])
        assert answer.status == 403, path
        assert answer.body_reads == 0, path
        assert "You may not do this" in answer.text


async def test_a_wrong_header_token_is_refused_before_reading_the_body(app, client):
    await client.get("/login")
    headers = {"content-type": FORM, "content-length": "100", "cookie": cookie_header(client), "x-csrftoken": "a" * 128}
    answer = await call(app, "POST", "/login", headers, [b"x" * 100])
    assert answer.status == 403 and answer.body_reads == 0


async def test_a_get_with_a_form_body_is_not_read(app, client):
    answer = await call(
        app, "GET", "/login", {"content-type": FORM, "content-length": str(60 * KB)}, [b"a=" + b"x" * (60 * KB - 2)]
    )
    assert answer.status == 200 and answer.body_reads == 0
    assert "werkpas_csrf=" in answer.headers["set-cookie"]


async def test_the_upload_guard_refuses_before_the_body_is_read(app, client):
    org = await make_org()
    await make_user("consultant@example.be", role="consultant", org=org)
    await client.get("/login")
    multipart = {"content-type": "multipart/form-data; boundary=xyz", "content-length": str(2048 * KB)}
    chunks = [b"x" * (256 * KB)] * 8
    anonymous = await call(app, "POST", "/invitations/imports", {**multipart, "cookie": cookie_header(client)}, chunks)
    assert anonymous.status == 303 and anonymous.headers["location"].startswith("/login")
    assert anonymous.body_reads == 0
    await login(client, "consultant@example.be")
    no_permission = await call(
        app, "POST", "/invitations/imports", {**multipart, "cookie": cookie_header(client)}, chunks
    )
    assert no_permission.status == 403 and no_permission.body_reads == 0


async def test_the_upload_takes_10_mb_for_a_user_with_the_permission(app, client):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await login(client, "hr@example.be")
    await client.get("/invitations/imports")
    multipart = {"content-type": "multipart/form-data; boundary=xyz", "cookie": cookie_header(client)}
    too_large = await call(
        app, "POST", "/invitations/imports", {**multipart, "content-length": str(11 * 1024 * KB)}, [b"x" * KB]
    )
    assert too_large.status == 413 and too_large.body_reads == 0
    no_cookie = await call(
        app,
        "POST",
        "/invitations/imports",
        {"content-type": "multipart/form-data; boundary=xyz", "content-length": "5000"},
        [b"x" * 5000],
    )
    assert no_cookie.status == 403 and no_cookie.body_reads == 0
    big = b"last_name;first_name\n" + b"x" * (2 * 1024 * KB)
    response = await client.post(
        "/invitations/imports",
        data={"_csrf_token": csrf(client), "mode": "create"},
        files={"file": ("list.csv", big, "text/csv")},
    )
    assert response.status_code == 422  # read and refused on its content, not on its size


async def test_no_controller_uses_litestars_form_parser(client, monkeypatch):
    """Litestar caches parsed url-encoded bodies (an lru_cache keyed by the
    body): no request may reach request.form() or URLEncodedBody."""

    async def refused(self):
        raise AssertionError("Litestar's cached form parser was used")

    monkeypatch.setattr(Request, "form", refused)
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await client.get("/login")
    token = csrf(client)
    assert (
        await client.post("/language", data={"language": "en", "next": "/", "_csrf_token": token})
    ).status_code == 303
    assert (await client.post("/register", data={"code": "ABC", "_csrf_token": token})).status_code == 422
    await login(client, "hr@example.be")
    token = csrf(client)
    for path, data in (
        ("/invitations/sheets.pdf", {"ids": ["1", "2"]}),
        ("/invitations/badges.pdf", {"ids": "1", "person_ids": ["3", "4"]}),
        ("/invitations", {"last_name": ""}),
    ):
        response = await client.post(path, data={**data, "_csrf_token": token})
        assert response.status_code in (404, 422), path
        response = await client.post(path, data=data, headers={"x-csrftoken": token})
        assert response.status_code in (404, 422), path


async def test_the_form_is_parsed_once_and_kept_for_the_controller(client, monkeypatch):
    calls = []
    original = forms.parse_body

    def counting(body, content_type):
        calls.append(len(body))
        return original(body, content_type)

    monkeypatch.setattr(forms, "parse_body", counting)
    await make_user("an@example.be")
    await client.get("/login")
    token = csrf(client)
    with_field = await client.post("/login", data={"email": "an@example.be", "password": "wrong", "_csrf_token": token})
    assert with_field.status_code == 422 and len(calls) == 1
    with_header = await client.post(
        "/login", data={"email": "an@example.be", "password": "wrong"}, headers={"x-csrftoken": token}
    )
    assert with_header.status_code == 422 and len(calls) == 2


async def test_repeated_fields_reach_the_printing_controller(client):
    """The printing forms send one `ids` field per chosen row."""
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await login(client, "hr@example.be")
    response = await client.post("/invitations/sheets.pdf", data={"ids": ["1", "x"], "_csrf_token": csrf(client)})
    assert response.status_code == 422 and "could not be read" in response.text  # the second value was seen


async def test_the_parser_keeps_no_cache():
    body = b"a=1&a=2&b=%C3%A9"
    first, second = forms.parse_body(body, FORM), forms.parse_body(body, FORM)
    assert first.all("a") == ["1", "2"] and first.first("b") == "é"
    assert first is not second and not hasattr(forms.parse_body, "cache_info")


async def test_a_forged_csrf_cookie_is_replaced_on_the_next_page(app):
    forged = await call(app, "GET", "/login", {"cookie": "werkpas_csrf=" + "a" * 128})
    token = forged.headers["set-cookie"].split("werkpas_csrf=")[1].split(";")[0]
    assert token != "a" * 128 and f'value="{token}"' in forged.text
    again = await call(app, "GET", "/login", {"cookie": f"werkpas_csrf={token}"})
    assert "werkpas_csrf" not in again.headers.get("set-cookie", "") and f'value="{token}"' in again.text


async def test_long_query_strings_and_cookie_headers_are_refused(app):
    long_query = await call(app, "GET", "/admin/users", {"accept-language": "en"}, query=b"q=" + b"x" * (64 * KB))
    assert long_query.status == 414 and "The web address is too long" in long_query.text
    long_cookie = await call(
        app, "GET", "/", {"accept-language": "en", "cookie": "werkpas_lang=en; other=" + "x" * (16 * KB)}
    )
    assert long_cookie.status == 431 and "Too many cookies" in long_cookie.text
    assert (await call(app, "GET", "/", {"cookie": "other=" + "x" * 15000}, query=b"q=" + b"x" * 60000)).status == 200


async def test_query_strings_and_cookies_are_parsed_without_litestars_caches(app, client):
    """Litestar caches parsed query strings and Cookie headers by their text
    (like form bodies): distinct long ones must not be kept."""
    from litestar._parsers import parse_cookie_string, parse_query_string

    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await login(client, "hr@example.be")
    queries, cookies = parse_query_string.cache_info().currsize, parse_cookie_string.cache_info().currsize
    for number in range(20):
        filler = f"{number}-" + "x" * 8000
        response = await client.get(
            f"/invitations/sheets.pdf?ids={number},x&other={filler}",
            headers={"cookie": f"{cookie_header(client)}; other={filler}"},
        )
        assert response.status_code == 422  # the query and the session cookie were read
    assert parse_query_string.cache_info().currsize == queries
    assert parse_cookie_string.cache_info().currsize == cookies


async def test_no_route_lets_litestar_parse_its_body(app):
    """New routes too: no handler takes a `data` argument (Litestar would parse
    the body itself, a form with its cached parser), and no code calls
    request.form() or uses URLEncodedBody."""
    from pathlib import Path

    from litestar.routes import HTTPRoute

    takers = [
        f"{sorted(handler.http_methods)} {route.path}"
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if "data" in handler.parsed_fn_signature.parameters
    ]
    assert takers == []
    source = Path(__file__).resolve().parents[2] / "app"
    users = [
        str(path)
        for path in source.rglob("*.py")
        if any(needle in path.read_text() for needle in (".form()", "URLEncodedBody", "RequestEncodingType"))
    ]
    assert users == []
