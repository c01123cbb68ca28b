"""Organisations (platform admin only)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app import i18n
from app.domain.admin import organisations as domain
from app.domain.core.pagination import page_number
from app.i18n import _
from app.web.admin.fields import days
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import form_data, options, path_id, query_value
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

FIELDS = ("name", "slug", "kind", "default_language", "invitation_days")
NEW_VALUES = {"kind": "", "default_language": "nl", "invitation_days": "30"}


@get("/admin/organisations", opt=permission("admin.organisations"), include_in_schema=False)
async def list_organisations(request: Request) -> Response:
    search = query_value(request, "q")
    result = await domain.list_organisations(search, page_number(request.query_params.get("page")))
    context = {
        "page": result,
        "query": {"q": search},
        "kinds": dict(options(domain.KIND_LABELS)),
        "language_names": i18n.LANGUAGE_NAMES,
    }
    return page(request, "admin/organisations.html", context, partial="admin/_organisations_table.html")


def _payload(data: dict[str, str]) -> dict:
    return {
        **{key: data.get(key, "") for key in ("name", "slug", "kind", "default_language")},
        "invitation_days": days(data.get("invitation_days")),
    }


def _form(
    request: Request, heading: str, action: str, values: dict, errors: dict, organisation=None, status_code: int = 200
) -> Response:
    """`errors`: {field: message} (already in the user's language)."""
    context = {
        "heading": heading,
        "action": action,
        "values": values,
        "errors": errors,
        "organisation": organisation,
        "kinds": options(domain.KIND_LABELS),
        "language_options": list(i18n.LANGUAGE_NAMES.items()),
    }
    return page(request, "admin/organisation_form.html", context, status_code=status_code)


@get("/admin/organisations/new", opt=permission("admin.organisations"), include_in_schema=False)
async def new_organisation(request: Request) -> Response:
    return _form(request, _("New organisation"), "/admin/organisations", NEW_VALUES, {})


@post("/admin/organisations", opt=permission("admin.organisations"), include_in_schema=False)
async def create_organisation(request: Request) -> Response:
    data = await form_data(request)
    outcome = await run(request, "admin.create_organisation", _payload(data), data)
    if not outcome.applied:
        return _form(request, _("New organisation"), "/admin/organisations", data, messages(outcome), status_code=422)
    flash(request, _("The organisation was created."), "success")
    return redirect(request, f"/admin/organisations/{outcome.ids['organisation_id']}")


async def _organisation(organisation_id: int) -> dict:
    organisation = await domain.get_organisation(path_id(organisation_id))
    if organisation is None:
        raise NotFoundException()
    return organisation


@get("/admin/organisations/{organisation_id:int}", opt=permission("admin.organisations"), include_in_schema=False)
async def edit_organisation(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation = await _organisation(organisation_id)
    values = {key: str(organisation[key]) for key in FIELDS}
    return _form(request, organisation["name"], request.url.path, values, {}, organisation)


@post("/admin/organisations/{organisation_id:int}", opt=permission("admin.organisations"), include_in_schema=False)
async def update_organisation(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation = await _organisation(organisation_id)
    data = await form_data(request)
    payload = {"organisation_id": organisation["id"], **_payload(data)}
    outcome = await run(request, "admin.update_organisation", payload, data)
    if not outcome.applied:
        return _form(
            request, organisation["name"], request.url.path, data, messages(outcome), organisation, status_code=422
        )
    flash(request, _("The organisation was saved."), "success")
    return redirect(request, request.url.path)


handlers = [list_organisations, new_organisation, create_organisation, edit_organisation, update_organisation]
