"""Security review of issue 10 (branch `attack`): the API and its keys.
Every test here passes: each documents a defence that holds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from app.storage.api import ApiKey
from app.storage.passport import AccessLogEntry, Consent
from tests.admin import helpers as h
from tests.api.helpers import bearer, make_key, world
from tests.support.passport import consent_to, do, worker


async def test_another_orgs_key_sees_nothing_of_our_workers(client):
    w = await world()
    _other_id, other_key = await make_key(w.other)
    assert (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(other_key))).status_code == 404
    listed = await client.get("/api/v1/workers", headers=bearer(other_key))
    assert listed.status_code == 200 and listed.json()["data"] == []
    events = await client.get("/api/v1/consent-events", headers=bearer(other_key))
    assert events.status_code == 200 and events.json()["data"] == []
    assert await AccessLogEntry.count() == 0


async def test_malformed_authorization_headers_get_401_never_500(client):
    w = await world()
    prefix = w.key.split("_")
    headers = [
        {"authorization": ""},
        {"authorization": "   "},
        {"authorization": "Bearer "},
        {"authorization": "bearer " + w.key + " extra"},
        {"authorization": "Bearer\t" + w.key[:-1]},
        {"authorization": "Bearer " + "A" * 100_00},
        {"authorization": "Bearer " + w.key.upper()},
        {"authorization": "Bearer wpk_"},
        {"authorization": "Bearer wpk__"},
        {"authorization": "Bearer " + "_".join(prefix[:2]) + "_"},
        [(b"authorization", "Bearer ünïcödé".encode())],
        {"authorization": "Token " + w.key},
        {"x-api-key": ""},
        {"x-api-key": "wpk_" + "0" * 500},
        {"authorization": "Basic " + w.key},
    ]
    for header in headers:
        response = await client.get("/api/v1/workers", headers=header)
        assert response.status_code in (401, 429), (header, response.status_code)
        assert response.headers["content-type"].startswith("application/json")
    assert await AccessLogEntry.count() == 0


async def test_a_non_ascii_authorization_byte_string_is_refused(app, client):
    w = await world()
    del w
    response = await client.get("/api/v1/workers", headers=[(b"authorization", b"Bearer \xff\xfe\x00")])
    assert response.status_code in (400, 401)


async def test_bad_paging_and_dates_get_400_never_500(client):
    w = await world()
    for query in (
        "limit=0",
        "limit=-1",
        "limit=100000000000000000000000",
        "limit=abc",
        "limit=1e3",
        "after=-1",
        "after=99999999999",
        "after=1.5",
        "after=%00",
        "after=" + "9" * 5000,
        "updated_since=yesterday",
        "updated_since=2026-13-01T00:00:00Z",
        "updated_since=0001-01-01T00:00:00+01:00",
        "updated_since=9999-12-31T23:59:59-14:00",
        "updated_since=2026-12-01T25:00:00",
        "updated_since=T",
        "updated_since=1700000000",
        "updated_since=%00",
        "updated_since=" + "2026-12-01T00:00:00Z" * 10,
        "updated_since=２０２６-12-01T00:00:00",  # noqa: RUF001 (deliberate full-width digits)
        "updated_since=",
    ):
        response = await client.get(f"/api/v1/workers?{query}", headers=bearer(w.key))
        assert response.status_code in (200, 400), (query, response.status_code)
        assert response.headers["content-type"].startswith("application/json"), query
    for query in ("after=-1", "after=99999999999", "limit=100000000", "after=abc"):
        response = await client.get(f"/api/v1/consent-events?{query}", headers=bearer(w.key))
        assert response.status_code in (200, 400), query
    # A cursor past the end is an empty page.
    response = await client.get("/api/v1/workers?after=9999999999", headers=bearer(w.key))
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["data"] == []


async def test_odd_worker_ids_answer_404_and_log_nothing(client):
    w = await world()
    for worker_id in ("0", "-1", "99999999999999999999999", "1.0", "%00", "1e3", str(2**63)):
        response = await client.get(f"/api/v1/workers/{worker_id}", headers=bearer(w.key))
        assert response.status_code in (400, 404), (worker_id, response.status_code)
    assert await AccessLogEntry.count() == 0


async def test_withdrawal_and_expiry_count_at_the_next_api_request(client):
    w = await world()
    assert (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).status_code == 200
    await Consent.update({Consent.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        (Consent.user == w.wout) & (Consent.category == "contact")
    )
    body = (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).json()
    assert "contact" not in str(body.keys()) and "0470" not in str(body) and "+3247" not in str(body)
    assert (await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)).applied
    assert (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).status_code == 404
    assert (await client.get("/api/v1/workers", headers=bearer(w.key))).json()["data"] == []


async def test_an_unconsented_category_is_absent_and_numbers_are_masked(client):
    w = await world()
    body = (await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))).json()
    text = str(body)
    assert "bank" not in body and "BE71" not in text and "6769" not in text
    assert "90021400326" not in text.replace(".", "").replace("-", "")


async def test_another_orgs_admin_cannot_list_create_or_revoke_our_keys(client):
    w = await world()
    await h.as_role(client, "org_admin", w.other)
    assert (await client.get(f"/admin/api-keys?organisation={w.flexa}")).status_code == 404
    assert (await client.get(f"/admin/api-keys/{w.key_id}/revoke")).status_code == 404
    response = await h.post_form(client, f"/admin/api-keys/{w.key_id}/revoke", {"confirm": "yes"})
    assert response.status_code == 404
    response = await h.post_form(client, "/admin/api-keys", {"organisation_id": str(w.flexa), "name": "Mine now"})
    assert response.status_code == 404
    for forged in ("0", "-1", "99999999", "abc", "1;DROP"):
        response = await h.post_form(client, "/admin/api-keys", {"organisation_id": forged, "name": "x"})
        assert response.status_code == 404, forged
    page = await client.get("/admin/api-keys")
    assert "Payroll sync" not in page.text
    assert await ApiKey.count().where(ApiKey.organisation == w.flexa) == 1
    assert (await ApiKey.select(ApiKey.revoked_at).where(ApiKey.id == w.key_id).first())["revoked_at"] is None
    assert (await client.get("/api/v1/workers", headers=bearer(w.key))).status_code == 200


async def test_a_consultant_or_worker_cannot_reach_the_key_admin(client):
    w = await world()
    for role in ("consultant", "worker"):
        await h.as_role(client, role, w.flexa)
        assert (await client.get("/admin/api-keys")).status_code in (403, 404)
        response = await h.post_form(client, f"/admin/api-keys/{w.key_id}/revoke", {"confirm": "yes"})
        assert response.status_code in (403, 404)
    assert (await ApiKey.select(ApiKey.revoked_at).where(ApiKey.id == w.key_id).first())["revoked_at"] is None


async def test_30_parallel_api_reads_during_a_withdrawal_never_leak_after_it(client):
    w = await world()
    for n in range(5):
        user = await worker(f"w{n}@example.be", org=w.flexa)
        await consent_to(user, w.flexa, ["identity"])

    async def read():
        return await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))

    first = await asyncio.gather(*(read() for _ in range(15)))
    assert (await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)).applied
    second = await asyncio.gather(*(read() for _ in range(15)))
    assert all(r.status_code in (200, 429) for r in first)
    assert all(r.status_code in (404, 429) for r in second)
