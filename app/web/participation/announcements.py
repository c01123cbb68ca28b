"""/participation/announcements: the announcements a worker is meant to read
and, for admins and ambassadors, the form to post one to the organisation
or one subgroup, and to delete their own."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.core.ids import parse_id
from app.domain.participation.announcements import list_for
from app.domain.participation.people import member, subgroups
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, path_id
from app.web.core.pages import page, redirect
from app.web.participation.common import chosen_member
from app.web.participation.help import GUARD
from app.web.participation.manage import chosen_organisation
from app.web.participation.setup import GUARD as MANAGING
from app.web.participation.setup import optional_id


async def _page(
    request: Request,
    errors: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
    *,
    manages: bool = False,
):
    user = signed_in_user(request)
    if manages:
        organisation, organisations = await chosen_organisation(request)
        me = await member(user.id, organisation["id"], user=user)
        if me is None:
            raise NotFoundException()
    else:
        me, organisations = await chosen_member(request)
    context = {
        "me": me,
        "organisation": next(org for org in organisations if org["id"] == me.organisation_id),
        "base": "/admin/participation/announcements" if manages else "/participation/announcements",
        "organisations": organisations,
        "announcements": await list_for(me),
        "manages": manages,
        "unit_choices": [(unit["id"], unit["label"]) for unit in await subgroups(me.organisation_id)]
        if manages
        else [],
        "errors": errors or {},
        "values": values or {},
    }
    return page(request, "participation/announcements/index.html", context, status_code=status_code)


@get("/participation/announcements", opt=GUARD, include_in_schema=False)
async def announcements_page(request: Request) -> Response:
    return await _page(request)


@get("/admin/participation/announcements", opt=MANAGING, include_in_schema=False)
async def manage_announcements(request: Request) -> Response:
    return await _page(request, manages=True)


@post("/admin/participation/announcements", opt=MANAGING, include_in_schema=False)
async def post_announcement(request: Request) -> Response:
    organisation, _organisations = await chosen_organisation(request)
    data = await form_data(request)
    payload = {
        "organisation_id": organisation["id"],
        "unit_id": optional_id(data.get("unit_id", "")),
        "title": data.get("title", ""),
        "body": data.get("body", ""),
    }
    outcome = await run(request, "participation.post_announcement", payload, data)
    if not outcome.applied:
        return await _page(request, messages(outcome), data, status_code=422, manages=True)
    flash(request, _("Announcement posted."), "success")
    return redirect(request, f"/admin/participation/announcements?organisation={organisation['id']}")


@post("/admin/participation/announcements/{announcement_id:int}/delete", opt=MANAGING, include_in_schema=False)
async def delete_announcement(request: Request, announcement_id: FromPath[int]) -> Response:
    announcement_id = path_id(announcement_id)
    data = await form_data(request)
    outcome = await run(request, "participation.delete_announcement", {"announcement_id": announcement_id}, data)
    if not outcome.applied:
        return await _page(request, messages(outcome), status_code=422, manages=True)
    flash(request, _("Announcement deleted."), "success")
    organisation_id = parse_id(request.query_params.get("organisation"))
    return redirect(
        request, "/admin/participation/announcements" + (f"?organisation={organisation_id}" if organisation_id else "")
    )


handlers = [announcements_page, manage_announcements, post_announcement, delete_announcement]
