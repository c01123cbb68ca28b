"""The API's worker endpoints: key authentication (401 without a valid key),
consented workers only, consented categories only (an unconsented one is
absent), withdrawal at the very next request, one access-log entry per read
with the key as viewer, updated_since and pagination."""

from __future__ import annotations

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.storage.passport import AccessLogEntry, Passport
from tests.api.helpers import bearer, make_key, world
from tests.support.passport import consent_to, do, worker


async def test_no_key_a_forged_key_and_a_revoked_key_get_401_json(client):
    w = await world()
    for headers in (
        {},
        {"authorization": "Bearer"},
        {"authorization": "Basic dXNlcjpwYXNz"},
        bearer("wpk_000000000000_" + "A" * 43),
        bearer(w.key[:-1] + ("B" if w.key[-1] != "B" else "C")),
        {"x-api-key": "nonsense"},
    ):
        response = await client.get("/api/v1/workers", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["status"] == 401 and response.json()["code"] in ("key_missing", "key_invalid")
    assert (await client.get("/api/v1/workers", headers=bearer(w.key))).status_code == 200
    assert (await client.get("/api/v1/workers", headers={"x-api-key": w.key})).status_code == 200

    outcome = await do("api.revoke_key", {"api_key_id": w.key_id}, None, channel="cli")
    assert outcome.applied
    for path in ("/api/v1/workers", f"/api/v1/workers/{w.wout}", "/api/v1/consent-events"):
        response = await client.get(path, headers=bearer(w.key))
        assert response.status_code == 401 and response.json()["code"] == "key_revoked"
    assert await AccessLogEntry.count() == 2  # the two reads before the revocation


async def test_no_session_and_no_csrf_cookie(client):
    w = await world()
    response = await client.get("/api/v1/workers", headers=bearer(w.key))
    assert response.status_code == 200
    assert response.headers.get_list("set-cookie") == []
    assert response.headers["cache-control"] == "no-store"
    # A session cookie sent along changes nothing: the key decides.
    client.cookies.set("werkpas_session", "whatever")
    assert (await client.get("/api/v1/workers")).status_code == 401


async def test_the_list_holds_only_workers_with_a_consent_in_force(client):
    w = await world()
    # Joined Flexa but shares nothing; shares with the other agency only.
    await worker("nothing@example.be", org=w.flexa)
    elsewhere = await worker("elsewhere@example.be", org=w.other)
    await consent_to(elsewhere, w.other, ["identity"])
    response = await client.get("/api/v1/workers", headers=bearer(w.key))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["data"]] == [w.wout]
    assert body["data"][0]["categories"] == ["identity", "contact"]
    assert body["next"] is None
    [entry] = await AccessLogEntry.select()
    assert entry["subject_id"] == w.wout and entry["api_key_id"] == w.key_id and entry["viewer_id"] is None
    assert entry["organisation_id"] == w.flexa and entry["channel"] == "api"


async def test_one_worker_only_the_consented_categories_each_its_own_object(client):
    w = await world()
    response = await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == w.wout
    assert set(body["categories"]) == {"identity", "contact"}  # bank and the rest: absent, not empty
    identity = body["categories"]["identity"]
    assert identity["fields"]["first_name"]["value"] == "Wout"
    assert identity["fields"]["first_name"]["verified_by"] is None
    assert identity["consent"]["purpose"] == "staffing"
    # Masked under the staffing purpose.
    assert "900214" not in identity["fields"]["national_number"]["value"].replace(".", "").replace("-", "")
    assert body["categories"]["contact"]["fields"]["mobile"]["value"].startswith("+32")
    assert "BE71" not in response.text
    [entry] = await AccessLogEntry.select()
    assert entry["api_key_id"] == w.key_id and entry["categories"] == "identity,contact"

    # Each read is logged once more.
    await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))
    assert await AccessLogEntry.count() == 2


async def test_another_organisations_worker_or_key_is_404_and_logs_nothing(client):
    w = await world()
    _other_id, other_key = await make_key(w.other, "Jobwerk sync")
    stranger = await worker("stranger@example.be", org=w.other)
    await consent_to(stranger, w.other, ["identity"])
    for key, worker_id in ((other_key, w.wout), (w.key, stranger), (w.key, 999999), (w.key, 2**31), (w.key, 0)):
        response = await client.get(f"/api/v1/workers/{worker_id}", headers=bearer(key))
        assert response.status_code == 404, (key, worker_id)
        assert response.json()["code"] == "not_found"
    assert await AccessLogEntry.count() == 0
    assert (await client.get("/api/v1/workers", headers=bearer(other_key))).json()["data"] == [
        {"id": stranger, "updated_at": None, "categories": ["identity"]}
    ]


async def test_withdrawal_and_narrowing_take_effect_at_the_next_request(client):
    w = await world()
    assert (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).status_code == 200
    await consent_to(w.wout, w.flexa, ["contact"])
    body = (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).json()
    assert list(body["categories"]) == ["contact"]
    assert (await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)).applied
    assert (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).status_code == 404
    assert (await client.get("/api/v1/workers", headers=bearer(w.key))).json()["data"] == []
    assert await AccessLogEntry.count() == 2


async def test_updated_since_and_pagination(client):
    w = await world()
    ids = [w.wout]
    for number in range(4):
        user_id = await worker(f"w{number}@example.be", org=w.flexa)
        await consent_to(user_id, w.flexa, ["identity"])
        ids.append(user_id)
    old, recent = utcnow() - timedelta(days=10), utcnow() - timedelta(hours=1)
    await Passport.update({Passport.updated_at: old}).where(Passport.user == w.wout)
    assert (await do("passport.save_contact", {"email": "w1@example.be"}, ids[2])).applied  # fresh passport

    seen, after, pages = [], "", 0
    while True:
        response = await client.get(f"/api/v1/workers?limit=2&after={after}", headers=bearer(w.key))
        body = response.json()
        seen += [row["id"] for row in body["data"]]
        pages += 1
        if body["next"] is None:
            break
        after = body["next"]
    assert seen == sorted(ids) and pages == 3

    since = recent.isoformat()
    body = (await client.get("/api/v1/workers", params={"updated_since": since}, headers=bearer(w.key))).json()
    assert [row["id"] for row in body["data"]] == [ids[2]]
    assert body["data"][0]["updated_at"] is not None
    # "Z" and a naive time (read as UTC) are understood too.
    naive = recent.replace(tzinfo=None).isoformat()
    for value in (since.replace("+00:00", "Z"), naive):
        got = (await client.get("/api/v1/workers", params={"updated_since": value}, headers=bearer(w.key))).json()
        assert [row["id"] for row in got["data"]] == [ids[2]]
    body = (
        await client.get("/api/v1/workers", params={"updated_since": old.isoformat()}, headers=bearer(w.key))
    ).json()
    assert w.wout in [row["id"] for row in body["data"]]


async def test_bad_parameters_are_400_json(client):
    w = await world()
    for query in (
        "limit=0",
        "limit=201",
        "limit=abc",
        "after=-1",
        "after=%C2%B2",
        "after=99999999999",
        "updated_since=yesterday",
        "updated_since=2026-02-30T00:00:00Z",
        "updated_since=",
        "updated_since=1700000000",
        "updated_since=0001-01-01T00:00:00%2B23:00",
    ):
        response = await client.get(f"/api/v1/workers?{query}", headers=bearer(w.key))
        assert response.status_code == 400, query
        assert response.json()["status"] == 400
    # A cursor past the end is no error: the page is empty.
    assert (await client.get("/api/v1/workers?after=9999999999", headers=bearer(w.key))).json() == {
        "data": [],
        "next": None,
    }
    assert (await client.get("/api/v1/workers/abc", headers=bearer(w.key))).status_code == 404
    assert (await client.post("/api/v1/workers", headers=bearer(w.key))).status_code == 405
