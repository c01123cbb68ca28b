"""Staff invite one person, list their organisation's invitations and act on
one: resend, extend, revoke. Organisation scope comes from the grants that
hold `invitations.manage`; anything outside it answers 404."""

from __future__ import annotations

from datetime import datetime

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app import i18n
from app.domain.core.access import Reach
from app.domain.core.pagination import page_number
from app.domain.invitations import queries
from app.domain.invitations.single import PERMISSION
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, options, path_id, query_value
from app.web.core.guards import permission
from app.web.core.pages import is_htmx, page, redirect
from app.web.invitations import printing

FORM_FIELDS = (
    "organisation_id",
    "unit_id",
    "last_name",
    "first_name",
    "birth_date",
    "postcode",
    "email",
    "phone",
    "language",
    "delivery",
)


def _scope(request: Request) -> Reach:
    return signed_in_user(request).reach(PERMISSION)


@get("/invitations", opt=permission(PERMISSION), include_in_schema=False)
async def list_invitations(request: Request) -> Response:
    search = query_value(request, "q", 100)
    status = request.query_params.get("status", "")
    status = status if status in queries.STATUSES else ""
    result = await queries.list_invitations(
        _scope(request), search, status, page_number(request.query_params.get("page"))
    )
    organisations = await queries.organisations_for(_scope(request))
    context = {
        # Shown once, on the full page (a search swap must not eat it).
        "print_result": None if is_htmx(request) else printing.take_result(request),
        "searching": bool(search.strip() or status),
        "page": result,
        "query": {"q": search, "status": status},
        "statuses": [("", _("All")), *options(queries.STATUS_LABELS)],
        "status_labels": dict(options(queries.STATUS_LABELS)),
        "delivery_labels": dict(options(queries.DELIVERY_LABELS)),
        "show_organisation": len(organisations) > 1,
    }
    return page(request, "invitations/list.html", context, partial="invitations/_list.html")


async def _form(request: Request, values: dict, errors: dict[str, str], status_code: int = 200) -> Response:
    """The invite form; `errors` are messages by field, in the user's language."""
    organisations = await queries.organisations_for(_scope(request))
    context = {
        "values": values,
        "errors": errors,
        "organisations": organisations,
        "organisation_options": [(o["id"], o["name"]) for o in organisations],
        "unit_groups": await queries.unit_groups(organisations, _scope(request)),
        "language_options": list(i18n.LANGUAGE_NAMES.items()),
        "deliveries": options(queries.DELIVERY_LABELS),
    }
    return page(request, "invitations/new.html", context, status_code=status_code)


@get("/invitations/new", opt=permission(PERMISSION), include_in_schema=False)
async def new_invitation(request: Request) -> Response:
    organisations = await queries.organisations_for(_scope(request))
    values = {"delivery": "email", "language": i18n.current_language()}
    if len(organisations) == 1:
        values.update(organisation_id=str(organisations[0]["id"]), language=organisations[0]["default_language"])
    return await _form(request, values, {})


@post("/invitations", opt=permission(PERMISSION), include_in_schema=False)
async def create_invitation(request: Request) -> Response:
    data = await form_data(request)
    payload: dict = {key: data.get(key, "") for key in FORM_FIELDS}
    # An empty choice is no choice: the struct reads it as None.
    payload.update(organisation_id=data.get("organisation_id") or None, unit_id=data.get("unit_id") or None)
    outcome = await run(request, "invitations.create", payload, data)
    if not outcome.applied:
        return await _form(request, data, messages(outcome), status_code=422)
    name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
    if outcome.ids.get("already_registered"):
        flash(
            request,
            _("%(name)s is already registered with your organisation; no invitation is needed.", name=name),
            "warning",
        )
        return redirect(request, "/invitations")
    if outcome.ids.get("already_invited"):
        flash(
            request,
            _(
                "%(name)s already has an open invitation. Send it again or extend it instead of creating a second one.",
                name=name,
            ),
            "warning",
        )
    elif payload["delivery"] == "paper":
        flash(request, _("The invitation was created. Print the sheet and hand it to %(name)s.", name=name), "success")
    else:
        flash(request, _("The invitation was created and is being sent by e-mail to %(name)s.", name=name), "success")
    return redirect(request, f"/invitations/{outcome.ids['invitation_id']}")


async def _invitation(request: Request, invitation_id: int) -> dict:
    invitation = await queries.get_invitation(path_id(invitation_id), _scope(request))
    if invitation is None:
        raise NotFoundException()
    return invitation


async def _detail(
    request: Request, invitation_id: int, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    context = {
        "invitation": await _invitation(request, invitation_id),
        "errors": errors or {},
        "status_labels": dict(options(queries.STATUS_LABELS)),
        "delivery_labels": dict(options(queries.DELIVERY_LABELS)),
        "language_names": i18n.LANGUAGE_NAMES,
    }
    return page(request, "invitations/detail.html", context, status_code=status_code)


@get("/invitations/{invitation_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def show_invitation(request: Request, invitation_id: FromPath[int]) -> Response:
    return await _detail(request, invitation_id)


def _extended(outcome) -> str:
    """The truth about an extension: until when it runs now, and before."""
    until, before = (datetime.fromisoformat(outcome.ids[key]) for key in ("expires_at", "previous"))
    return _(
        "The invitation was extended: it now runs until %(until)s (it ran until %(before)s).",
        until=i18n.format_date(until, "long"),
        before=i18n.format_date(before, "long"),
    )


ACTIONS = {
    "resend": lambda outcome: _("The invitation is being sent again by e-mail."),
    "extend": _extended,
    "revoke": lambda outcome: _("The invitation was revoked; its link and code no longer work."),
}


async def _act(request: Request, invitation_id: int, action: str) -> Response:
    """One action from the detail page (or the revoke confirmation). A
    refusal (the invitation changed meanwhile, say) shows the invitation as
    it is now with the reason; nothing changed."""
    invitation = await _invitation(request, invitation_id)
    data = await form_data(request)
    outcome = await run(request, f"invitations.{action}", {"invitation_id": invitation["id"]}, data)
    if not outcome.applied:
        return await _detail(request, invitation_id, messages(outcome), status_code=422)
    flash(request, ACTIONS[action](outcome), "success")
    return redirect(request, f"/invitations/{invitation['id']}")


@post("/invitations/{invitation_id:int}/resend", opt=permission(PERMISSION), include_in_schema=False)
async def resend_invitation(request: Request, invitation_id: FromPath[int]) -> Response:
    return await _act(request, invitation_id, "resend")


@post("/invitations/{invitation_id:int}/extend", opt=permission(PERMISSION), include_in_schema=False)
async def extend_invitation(request: Request, invitation_id: FromPath[int]) -> Response:
    return await _act(request, invitation_id, "extend")


@get("/invitations/{invitation_id:int}/revoke", opt=permission(PERMISSION), include_in_schema=False)
async def confirm_revoke(request: Request, invitation_id: FromPath[int]) -> Response:
    """Revoking asks first: this page is the question, its button the answer."""
    invitation = await _invitation(request, invitation_id)
    if not invitation["can_revoke"]:
        return await _detail(request, invitation_id, messages({"_": "not_revocable"}, "invitations"), 422)
    return page(request, "invitations/revoke.html", {"invitation": invitation})


@post("/invitations/{invitation_id:int}/revoke", opt=permission(PERMISSION), include_in_schema=False)
async def revoke_invitation(request: Request, invitation_id: FromPath[int]) -> Response:
    return await _act(request, invitation_id, "revoke")


@post("/invitations/{invitation_id:int}/again", opt=permission(PERMISSION), include_in_schema=False)
async def invite_again(request: Request, invitation_id: FromPath[int]) -> Response:
    """A fresh invitation for the person of a revoked or expired one."""
    invitation = await _invitation(request, invitation_id)
    data = await form_data(request)
    outcome = await run(request, "invitations.reinvite", {"invitation_id": invitation["id"]}, data)
    if not outcome.applied:
        return await _detail(request, invitation_id, messages(outcome), status_code=422)
    name = f"{invitation['first_name']} {invitation['last_name']}"
    if outcome.ids.get("already_invited"):
        flash(request, _("%(name)s already has an open invitation; here it is.", name=name), "warning")
    elif outcome.ids.get("delivery") == "paper":
        flash(request, _("A new invitation was made. Print the sheet and hand it to %(name)s.", name=name), "success")
    else:
        flash(request, _("A new invitation was made and is being sent by e-mail to %(name)s.", name=name), "success")
    return redirect(request, f"/invitations/{outcome.ids['invitation_id']}")


handlers = [
    list_invitations,
    new_invitation,
    create_invitation,
    show_invitation,
    resend_invitation,
    extend_invitation,
    confirm_revoke,
    revoke_invitation,
    invite_again,
]
