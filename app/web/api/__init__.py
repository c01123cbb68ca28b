"""The API for organisations' own systems (/api/v1, key auth, JSON) and the
admin panel's page for its keys (/admin/api-keys)."""

from app.i18n import lazy
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "api",
    routes=("app.web.api.v1", "app.web.api.keys"),
    navigation=(Nav("api.keys", "/admin/api-keys", lazy("API keys")),),
    # Without a session: these routes check the request's API key instead
    # (app.web.api.v1.require_key), and refuse with 401 without one.
    public=frozenset(
        {
            ("GET", "/api/v1/workers"),
            ("GET", "/api/v1/workers/{worker_id:int}"),
            ("GET", "/api/v1/consent-events"),
        }
    ),
)
