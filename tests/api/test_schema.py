"""The API's structs follow the passport's categories, and the OpenAPI
schema documents the API with its key schemes."""

from __future__ import annotations

import typing

import msgspec

from app.domain.passport.categories import BY_CODE, CODES
from app.web.api import schemas, shape


def test_the_structs_follow_the_categories():
    assert typing.get_args(schemas.CategoryCode) == CODES
    assert schemas.ApiCategories.__struct_fields__ == CODES
    for code, (_wrapper, fields) in shape.FIELD_CATEGORIES.items():
        assert BY_CODE[code].kind == "fields" and fields.__struct_fields__ == BY_CODE[code].fields, code
    kinds = {code: category.kind for code, category in BY_CODE.items()}
    assert set(shape.FIELD_CATEGORIES) == {code for code, kind in kinds.items() if kind == "fields"}
    assert set(shape.ITEM_CATEGORIES) == {code for code, kind in kinds.items() if kind == "items"}
    # An absent category is absent, not null or empty.
    assert msgspec.json.encode(schemas.ApiCategories()) == b"{}"


async def test_the_openapi_schema_documents_the_api(client):
    schema = (await client.get("/schema/openapi.json")).json()
    api = {path: item for path, item in schema["paths"].items() if path.startswith("/api/")}
    assert set(api) == {"/api/v1/workers", "/api/v1/workers/{worker_id}", "/api/v1/consent-events"}
    assert schema["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <API key>"},
        "apiKey": {"type": "apiKey", "name": "X-API-Key", "in": "header"},
    }
    for item in api.values():
        operation = item["get"]
        assert operation["security"] == [{"bearer": []}, {"apiKey": []}]
        assert {"200", "400", "401", "429"} <= set(operation["responses"])
    assert "404" in api["/api/v1/workers/{worker_id}"]["get"]["responses"]
    assert "ApiWorker" in schema["components"]["schemas"]
    # The pages stay out of the schema.
    assert not any(path.startswith("/admin") for path in schema["paths"])
