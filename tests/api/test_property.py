"""Random grants, narrowings, withdrawals, expiries and reads through the
API: no answer ever holds a category without a consent in force at that
moment, and every answer that shows a worker is in the access log."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.core.commands import utcnow
from app.storage.api import ApiKey
from app.storage.passport import AccessLogEntry, Consent
from tests.api.helpers import bearer, world
from tests.support.passport import consent_to, do

EXAMPLES = int(os.environ.get("WERKPAS_API_EXAMPLES", "15"))
SOME = ["identity", "contact", "address", "bank", "skills", "documents"]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.lists(st.sampled_from(SOME), min_size=1, max_size=4, unique=True)),
        st.tuples(st.just("withdraw"), st.just([])),
        st.tuples(st.just("expire"), st.sampled_from(SOME).map(lambda code: [code])),
        st.tuples(st.sampled_from(["read", "list"]), st.just([])),
    ),
    min_size=1,
    max_size=8,
)
_state: dict = {}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=steps)
async def test_the_api_never_shows_a_category_without_consent(client, steps):
    if not _state or not await ApiKey.count():
        _state["world"] = await world()
    w = _state["world"]
    await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)
    for action, codes in steps:
        if action == "grant":
            await consent_to(w.wout, w.flexa, codes)
        elif action == "withdraw":
            await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)
        elif action == "expire":
            await Consent.update({Consent.expires_at: utcnow() - timedelta(seconds=1)}).where(
                (Consent.user == w.wout) & Consent.category.is_in(codes)
            )
        else:
            in_force = {
                row["category"]
                for row in await Consent.select(Consent.category).where(
                    (Consent.user == w.wout) & (Consent.expires_at > utcnow())
                )
            }
            logged = await AccessLogEntry.count()
            if action == "read":
                response = await client.get(f"/api/v1/workers/{w.wout}", headers=bearer(w.key))
                shown = set(response.json()["categories"]) if response.status_code == 200 else set()
                assert response.status_code == (200 if in_force else 404)
            else:
                rows = (await client.get("/api/v1/workers", headers=bearer(w.key))).json()["data"]
                shown = {code for row in rows if row["id"] == w.wout for code in row["categories"]}
            assert shown == in_force
            assert await AccessLogEntry.count() == logged + (1 if shown else 0)
            if shown:
                last = await AccessLogEntry.select().order_by(AccessLogEntry.id, ascending=False).first()
                assert set(last["categories"].split(",")) == shown and last["api_key_id"] == w.key_id
