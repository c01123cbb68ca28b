"""Browsing the audit log (read-only): the whole log for platform admins,
their organisation's history for organisation admins, in sentences."""

from __future__ import annotations

from litestar import Request, Response, get

from app.domain.admin import audit as domain
from app.domain.admin import history
from app.domain.admin.organisations import organisation_choices
from app.domain.core.pagination import page_number
from app.i18n import _
from app.web.admin.sentences import render
from app.web.core.commands import messages
from app.web.core.context import signed_in_user
from app.web.core.forms import query_value
from app.web.core.guards import permission
from app.web.core.pages import page

PERMISSION = "admin.audit"
FILTERS = ("actor", "organisation", "type", "date_from", "date_to")


def _channels() -> dict[str, str]:
    return {"web": _("Web"), "kiosk": _("Kiosk"), "api": _("API"), "cli": _("Command line"), "job": _("Background job")}


def _type_options(types: list[str]) -> list[tuple[str, str]]:
    """(type, translated label), by label; generic labels name the area."""
    options = []
    for name in types:
        label, values = history.label(name)
        options.append((name, _(label, **{key: _(value) for key, value in values.items()})))
    options.sort(key=lambda option: option[1].casefold())
    # Two types this version cannot name yet, of one area, stay apart.
    seen: dict[str, int] = {}
    for label in (text for _name, text in options):
        seen[label] = seen.get(label, 0) + 1
    counter: dict[str, int] = {}
    numbered = []
    for name, text in options:
        if seen[text] > 1:
            counter[text] = counter.get(text, 0) + 1
            text = f"{text} ({counter[text]})"
        numbered.append((name, text))
    return numbered


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
        "types": _type_options(await domain.event_types(scope)),
        "channels": _channels(),
        "full_log": scope is None,
        "filtered": any(raw.values()),
    }
    for event in result.items:
        event["html"] = render(event["sentence"], event["parts"])
    return page(
        request, "admin/audit.html", context, partial="admin/_audit_table.html", status_code=422 if errors else 200
    )


handlers = [audit_log]
