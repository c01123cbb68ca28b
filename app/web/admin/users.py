"""Staff users, their role grants, deactivation and reactivation, and
set-password links. Revoking a role and deactivating an account ask first
(a confirmation page, so it works without JavaScript)."""

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


async def _grant(person: dict, grant_id: int) -> dict:
    grant_id = path_id(grant_id)
    grant = next((grant for grant in await grants_of(person["id"]) if grant["id"] == grant_id), None)
    if grant is None:
        raise NotFoundException()
    return grant


def _confirm(request: Request, heading: str, text: str, action: str, button: str, back: str) -> Response:
    context = {"heading": heading, "text": text, "action": action, "button": button, "back": back}
    return page(request, "admin/confirm.html", context)


def _confirm_revoke(request: Request, person: dict, grant: dict) -> Response:
    label = ROLE_LABELS.get(grant["role"])
    role = _(label) if label else _("this role")
    return _confirm(
        request,
        _("Revoke the role %(role)s of %(name)s?", role=role, name=person["display_name"]),
        _("%(name)s loses what this role allows at once and is logged out everywhere.", name=person["display_name"]),
        f"/admin/users/{person['id']}/grants/{grant['id']}/revoke",
        _("Yes, revoke this role"),
        f"/admin/users/{person['id']}",
    )


@get("/admin/users/{user_id:int}/grants/{grant_id:int}/revoke", opt=permission("admin.grants"), include_in_schema=False)
async def confirm_revoke_role(request: Request, user_id: FromPath[int], grant_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    grant = await _grant(person, grant_id)
    if (await staff.account_limits(signed_in_user(request), person["id"]))["locked"]:
        return redirect(request, f"/admin/users/{person['id']}")  # the page says why not
    return _confirm_revoke(request, person, grant)


@post(
    "/admin/users/{user_id:int}/grants/{grant_id:int}/revoke", opt=permission("admin.grants"), include_in_schema=False
)
async def revoke_role(request: Request, user_id: FromPath[int], grant_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    grant = await _grant(person, grant_id)
    data = await form_data(request)
    # A form without the confirmation step asks first (an account out of
    # reach is refused with its message instead).
    locked = (await staff.account_limits(signed_in_user(request), person["id"]))["locked"]
    if data.get("confirm") != "yes" and not locked:
        return _confirm_revoke(request, person, grant)
    outcome = await run(request, "admin.revoke_role", {"grant_id": grant["id"]}, data)
    if not outcome.applied:
        return await _detail(request, user_id, 422, revoke_errors=messages(outcome))
    flash(request, _("The role was revoked."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


async def _move_page(
    request: Request, person: dict, grant: dict, values: dict, errors: dict, status_code: int = 200
) -> Response:
    organisations = (
        [{"id": person["organisation"], "name": person["organisation_name"]}] if person["organisation"] else []
    )
    label = ROLE_LABELS.get(grant["role"])
    context = {
        "person": person,
        "grant": grant,
        "role_name": _(label) if label else grant["role"],
        "unit_groups": await _unit_groups(organisations),
        "values": values,
        "errors": errors,
    }
    return page(request, "admin/move_role.html", context, status_code=status_code)


@get("/admin/users/{user_id:int}/grants/{grant_id:int}/move", opt=permission("admin.grants"), include_in_schema=False)
async def move_role_form(request: Request, user_id: FromPath[int], grant_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    grant = await _grant(person, grant_id)
    return await _move_page(request, person, grant, {"unit_id": grant.get("unit") or ""}, {})


@post("/admin/users/{user_id:int}/grants/{grant_id:int}/move", opt=permission("admin.grants"), include_in_schema=False)
async def move_role(request: Request, user_id: FromPath[int], grant_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    grant = await _grant(person, grant_id)
    data = await form_data(request)
    payload = {"grant_id": grant["id"], "unit_id": choice(data.get("unit_id"))}
    outcome = await run(request, "admin.move_role", payload, data)
    if not outcome.applied:
        return await _move_page(request, person, grant, data, messages(outcome), 422)
    flash(request, _("The role was moved."), "success")
    return redirect(request, f"/admin/users/{person['id']}")


def _confirm_deactivate(request: Request, person: dict) -> Response:
    return _confirm(
        request,
        _("Deactivate the account of %(name)s?", name=person["display_name"]),
        _(
            "%(name)s can no longer log in and is logged out everywhere at once. "
            "Their roles and history stay; you can reactivate the account later.",
            name=person["display_name"],
        ),
        f"/admin/users/{person['id']}/deactivate",
        _("Yes, deactivate this account"),
        f"/admin/users/{person['id']}",
    )


@get("/admin/users/{user_id:int}/deactivate", opt=permission(PERMISSION), include_in_schema=False)
async def confirm_deactivate_user(request: Request, user_id: FromPath[int]) -> Response:
    """Asks first; an account that cannot be deactivated goes back to its page, which says why."""
    person = await _person(request, user_id)
    limits = await staff.account_limits(signed_in_user(request), person["id"])
    if not person["is_active"] or limits["locked"] or limits["deactivate"]:
        return redirect(request, f"/admin/users/{person['id']}")
    return _confirm_deactivate(request, person)


@post("/admin/users/{user_id:int}/deactivate", opt=permission(PERMISSION), include_in_schema=False)
async def deactivate_user(request: Request, user_id: FromPath[int]) -> Response:
    person = await _person(request, user_id)
    data = await form_data(request)
    locked = (await staff.account_limits(signed_in_user(request), person["id"]))["locked"]
    if data.get("confirm") != "yes" and not locked:
        return _confirm_deactivate(request, person)
    outcome = await run(request, "accounts.deactivate_user", {"user_id": person["id"]}, data)
    if not outcome.applied:
        return await _detail(request, user_id, 422, account_errors=messages(outcome))
    flash(
        request,
        _("The account of %(name)s was deactivated and logged out everywhere.", name=person["display_name"]),
        "success",
    )
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
    confirm_revoke_role,
    revoke_role,
    move_role_form,
    move_role,
    confirm_deactivate_user,
    deactivate_user,
    reactivate_user,
    resend_link,
]
