"""Browsing the audit log (read-only)."""

from __future__ import annotations

from litestar import Request, Response, get

from app.domain.admin import audit as domain
from app.domain.admin.organisations import organisation_choices
from app.domain.core.pagination import page_number
from app.i18n import _
from app.web.core.commands import messages
from app.web.core.context import signed_in_user
from app.web.core.forms import query_value
from app.web.core.guards import permission
from app.web.core.pages import page

PERMISSION = "admin.audit"
FILTERS = ("actor", "organisation", "type", "date_from", "date_to")


def _channels() -> dict[str, str]:
    return {"web": _("Web"), "kiosk": _("Kiosk"), "api": _("API"), "cli": _("Command line"), "job": _("Background job")}


@get("/admin/audit", opt=permission(PERMISSION), include_in_schema=False)
async def audit_log(request: Request) -> Response:
    raw = {key: query_value(request, key, 254) for key in FILTERS}
    filters, errors = domain.parse_filters(raw)
    scope = signed_in_user(request).organisations_with(PERMISSION)
    result = await domain.list_events(filters, scope, page_number(request.query_params.get("page")))
    context = {
        "page": result,
        "query": raw,
        "errors": messages(errors, "admin"),
        "organisations": [(o["id"], o["name"]) for o in await organisation_choices(scope)],
        "types": [(name, name) for name in await domain.event_types()],
        "channels": _channels(),
    }
    return page(
        request, "admin/audit.html", context, partial="admin/_audit_table.html", status_code=422 if errors else 200
    )


handlers = [audit_log]
