"""Schemathesis over the API part of the OpenAPI schema (/schema/openapi.json):
for each operation, generated requests (valid ones and, separately, invalid
ones) with a valid key, against a world with workers who share every kind
of category; every answer is checked: no server error, a documented status,
content type and headers, and a body that fits its schema.

The requests go through the test's own httpx client on the test's event
loop (the asyncpg pool cannot follow a second loop, which schemathesis's
own ASGI client would start); schemathesis generates the cases and checks
the responses."""

from __future__ import annotations

import os
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.domain.core.commands import utcnow
from app.storage.passport import Document, PassportItem
from tests.api.helpers import bearer, make_key, world
from tests.support.passport import consent_to, do, worker

EXAMPLES = int(os.environ.get("WERKPAS_API_EXAMPLES", "30"))
OPERATIONS = [
    ("GET", "/api/v1/workers"),
    ("GET", "/api/v1/workers/{worker_id}"),
    ("GET", "/api/v1/consent-events"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.differing_executors]
_world: dict[str, object] = {}


async def _rich_world() -> dict[str, object]:
    """Flexa's key; Wout shares identity and contact; Ans shares everything,
    with items and a document; Lies withdrew."""
    w = await world()
    ans = await worker("ans@example.be", org=w.flexa, display_name="Ans Peeters")
    assert (await do("passport.save_address", {"street": "Veldstraat", "house_number": "12", "postcode": "9000",
                                              "town": "Gent"}, ans)).applied  # fmt: skip
    assert (await do("passport.save_bank", {"iban": "BE71 0961 2345 6769"}, ans)).applied
    now = utcnow()
    for category, kind in (("certificates", "vca"), ("languages", "nl"), ("skills", "welding"), ("education", "x")):
        await PassportItem.insert(
            PassportItem(user=ans, category=category, kind=kind, name=kind.upper(), level="b2",
                         issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1), created_at=now, updated_at=now)
        )  # fmt: skip
    await Document.insert(
        Document(user=ans, digest="0" * 64, media_type="application/pdf", size=1234, name="vca.pdf", created_at=now)
    )
    from app.domain.passport.categories import CODES

    await consent_to(ans, w.flexa, list(CODES), purpose="payroll")
    lies = await worker("lies@example.be", org=w.flexa)
    await consent_to(lies, w.flexa, ["identity"])
    assert (await do("passport.withdraw_consent", {"organisation_id": w.flexa}, lies)).applied
    await make_key(w.other)  # another organisation's key, which must change nothing here
    return {"key": w.key, "workers": [w.wout, ans, lies]}


def _operation(method: str, path: str, raw: dict):
    api_only = {**raw, "paths": {p: item for p, item in raw["paths"].items() if p.startswith("/api/")}}
    schema = schemathesis.openapi.from_dict(api_only)
    return schema[path][method]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[path for _method, path in OPERATIONS])
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=QUIET, print_blob=True)
@given(data=st.data())
async def test_the_api_keeps_to_its_schema(client, monkeypatch, method, path, mode, data):
    from app.domain.api import limits
    from app.domain.core.limits import Rule

    monkeypatch.setattr(limits, "PER_KEY", Rule("api.key", limit=10_000, window=60))
    if not _world or not await _world_present():
        _world.update(await _rich_world())
    raw = (await client.get("/schema/openapi.json")).json()
    operation = _operation(method, path, raw)
    fixed = {}
    if "{worker_id}" in path and mode == GenerationMode.POSITIVE and data.draw(st.booleans(), label="known"):
        # Half of the valid requests name a real worker (one shares all, one nothing any more).
        fixed = {"worker_id": data.draw(st.sampled_from(_world["workers"]), label="worker_id")}
    case = data.draw(operation.as_strategy(generation_mode=mode, path_parameters=fixed or None), label="case")
    kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=bearer(str(_world["key"])))
    response = await client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers={name: str(value) for name, value in kwargs.get("headers", {}).items()},
    )
    checks = [*CHECKS, negative_data_rejection] if mode == GenerationMode.NEGATIVE else CHECKS
    case.validate_response(response, checks=checks)


async def _world_present() -> bool:
    from app.storage.api import ApiKey

    return await ApiKey.count() > 0
