from tests.conftest import csrf


async def test_health_reports_database_ok(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_unknown_page_is_a_translated_404(client):
    response = await client.get("/does-not-exist", headers={"accept-language": "fr"})
    assert response.status_code == 404
    assert 'lang="fr"' in response.text
    assert "Traceback" not in response.text


async def test_language_switch_is_remembered(client):
    await client.get("/")
    response = await client.post(
        "/language", data={"language": "en", "next": "/privacy", "_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/privacy"
    page = await client.get("/privacy")
    assert 'lang="en"' in page.text
