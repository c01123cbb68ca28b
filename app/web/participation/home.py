"""/participation: the worker's participation home (wallet, tables to join,
invitations, my tables and meetings, my action points, the goal, help), the
wallet's history, leaving participation and taking part again, and the
page where an admin or ambassador removes someone who left the job."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Request, Response, get, post

from app.domain.core.ids import parse_id
from app.domain.core.reasons import PAYLOAD
from app.domain.participation.home import (
    PHASE_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    home_of,
    removable_people,
    wallet_of,
)
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import form_data
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.participation.common import chosen_member

TAKE_PART = "participation.take_part"
MANAGE = "participation.manage"


def with_organisation(path: str, organisation_id: int, organisations: list[dict]) -> str:
    """`path` for the chosen organisation (the query only when there is a choice)."""
    if len(organisations) < 2:
        return path
    return f"{path}?{urlencode({'organisation': organisation_id})}"


def labels() -> dict:
    return {
        "phase_labels": {code: _(text) for code, text in PHASE_LABELS.items()},
        "reason_labels": {code: _(text) for code, text in REASON_LABELS.items()},
        "status_labels": {code: _(text) for code, text in STATUS_LABELS.items()},
    }


@get("/participation", opt=permission(TAKE_PART), include_in_schema=False)
async def participation_home(request: Request) -> Response:
    me, organisations = await chosen_member(request)
    context = {
        "home": await home_of(me),
        "organisations": organisations,
        "organisation": next((o for o in organisations if o["id"] == me.organisation_id), None),
        **labels(),
    }
    return page(request, "participation/home/index.html", context, partial="participation/home/_body.html")


@get("/participation/wallet", opt=permission(TAKE_PART), include_in_schema=False)
async def wallet_page(request: Request) -> Response:
    me, organisations = await chosen_member(request)
    context = {
        "wallet": await wallet_of(me),
        "member": me,
        "organisations": organisations,
        "home_path": with_organisation("/participation", me.organisation_id, organisations),
        **labels(),
    }
    return page(request, "participation/home/wallet.html", context)


@post("/participation/leave", opt=permission(TAKE_PART), include_in_schema=False)
async def leave(request: Request) -> Response:
    data = await form_data(request)
    organisation_id = parse_id(data.get("organisation_id")) or 0
    outcome = await run(request, "participation.leave", {"organisation_id": organisation_id}, data)
    if outcome.applied:
        flash(
            request, _("You left participation here. Your chairs at tables that were not held are refunded."), "success"
        )
    else:
        flash(request, next(iter(messages(outcome).values())), "error")
    return redirect(request, f"/participation?organisation={organisation_id}")


@post("/participation/rejoin", opt=permission(TAKE_PART), include_in_schema=False)
async def rejoin(request: Request) -> Response:
    data = await form_data(request)
    organisation_id = parse_id(data.get("organisation_id")) or 0
    outcome = await run(request, "participation.rejoin", {"organisation_id": organisation_id}, data)
    if outcome.applied:
        flash(request, _("Welcome back: you take part again."), "success")
    else:
        flash(request, next(iter(messages(outcome).values())), "error")
    return redirect(request, f"/participation?organisation={organisation_id}")


async def _people_page(request: Request, errors: dict | None = None, values: dict | None = None, status_code=200):
    me, organisations = await chosen_member(request, managing=True)
    context = {
        "people": await removable_people(me),
        "member": me,
        "organisations": organisations,
        "errors": errors or {},
        "values": values or {},
    }
    return page(request, "participation/home/people.html", context, status_code=status_code)


@get("/participation/people", opt=permission(MANAGE), include_in_schema=False)
async def people_page(request: Request) -> Response:
    return await _people_page(request)


@post("/participation/people/remove", opt=permission(MANAGE), include_in_schema=False)
async def remove_person(request: Request) -> Response:
    data = await form_data(request)
    organisation_id = parse_id(data.get("organisation_id")) or 0
    payload = {"organisation_id": organisation_id, "user_id": parse_id(data.get("user_id")) or 0}
    outcome = await run(request, "participation.leave", payload, data)
    if not outcome.applied:
        errors = messages(outcome)
        if outcome.code("user_id") in PAYLOAD:  # no one chosen
            errors["user_id"] = _("Choose a person from the list.")
        return await _people_page(request, errors, data, status_code=422)
    flash(request, _("Removed from participation. Their open chairs are refunded."), "success")
    return redirect(request, f"/participation/people?organisation={organisation_id}")


handlers: list = [participation_home, wallet_page, leave, rejoin, people_page, remove_person]
