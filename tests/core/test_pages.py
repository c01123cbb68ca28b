"""Cross-cutting page behaviour: errors in the user's language, fragments
for HTMX, body limits, health, security headers."""

from app.storage import db
from tests.conftest import csrf


async def test_csrf_missing_or_wrong_is_403_in_users_language(client):
    await client.get("/")
    missing = await client.post("/language", data={"language": "en"}, headers={"accept-language": "fr"})
    assert missing.status_code == 403
    assert 'lang="fr"' in missing.text
    wrong = await client.post(
        "/language", data={"language": "en", "_csrf_token": "forged"}, headers={"accept-language": "en"}
    )
    assert wrong.status_code == 403
    assert "You may not do this" in wrong.text
    # Nothing changed: no language cookie was set.
    assert "werkpas_lang" not in client.cookies


async def test_unknown_language_changes_nothing(client):
    await client.get("/")
    response = await client.post(
        "/language", data={"language": "xx", "next": "/", "_csrf_token": csrf(client)}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "werkpas_lang" not in client.cookies
    assert 'lang="nl"' in response.text
    assert 'class="flash flash-error"' in response.text


async def test_offsite_next_is_ignored(client):
    await client.get("/")
    response = await client.post(
        "/language",
        data={"language": "fr", "next": "//evil.example/x", "_csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


async def test_htmx_request_gets_fragment_only(client):
    full = await client.get("/nope")
    fragment = await client.get("/nope", headers={"hx-request": "true"})
    assert full.status_code == fragment.status_code == 404
    assert "<html" in full.text
    assert "<html" not in fragment.text and "error-title" in fragment.text


async def test_huge_body_is_refused_with_a_page(client):
    await client.get("/")
    body = b"language=" + b"x" * (11 * 1024 * 1024)
    response = await client.post(
        "/language",
        content=body,
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-csrftoken": csrf(client),
            "accept-language": "en",
        },
    )
    assert response.status_code == 413
    assert "larger than allowed" in response.text


async def test_security_headers_and_request_id(client):
    response = await client.get("/", headers={"x-request-id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_openapi_schema_is_public(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert "/healthz" in response.json()["paths"]


async def test_health_is_503_when_database_unreachable(client, monkeypatch):
    unreachable = db.make_engine("postgresql://postgres@127.0.0.1:1/nowhere")
    monkeypatch.setattr(db, "_engine", unreachable)
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


async def test_no_stack_trace_on_server_error(app, client):
    from litestar import get

    from app.web.core.guards import PUBLIC

    @get("/boom-test", opt=PUBLIC)
    async def boom() -> None:
        raise RuntimeError("secret internals")

    app.register(boom)
    response = await client.get("/boom-test", headers={"accept-language": "en"})
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "Something went wrong" in response.text
