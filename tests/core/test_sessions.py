"""Sessions are written only when there is something to keep."""

from tests.support.factories import login, make_user


def session_files(settings):
    folder = settings.data_dir / "sessions"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def test_anonymous_visits_store_nothing(client, settings):
    before = session_files(settings)
    for path in ("/", "/privacy", "/login", "/nope"):
        response = await client.get(path)
        assert "werkpas_session" not in response.headers.get("set-cookie", "")
    assert session_files(settings) == before


async def test_unchanged_session_is_not_rewritten_and_logout_deletes_it(client, settings):
    await make_user("an@example.be", role="platform_admin")
    await login(client, "an@example.be")
    files = session_files(settings)
    assert len(files) >= 1
    stamps = {path: path.stat().st_mtime_ns for path in files}
    for _ in range(3):
        response = await client.get("/home")
        assert response.status_code == 200
        assert "werkpas_session" not in response.headers.get("set-cookie", "")
    assert {path: path.stat().st_mtime_ns for path in session_files(settings)} == stamps
    session_id = client.cookies.get("werkpas_session")
    await client.post("/logout", data={"_csrf_token": client.cookies.get("werkpas_csrf")})
    assert client.cookies.get("werkpas_session") != session_id
    assert (await client.get("/home", follow_redirects=False)).status_code == 303
