"""The consent-events feed: the key's organisation's receipts (grants,
changes, withdrawals, expiries), oldest first, by cursor, never another
organisation's; and the per-key rate limit."""

from __future__ import annotations

from app.domain.api import limits, queries
from app.domain.core.limits import Rule
from app.storage.passport import ConsentRecord
from tests.api.helpers import bearer, world
from tests.support.passport import consent_to, do, worker


async def _events(client, key: str, after: str | None = None, limit: int = 50) -> dict:
    params = {"limit": str(limit), **({"after": after} if after is not None else {})}
    response = await client.get("/api/v1/consent-events", params=params, headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_feed_tells_grants_changes_and_withdrawals_in_order(client):
    w = await world()
    await consent_to(w.wout, w.flexa, ["contact"])  # narrowed
    assert (await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)).applied
    # Another organisation's receipts are not in Flexa's feed.
    elsewhere = await worker("elsewhere@example.be", org=w.other)
    await consent_to(elsewhere, w.other, ["identity"])

    body = await _events(client, w.key)
    assert [(e["worker_id"], e["action"], e["categories"]) for e in body["data"]] == [
        (w.wout, "grant", ["identity", "contact"]),
        (w.wout, "change", ["contact"]),
        (w.wout, "withdraw", ["contact"]),
    ]
    assert body["has_more"] is False
    grant = body["data"][0]
    assert grant["purpose"] == "staffing" and grant["expires_at"] and grant["at"]
    stored = await ConsentRecord.select(ConsentRecord.receipt).where(ConsentRecord.subject_id == w.wout)
    assert [e["receipt"] for e in body["data"]] == [str(row["receipt"]) for row in stored]
    assert body["data"][2]["expires_at"] is None

    # Nothing new: the cursor stays; a new grant comes after it.
    again = await _events(client, w.key, after=body["cursor"])
    assert again == {"data": [], "cursor": body["cursor"], "has_more": False}
    await consent_to(w.wout, w.flexa, ["identity"])
    fresh = await _events(client, w.key, after=body["cursor"])
    assert [(e["action"], e["categories"]) for e in fresh["data"]] == [("grant", ["identity"])]
    assert int(fresh["cursor"]) > int(body["cursor"])


async def test_the_feed_pages_by_cursor_without_gaps_or_repeats(client):
    w = await world()
    for number in range(6):
        user_id = await worker(f"w{number}@example.be", org=w.flexa)
        await consent_to(user_id, w.flexa, ["identity"])
    receipts, cursor, pages = [], None, 0
    while True:
        body = await _events(client, w.key, after=cursor, limit=3)
        receipts += [event["receipt"] for event in body["data"]]
        cursor, pages = body["cursor"], pages + 1
        if not body["has_more"]:
            break
    assert len(receipts) == len(set(receipts)) == 7 and pages == 3


async def test_the_newest_receipts_wait_a_moment(client, monkeypatch):
    """A receipt appears once it is SETTLE old: an older transaction that
    commits late cannot be passed by a cursor."""
    from datetime import timedelta

    w = await world()
    monkeypatch.setattr(queries, "SETTLE", timedelta(seconds=60))
    assert (await _events(client, w.key))["data"] == []
    monkeypatch.setattr(queries, "SETTLE", timedelta(0))
    assert len((await _events(client, w.key))["data"]) == 1


async def test_a_key_is_rate_limited(client, monkeypatch):
    w = await world()
    monkeypatch.setattr(limits, "PER_KEY", Rule("api.key", limit=5, window=60))
    statuses = [(await client.get("/api/v1/consent-events", headers=bearer(w.key))).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    refused = await client.get("/api/v1/workers", headers=bearer(w.key))
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["code"] == "rate_limited"


async def test_keys_that_are_no_keys_are_limited_per_address(client, monkeypatch):
    w = await world()
    monkeypatch.setattr(limits, "BAD_KEYS_PER_ADDRESS", Rule("api.bad_key", limit=3))
    statuses = [(await client.get("/api/v1/workers", headers=bearer("wrong"))).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    # A real key still works from there.
    assert (await client.get("/api/v1/workers", headers=bearer(w.key))).status_code == 200
