"""Staff users, their role grants, reactivation and set-password links."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app import i18n
from app.domain.admin import staff, unit_choices
from app.domain.admin.grants import grants_of
from app.domain.admin.organisations import organisation_choices
from app.domain.core.access import ROLE_LABELS
from app.domain.core.ids import parse_id
from app.domain.core.pagination import page_number
from app.domain.core.reasons import message
from app.i18n import _
from app.web.admin.fields import choice
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, options, path_id, query_value
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

PERMISSION = "admin.users"


def _scope(request: Request) -> frozenset[int] | None:
    return signed_in_user(request).organisations_with(PERMISSION)


def _role_options(request: Request) -> list[tuple[str, str]]:
    roles = options(ROLE_LABELS)
    if signed_in_user(request).is_platform_admin:
        return roles
    return [(value, label) for value, label in roles if value != "platform_admin"]


async def _unit_groups(organisations: list[dict]) -> list[dict]:
    return [{"name": o["name"], "units": await unit_choices(o["id"])} for o in organisations]


@get("/admin/users", opt=permission(PERMISSION), include_in_schema=False)
async def list_users(request: Request) -> Response:
    params = request.query_params
    search = query_value(request, "q")
    status = params.get("status", "") if params.get("status") in staff.STATUSES else ""
    organisation_id = parse_id(params.get("organisation"))
    per_page = parse_id(params.get("per_page")) or staff.PER_PAGE
    result = await staff.list_users(
        _scope(request), search, status, organisation_id, page_number(params.get("page")), per_page
    )
    query = {
        "q": search,
        "status": status,
        "organisation": str(organisation_id or ""),
        "per_page": str(result.per_page),
    }
    context = {
        "page": result,
        "query": query,
        "page_sizes": staff.PAGE_SIZES,
        "statuses": [("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
        "organisations": await organisation_choices(_scope(request)),
    }
    return page(request, "admin/users.html", context, partial="admin/_users_table.html")


async def _new_form(request: Request, values: dict, errors: dict, status_code: int = 200) -> Response:
    """`errors`: {field: message} (already in the user's language)."""
    organisations = await organisation_choices(_scope(request))
    user = signed_in_user(request)
    blank = (
        _("No organisation (platform admins only)")
        if user.is_platform_admin
        else (None if len(organisations) == 1 else _("Choose an organisation"))
    )
    context = {
        "values": values,
        "errors": errors,
        "language_options": list(i18n.LANGUAGE_NAMES.items()),
        "organisation_options": [(o["id"], o["name"]) for o in organisations],
        "organisation_blank": blank,
        "roles": _role_options(request),
        "unit_groups": await _unit_groups(organisations),
    }
    return page(request, "admin/user_new.html", context, status_code=status_code)


@get("/admin/users/new", opt=permission(PERMISSION), include_in_schema=False)
async def new_user(request: Request) -> Response:
    return await _new_form(request, {"language": i18n.current_language()}, {})


@post("/admin/users", opt=permission(PERMISSION), include_in_schema=False)
async def create_user(request: Request) -> Response:
    data = await form_data(request)
    payload = {
        **{key: data.get(key, "") for key in ("name", "email", "language")},
        "organisation_id": choice(data.get("organisation_id")),
        "role": data.get("role") or None,
        "unit_id": choice(data.get("unit_id")),
    }
    outcome = await run(request, "admin.create_staff_user", payload, data)
    if not outcome.applied:
        return await _new_form(request, data, messages(outcome), status_code=422)
    flash(request, _("The user was created. A link to choose a password is being sent by e-mail."), "success")
    return redirect(request, f"/admin/users/{outcome.ids['user_id']}")


async def _person(request: Request, user_id: int) -> dict:
    person = await staff.get_user(path_id(user_id), _scope(request))
    if person is None:
        raise NotFoundException()
    return person


async def _detail(request: Request, user_id: int, status_code: int = 200, **forms) -> Response:
    """The user page; `forms` overrides the values/errors of the one form
    that was sent (edit_*, grant_*, revoke_errors, account_errors; errors as
    {field: message} in the user's language)."""
    person = await _person(request, user_id)
    organisations = (
        [{"id": person["organisation"], "name": person["organisation_name"]}] if person["organisation"] else []
    )
    context = {
        "person": person,
        "grants": await grants_of(person["id"]),
        "role_names": dict(options(ROLE_LABELS)),
        "roles": _role_options(request),
        "language_options": list(i18n.LANGUAGE_NAMES.items()),
        "unit_groups": await _unit_groups(organisations),
        "can_grant": signed_in_user(request).has_permission("admin.grants"),
        "limits": {
            key: message(code, "admin") if code else None
            for key, code in (await staff.account_limits(signed_in_user(request), person["id"])).items()
        },
        "edit_values": {"name": person["display_name"], "email": person["email"] or "", "language": person["language"]},
        "grant_values": {},
        **{f"{name}_errors": {} for name in ("edit", "grant", "revoke", "account")},
    }
    context.update(forms)
    return page(request, "admin/user.html", context, status_code=status_code)


@get("/admin/users/{user_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def show_user(request: Request, user_id: FromPath[int]) -> Response:
    return await _detail(request, user_id)


@post("/admin/users/{user_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def update_user(request: Request, user_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    data = await form_data(request)
    # No "email" when the form offered none (a worker's own login): the
    # address then stays as it is.
    keys = ("name", "email", "language") if "email" in data else ("name", "language")
    payload = {"user_id": person["id"], **{key: data.get(key, "") for key in keys}}
    outcome = await run(request, "admin.update_staff_user", payload, data)
    if not outcome.applied:
        values = {**data, "email": data.get("email", person["email"] or "")}
        return await _detail(request, user_id, 422, edit_values=values, edit_errors=messages(outcome))
    if "token_id" in outcome.ids:
        flash(
            request,
            _(
                "The details were saved. A confirmation link was sent to the new address. "
                "The new address counts once it is confirmed."
            ),
            "success",
        )
    else:
        flash(request, _("The details were saved."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


@post("/admin/users/{user_id:int}/grants", opt=permission("admin.grants"), include_in_schema=False)
async def grant_role(request: Request, user_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    data = await form_data(request)
    payload = {"user_id": person["id"], "role": data.get("role", ""), "unit_id": choice(data.get("unit_id"))}
    outcome = await run(request, "admin.grant_role", payload, data)
    if not outcome.applied:
        return await _detail(request, user_id, 422, grant_values=data, grant_errors=messages(outcome))
    flash(request, _("The role was granted."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


@post(
    "/admin/users/{user_id:int}/grants/{grant_id:int}/revoke", opt=permission("admin.grants"), include_in_schema=False
)
async def revoke_role(request: Request, user_id: FromPath[int], grant_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    grant_id = path_id(grant_id)
    if not any(grant["id"] == grant_id for grant in await grants_of(person["id"])):
        raise NotFoundException()
    data = await form_data(request)
    outcome = await run(request, "admin.revoke_role", {"grant_id": grant_id}, data)
    if not outcome.applied:
        return await _detail(request, user_id, 422, revoke_errors=messages(outcome))
    flash(request, _("The role was revoked."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


@post("/admin/users/{user_id:int}/reactivate", opt=permission(PERMISSION), include_in_schema=False)
async def reactivate_user(request: Request, user_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    data = await form_data(request)
    outcome = await run(request, "accounts.reactivate_user", {"user_id": person["id"]}, data)
    if not outcome.applied:
        return await _detail(request, user_id, 422, account_errors=messages(outcome))
    flash(request, _("The account was reactivated."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


@post("/admin/users/{user_id:int}/resend", opt=permission(PERMISSION), include_in_schema=False)
async def resend_link(request: Request, user_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    data = await form_data(request)
    outcome = await run(request, "admin.resend_set_password", {"user_id": person["id"]}, data)
    if not outcome.applied:
        return await _detail(request, user_id, 422, account_errors=messages(outcome))
    flash(request, _("A new link to choose a password is being sent by e-mail."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


handlers = [
    list_users,
    new_user,
    create_user,
    show_user,
    update_user,
    grant_role,
    revoke_role,
    reactivate_user,
    resend_link,
]
