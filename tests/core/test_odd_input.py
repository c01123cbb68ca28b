"""Odd input gets a clear answer in the user's language, never a 500:
non-ASCII digits in ids and page numbers, undecodable form bodies (url-
encoded or multipart, bad UTF-8 or an unknown charset), odd static paths."""

from __future__ import annotations

import pytest

from app.domain.core.ids import is_number, parse_id
from app.domain.core.pagination import page_number
from app.storage.tables import Organisation, Unit
from tests.admin import helpers as h
from tests.conftest import csrf
from tests.support.factories import login, make_org, make_user

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("text", ["²", "١٢", "٣", "12²", "¹", "𝟙", "Ⅻ", "⑴"])  # noqa: RUF001
def test_ids_and_page_numbers_are_ascii_digits_only(text):
    assert parse_id(text) is None
    assert page_number(text) == 1
    assert not is_number(text)


def test_ascii_ids_still_parse():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and page_number("3") == 3 and is_number("0012")


async def test_superscript_digits_in_query_strings_and_forms(client):
    organisation = await h.org()
    await h.as_role(client, "platform_admin")
    for url in (
        "/admin/users?page=%C2%B2",
        "/admin/organisations?page=%C2%B2",
        "/admin/jobs?page=%D9%A3",
        f"/admin/units?organisation={organisation}&page=%C2%B2",
    ):
        response = await client.get(url)
        assert response.status_code == 200, url
    audit = await client.get("/admin/audit?actor=%C2%B2")
    assert audit.status_code == 422 and "Enter an e-mail address or a user number." in audit.text
    assert (await client.get("/admin/audit?organisation=%C2%B2")).status_code == 422
    for url in ("/admin/units?organisation=%C2%B2",):
        assert (await client.get(url)).status_code == 404, url
    response = await h.post_form(client, "/admin/units", {"organisation_id": "²", "name": "X", "kind": "site"})
    assert response.status_code == 404
    response = await h.post_form(
        client,
        "/admin/organisations",
        {"name": "Odd", "slug": "odd", "kind": "agency", "default_language": "nl", "invitation_days": "²"},
    )
    assert response.status_code == 422 and "Enter a whole number of days from 1 to 365." in response.text
    response = await h.post_form(
        client,
        "/admin/users",
        {
            "name": "X",
            "email": "x@example.be",
            "language": "nl",
            "organisation_id": str(organisation),
            "role": "hr",
            "unit_id": "²",
        },
    )
    assert response.status_code == 422
    assert await Unit.count() == 0 and not await Organisation.exists().where(Organisation.slug == "odd")


async def test_superscript_digits_in_pdf_ids(client):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await login(client, "hr@example.be")
    for url in ("/invitations/sheets.pdf?ids=%C2%B2", "/invitations/sheets.pdf?ids=1,%C2%B2"):
        response = await client.get(url)
        assert response.status_code == 422 and "could not be read" in response.text, url
    for path in ("/invitations/sheets.pdf", "/invitations/badges.pdf"):
        response = await client.post(path, data={"ids": "²", "_csrf_token": csrf(client)})
        assert response.status_code == 422, path
    response = await client.post("/invitations/badges.pdf", data={"run_id": "²", "_csrf_token": csrf(client)})
    assert response.status_code == 422


def multipart(fields: list[tuple[str | bytes, bytes, str | None]], boundary: str = "b0und4ry") -> tuple[bytes, dict]:
    parts = []
    for name, value, charset in fields:
        kind = f"Content-Type: text/plain; charset={charset}\r\n" if charset else ""
        raw_name = name if isinstance(name, bytes) else name.encode()
        parts.append(
            f"--{boundary}\r\n".encode()
            + b'Content-Disposition: form-data; name="'
            + raw_name
            + b'"\r\n'
            + kind.encode()
            + b"\r\n"
            + value
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


# Public POST routes that read their form (/logout and the registration
# steps without a registration under way answer before reading it).
READING_FORMS = ["/login", "/register", "/password/forgot", "/badge", "/pin/reset", "/language"]


@pytest.mark.parametrize("path", [*READING_FORMS, "/register/identity", "/logout"])
async def test_undecodable_multipart_fields_get_400_on_every_public_post(client, path):
    await client.get("/login", headers={"accept-language": "fr"})
    token = csrf(client).encode()
    cases = [
        [("_csrf_token", token, None), ("email", b"\xff\xfe\xfd", None)],  # not UTF-8
        [("_csrf_token", token, None), ("email", b"a@b.be", "x-klingon")],  # unknown charset
        [("_csrf_token", token, None), ("email", b"a@b.be", "base64")],  # a codec, but not for text
        [("_csrf_token", token, None), (b"em\xffail", b"x", None)],  # a name that is not UTF-8
    ]
    for fields in cases:
        body, headers = multipart(fields)
        response = await client.post(path, content=body, headers={**headers, "accept-language": "fr"})
        assert response.status_code == 400, (path, fields)
        assert "Les informations envoyées" in response.text or "La demande" in response.text, response.text[:500]
        body, headers = multipart(fields[1:])  # the same with the token in the header
        response = await client.post(
            path, content=body, headers={**headers, "x-csrftoken": token.decode()}, follow_redirects=False
        )
        assert response.status_code == 400 if path in READING_FORMS else response.status_code < 500, (path, fields)


async def test_undecodable_url_encoded_bodies_get_400(client):
    await client.get("/login")
    token = csrf(client)
    for body in (
        f"_csrf_token={token}&email=%ff%fe".encode(),
        f"_csrf_token={token}&email=\xff".encode("latin-1"),
        f"_csrf_token={token}&%C0=1".encode(),
    ):
        response = await client.post("/login", content=body, headers={"content-type": FORM})
        assert response.status_code == 400, body
    for charset in ("x-klingon", "utf-16"):
        response = await client.post(
            "/login",
            content=f"_csrf_token={token}&email=a".encode(),
            headers={"content-type": f"{FORM}; charset={charset}"},
        )
        assert response.status_code == 400, charset
    ok = await client.post(
        "/login",
        content=f"_csrf_token={token}&email=%C3%A9&password=x".encode(),
        headers={"content-type": f"{FORM}; charset=UTF-8"},
    )
    assert ok.status_code == 422


async def test_an_upload_with_undecodable_fields_gets_400(client):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await login(client, "hr@example.be")
    await client.get("/invitations/imports")
    token = csrf(client).encode()
    for fields in (
        [("_csrf_token", token, None), ("mode", b"\xff", None)],
        [("_csrf_token", token, None), ("mode", b"create", "x-klingon")],
    ):
        body, headers = multipart(fields)
        response = await client.post("/invitations/imports", content=body, headers=headers)
        assert response.status_code == 400, fields
    body, headers = multipart([("_csrf_token", token, None)])
    response = await client.post(
        "/invitations/imports",
        content=body.replace(b"form-data;", b"form-data; filename*=utf-8''%ff;"),
        headers=headers,
    )
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "path",
    [
        "/static/werkpas.css%00.js",
        "/static/werkpas.css%00",
        "/static/%00",
        "/static/..%2fREADME.md",
        "/static/%2e%2e/README.md",
        "/static/vendor/%ff.js",
        "/static/werkpas.css%0a",
        "/static/a%5cb.css",
    ],
)
async def test_odd_static_paths_are_404(client, path):
    response = await client.get(path)
    assert response.status_code == 404, path
    assert "Traceback" not in response.text


async def test_static_files_are_still_served(client):
    response = await client.get("/static/werkpas.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]
    assert (await client.get("/static/vendor/htmx-2.0.11.min.js")).status_code == 200


async def test_ids_in_paths_that_cannot_exist_are_404(client):
    await h.as_role(client, "platform_admin")
    for path in (
        "/pin/issue/100000000000000000000",
        "/admin/units/100000000000000000000",
        "/invitations/99999999999",
        "/invitations/imports/0",
        "/admin/users/-1",
    ):
        assert (await client.get(path)).status_code == 404, path
    response = await h.post_form(client, "/pin/issue/100000000000000000000", {})
    assert response.status_code == 404


def test_birth_dates_take_ascii_digits_only():
    from app.domain.invitations.single import parse_birth_date as invitation_birth_date
    from app.domain.registration.rules import parse_birth_date as typed_birth_date

    assert typed_birth_date("١٢/٠٣/١٩٩٤") is None and typed_birth_date("12", "٠٣", "1994") is None
    assert typed_birth_date("12/03/1994").isoformat() == "1994-03-12"
    assert (
        invitation_birth_date("١٩٩٤-٠٣-١٢") is False and invitation_birth_date("12/03/1994").isoformat() == "1994-03-12"
    )
