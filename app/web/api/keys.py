"""The admin panel's API keys: an organisation admin manages their own
organisation's keys, the platform admin every organisation's. A new key is
shown once, on the page that answers its creation (never in a link, a flash
message or a log); the list shows only its public prefix."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain import api
from app.domain.core.access import Reach
from app.domain.core.ids import parse_id
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

PERMISSION = "api.keys"
NO_STORE = {"cache-control": "no-store"}


def _reach(request: Request) -> Reach:
    return signed_in_user(request).reach(PERMISSION)


async def _list_page(
    request: Request, organisation_id: int | None, values: dict, errors: dict, status_code: int = 200
) -> Response:
    choices = await api.organisations(_reach(request))
    if organisation_id:
        chosen = next((choice for choice in choices if choice["id"] == organisation_id), None)
        if chosen is None:
            raise NotFoundException()
    else:
        chosen = choices[0] if choices else None
    context = {
        "organisations": choices,
        "organisation": chosen,
        "keys": await api.keys_of(chosen["id"]) if chosen else [],
        "values": values,
        "errors": errors,
    }
    return page(request, "api/keys.html", context, status_code=status_code)


@get("/admin/api-keys", opt=permission(PERMISSION), include_in_schema=False)
async def list_keys(request: Request) -> Response:
    raw = request.query_params.get("organisation", "")
    organisation_id = parse_id(raw)
    if raw and organisation_id is None:
        raise NotFoundException()
    return await _list_page(request, organisation_id, {}, {})


@post("/admin/api-keys", opt=permission(PERMISSION), include_in_schema=False)
async def create_key(request: Request) -> Response:
    data = await form_data(request)
    organisation_id = parse_id(data.get("organisation_id"))
    if organisation_id is None:
        raise NotFoundException()
    with api.revealing() as made:
        outcome = await run(
            request, "api.create_key", {"organisation_id": organisation_id, "name": data.get("name", "")}, data
        )
    if not outcome.applied:
        return await _list_page(request, organisation_id, data, messages(outcome), status_code=422)
    api_key_id = outcome.ids["api_key_id"]
    context = {
        "key": await api.key(api_key_id, _reach(request)),
        "secret": made.get(api_key_id),
        "back": f"/admin/api-keys?organisation={organisation_id}",
    }
    response = page(request, "api/key_created.html", context)
    response.headers.update(NO_STORE)
    return response


async def _key(request: Request, api_key_id: int) -> dict:
    found = await api.key(path_id(api_key_id), _reach(request))
    if found is None:
        raise NotFoundException()
    return found


def _confirm(request: Request, found: dict, errors: dict | None = None, status_code: int = 200) -> Response:
    return page(
        request,
        "admin/confirm.html",
        {
            "heading": _("Revoke the API key %(name)s?", name=found["name"]),
            "text": _("Systems that use this key can no longer read anything with it, from their next request on."),
            "action": f"/admin/api-keys/{found['id']}/revoke",
            "button": _("Yes, revoke this key"),
            "back": f"/admin/api-keys?organisation={found['organisation']}",
            "errors": errors or {},
        },
        status_code=status_code,
    )


@get("/admin/api-keys/{api_key_id:int}/revoke", opt=permission(PERMISSION), include_in_schema=False)
async def confirm_revoke(request: Request, api_key_id: FromPath[int]) -> Response:
    found = await _key(request, api_key_id)
    if found["revoked_at"] is not None:
        return redirect(request, f"/admin/api-keys?organisation={found['organisation']}")
    return _confirm(request, found)


@post("/admin/api-keys/{api_key_id:int}/revoke", opt=permission(PERMISSION), include_in_schema=False)
async def revoke_key(request: Request, api_key_id: FromPath[int]) -> Response:
    data = await form_data(request)
    found = await _key(request, api_key_id)
    if data.get("confirm") != "yes":
        return _confirm(request, found)
    outcome = await run(request, "api.revoke_key", {"api_key_id": found["id"]}, data)
    if not outcome.applied:
        return _confirm(request, found, messages(outcome), status_code=422)
    flash(request, _("The API key %(name)s was revoked.", name=found["name"]), "success")
    return redirect(request, f"/admin/api-keys?organisation={found['organisation']}")


handlers = [list_keys, create_key, confirm_revoke, revoke_key]
