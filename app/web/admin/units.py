"""The unit tree of an organisation (organisation admins: their own)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.admin import units as domain
from app.domain.admin.organisations import organisation_choices
from app.domain.core.ids import parse_id
from app.i18n import _
from app.web.admin.fields import choice
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, options, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

PERMISSION = "admin.units"


def _scope(request: Request) -> frozenset[int] | None:
    return signed_in_user(request).organisations_with(PERMISSION)


async def _tree_page(
    request: Request, organisation_id: int | None, values: dict, errors: dict, status_code: int = 200
) -> Response:
    """`errors`: {field: message} (already in the user's language)."""
    choices = await organisation_choices(_scope(request))
    chosen = (
        next((c for c in choices if c["id"] == organisation_id), None)
        if organisation_id
        else (choices[0] if choices else None)
    )
    if organisation_id and chosen is None:
        raise NotFoundException()
    context = {
        "organisations": choices,
        "organisation": chosen,
        "values": values,
        "errors": errors,
        "unit_kinds": dict(options(domain.KIND_LABELS)),
        "unit_kind_options": options(domain.KIND_LABELS),
    }
    if chosen:
        tree = await domain.unit_tree(chosen["id"])
        context["tree"] = tree
        context["parent_options"] = [(u["id"], "\u2003" * u["depth"] + u["name"]) for u in domain.flatten(tree)]
    return page(request, "admin/units.html", context, status_code=status_code)


@get("/admin/units", opt=permission(PERMISSION), include_in_schema=False)
async def list_units(request: Request) -> Response:
    raw = request.query_params.get("organisation", "")
    organisation_id = parse_id(raw)
    if raw and organisation_id is None:
        raise NotFoundException()
    return await _tree_page(request, organisation_id, {}, {})


@post("/admin/units", opt=permission(PERMISSION), include_in_schema=False)
async def create_unit(request: Request) -> Response:
    data = await form_data(request)
    # The organisation is the page's (a hidden field): one that cannot exist is 404.
    organisation_id = parse_id(data.get("organisation_id"))
    if organisation_id is None:
        raise NotFoundException()
    payload = {
        "organisation_id": organisation_id,
        "name": data.get("name", ""),
        "kind": data.get("kind", ""),
        "parent_id": choice(data.get("parent_id")),
    }
    outcome = await run(request, "admin.create_unit", payload, data)
    if not outcome.applied:
        return await _tree_page(request, organisation_id, data, messages(outcome), status_code=422)
    flash(request, _("The unit was added."), "success")
    return redirect(request, f"/admin/units?organisation={organisation_id}")


async def _unit_page(
    request: Request, unit_id: int, values: dict | None = None, errors: dict | None = None, status_code: int = 200
) -> Response:
    unit = await domain.get_unit(path_id(unit_id), _scope(request))
    if unit is None:
        raise NotFoundException()
    context = {
        "unit": unit,
        "values": values if values is not None else {"name": unit["name"]},
        "errors": errors or {},
        "unit_kinds": dict(options(domain.KIND_LABELS)),
    }
    return page(request, "admin/unit.html", context, status_code=status_code)


@get("/admin/units/{unit_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def show_unit(request: Request, unit_id: FromPath[int]) -> Response:
    return await _unit_page(request, unit_id)


@post("/admin/units/{unit_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def rename_unit(request: Request, unit_id: FromPath[int]) -> Response:
    data = await form_data(request)
    outcome = await run(request, "admin.update_unit", {"unit_id": path_id(unit_id), "name": data.get("name", "")}, data)
    if not outcome.applied:
        return await _unit_page(request, unit_id, data, messages(outcome), status_code=422)
    flash(request, _("The unit was renamed."), "success")
    return redirect(request, f"/admin/units/{unit_id}")


async def _unit(request: Request, unit_id: int) -> dict:
    unit = await domain.get_unit(path_id(unit_id), _scope(request))
    if unit is None:
        raise NotFoundException()
    return unit


def _confirm_page(request: Request, unit: dict, status_code: int = 200) -> Response:
    return page(
        request,
        "admin/confirm.html",
        {
            "heading": _("Delete the unit %(name)s?", name=unit["name"]),
            "text": _("The unit is removed from the tree. This cannot be undone."),
            "action": f"/admin/units/{unit['id']}/delete",
            "button": _("Yes, delete this unit"),
            "back": f"/admin/units/{unit['id']}",
        },
        status_code=status_code,
    )


@get("/admin/units/{unit_id:int}/delete", opt=permission(PERMISSION), include_in_schema=False)
async def confirm_delete_unit(request: Request, unit_id: FromPath[int]) -> Response:
    """Asks first; a unit that cannot be deleted goes back to its page, which says why."""
    unit = await _unit(request, unit_id)
    if unit["blockers"]:
        return redirect(request, f"/admin/units/{unit['id']}")
    return _confirm_page(request, unit)


@post("/admin/units/{unit_id:int}/delete", opt=permission(PERMISSION), include_in_schema=False)
async def delete_unit(request: Request, unit_id: FromPath[int]) -> Response:
    data = await form_data(request)
    unit = await _unit(request, unit_id)
    # A form without the confirmation step asks first; a unit that cannot
    # be deleted is refused with the reason instead.
    if data.get("confirm") != "yes" and not unit["blockers"]:
        return _confirm_page(request, unit)
    outcome = await run(request, "admin.delete_unit", {"unit_id": unit["id"]}, data)
    if not outcome.applied:
        return await _unit_page(request, unit_id, None, messages(outcome), status_code=422)
    flash(request, _("The unit %(name)s was deleted.", name=unit["name"]), "success")
    return redirect(request, f"/admin/units?organisation={unit['organisation']}")


handlers = [list_units, create_unit, show_unit, rename_unit, confirm_delete_unit, delete_unit]
