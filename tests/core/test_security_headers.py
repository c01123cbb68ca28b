"""Security headers on every kind of response (the router's own 404 and 405
included), and /.well-known/security.txt (RFC 9116)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar import get

from app.config import ConfigError, load_settings
from app.web.core.guards import PUBLIC
from tests.conftest import csrf
from tests.core.asgi import call
from tests.support.factories import login, make_org, make_user

FORM = "application/x-www-form-urlencoded"


def assert_security_headers(response, what: str) -> None:
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "same-origin", what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get_list("content-security-policy") == [policy], f"{what}: one policy, not two"


async def test_every_kind_of_response_carries_the_security_headers(app, client):
    @get("/boom-headers", opt=PUBLIC)
    async def boom() -> None:
        raise RuntimeError("boom")

    app.register(boom)
    await client.get("/login")
    token = csrf(client)
    kinds = {
        "page": await client.get("/"),
        "unknown path (router 404)": await client.get("/no/such/page"),
        "unknown static file": await client.get("/static/nothing.css"),
        "odd static path": await client.get("/static/werkpas.css%00.js"),
        "method not allowed (router 405)": await client.put("/healthz"),
        "method not allowed on a page": await client.delete("/login"),
        "static file": await client.get("/static/werkpas.css"),
        "redirect": await client.get("/admin", follow_redirects=False),
        "server error": await client.get("/boom-headers"),
        "csrf refusal": await client.post("/login", data={"email": "a"}),  # no token
        "too large": await client.post("/login", content=b"a=" + b"x" * 70_000, headers={"content-type": FORM}),
        "undecodable": await client.post(
            "/login", content=f"_csrf_token={token}&a=%ff".encode(), headers={"content-type": FORM}
        ),
        "openapi schema": await client.get("/schema/openapi.json"),
        "health": await client.get("/healthz"),
        "security.txt": await client.get("/.well-known/security.txt"),
    }
    expected = {
        "unknown path (router 404)": 404,
        "unknown static file": 404,
        "odd static path": 404,
        "method not allowed (router 405)": 405,
        "method not allowed on a page": 405,
        "redirect": 303,
        "server error": 500,
        "csrf refusal": 403,
        "too large": 413,
        "undecodable": 400,
    }
    for what, response in kinds.items():
        assert response.status_code == expected.get(what, 200), (what, response.status_code)
        assert_security_headers(response, what)


async def test_a_pdf_download_carries_the_security_headers(client):
    org = await make_org()
    await make_user("hr@example.be", role="hr", org=org, language="en")
    await login(client, "hr@example.be")
    assert_security_headers(await client.get("/invitations/sheets.pdf?ids=1"), "print answer")
    assert_security_headers(await client.get("/invitations/imports/example.xlsx"), "xlsx download")


async def test_the_router_404_is_the_error_page_in_the_users_language(app):
    answer = await call(app, "GET", "/nope", {"accept-language": "en", "accept": "text/html"})
    assert answer.status == 404 and "Page not found" in answer.text
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_security_txt(client):
    response = await client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.text.splitlines() if line and not line.startswith("#"))
    assert fields["Contact"] == "mailto:security@testserver.local"
    assert fields["Preferred-Languages"] == "nl, fr, en"
    assert fields["Canonical"] == "http://testserver.local/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    ahead = expires - datetime.now(UTC)
    assert timedelta(days=300) < ahead <= timedelta(days=366)  # "less than a year" is recommended
    assert fields["Expires"].endswith("Z")


def _environ(tmp_path, **extra) -> dict[str, str]:
    return {
        "WERKPAS_DATA_DIR": str(tmp_path),
        "WERKPAS_SECRET_KEY": "k" * 40,
        "WERKPAS_BASE_URL": "https://werkpas.example.be:8443/",
        **extra,
    }


def test_security_contact_defaults_to_the_host_of_the_base_url(tmp_path):
    assert load_settings(_environ(tmp_path)).security_contact == "mailto:security@werkpas.example.be"


@pytest.mark.parametrize("contact", ["mailto:cert@example.be", "https://example.be/security", "tel:+3225550123"])
def test_security_contact_can_be_set(tmp_path, contact):
    assert load_settings(_environ(tmp_path, WERKPAS_SECURITY_CONTACT=contact)).security_contact == contact


@pytest.mark.parametrize(
    "contact",
    [
        "security@example.be",
        "http://example.be/security",
        "mailto:",
        "mailto:a b@example.be",
        "https://",
        "mailto:x@y.be\r\nX: y",
        "javascript:alert(1)",
    ],
)
def test_a_wrong_security_contact_stops_the_start(tmp_path, contact):
    with pytest.raises(ConfigError, match="WERKPAS_SECURITY_CONTACT"):
        load_settings(_environ(tmp_path, WERKPAS_SECURITY_CONTACT=contact))


def test_privacy_contact_defaults_to_the_host_of_the_base_url_and_can_be_set(tmp_path):
    assert load_settings(_environ(tmp_path)).privacy_contact == "privacy@werkpas.example.be"
    chosen = load_settings(_environ(tmp_path, WERKPAS_PRIVACY_CONTACT="dpo@brouwerij.be"))
    assert chosen.privacy_contact == "dpo@brouwerij.be"


@pytest.mark.parametrize("contact", ["dpo", "mailto:dpo@example.be", "a b@example.be", "x@y.be\r\nX: y", "<a>@b.be"])
def test_a_wrong_privacy_contact_stops_the_start(tmp_path, contact):
    with pytest.raises(ConfigError, match="WERKPAS_PRIVACY_CONTACT"):
        load_settings(_environ(tmp_path, WERKPAS_PRIVACY_CONTACT=contact))
