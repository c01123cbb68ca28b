"""/admin/participation: an organisation's participation set-up (rooms,
prices and coins, ambassadors per subgroup, the collective goal, fixed
consultation moments, subgroups). Every form sends one command; a refusal
renders the page again with the form's values and its errors (422)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.core.commands import utcnow
from app.domain.participation.ambassadors import candidates, posts
from app.domain.participation.goals import progress_of
from app.domain.participation.moments import next_occurrences
from app.domain.participation.rooms import rooms_of
from app.domain.participation.setup import (
    FIELDS,
    LIMITS,
    NTH_LABELS,
    PERIOD_LABELS,
    RECURRENCE_LABELS,
    REFILL_LABELS,
    WEEKDAY_LABELS,
    goals_of,
    moments_of,
    settings_of,
)
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import form_data, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.participation.manage import MANAGE, chosen_organisation

GUARD = permission(MANAGE)
NUMBER_FIELDS = ("table_price", "chair_price", "coins_per_period", "min_chairs", "max_chairs", "practice_coins")


def number(text: str) -> int | str:
    """A whole number from a form, or the text itself (refused by the payload)."""
    stripped = text.strip()
    if stripped.lstrip("-").isdigit() and len(stripped) <= 8:
        return int(stripped)
    return stripped


def optional_id(text: str) -> int | str | None:
    return number(text) if text.strip() else None


def base(organisation_id: int) -> str:
    return f"/admin/participation?organisation={organisation_id}"


async def setup_context(organisation: dict) -> dict:
    organisation_id = organisation["id"]
    now = utcnow()
    settings = await settings_of(organisation_id)
    moments = await moments_of(organisation_id)
    for moment in moments:
        moment["next"] = next_occurrences(moment, now, 3)
        label, day = RECURRENCE_LABELS[moment["nth"]], WEEKDAY_LABELS[moment["weekday"]]
        moment["recurrence"] = _(label, day=_(day))
    goals = [await progress_of(goal) for goal in await goals_of(organisation_id)]
    people = await candidates(organisation_id)
    ambassador_posts = await posts(organisation_id)
    return {
        "people_choices": [(person["id"], person["name"]) for person in people],
        "weekday_choices": [(index, _(label)) for index, label in enumerate(WEEKDAY_LABELS)],
        "nth_choices": [(key, _(label)) for key, label in NTH_LABELS.items()],
        "unit_choices": [(post["unit"]["id"], post["unit"]["label"]) for post in ambassador_posts],
        "settings": settings,
        "rooms": await rooms_of(organisation_id),
        "posts": ambassador_posts,
        "people": people,
        "goals": goals,
        "moments": moments,
        "limits": LIMITS,
        "period_labels": {key: _(label) for key, label in PERIOD_LABELS.items()},
        "refill_labels": {key: _(label) for key, label in REFILL_LABELS.items()},
        "weekday_labels": [_(label) for label in WEEKDAY_LABELS],
        "nth_labels": {key: _(label) for key, label in NTH_LABELS.items()},
    }


async def _page(
    request: Request,
    organisation_id: int | None = None,
    *,
    form: str = "",
    errors: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
) -> Response:
    organisation, organisations = await chosen_organisation(request, organisation_id)
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "form": form,
        "errors": errors or {},
        "values": values or {},
        **await setup_context(organisation),
    }
    return page(request, "participation/setup/index.html", context, status_code=status_code)


@get("/admin/participation", opt=GUARD, include_in_schema=False)
async def setup_page(request: Request) -> Response:
    return await _page(request)


async def _send(
    request: Request,
    organisation_id: int,
    form: str,
    command: str,
    payload: dict,
    data: dict,
    done: str,
    anchor: str,
) -> Response:
    await chosen_organisation(request, organisation_id)
    outcome = await run(request, command, payload, data)
    if not outcome.applied:
        return await _page(request, organisation_id, form=form, errors=messages(outcome), values=data, status_code=422)
    flash(request, done, "success")
    return redirect(request, base(organisation_id) + anchor)


@post("/admin/participation/{organisation_id:int}/settings", opt=GUARD, include_in_schema=False)
async def save_settings(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    payload: dict = {"organisation_id": organisation_id}
    for name in FIELDS:
        payload[name] = number(data.get(name, "")) if name in NUMBER_FIELDS else data.get(name, "")
    return await _send(
        request,
        organisation_id,
        "settings",
        "participation.update_settings",
        payload,
        data,
        _("Saved: new tables use these prices and numbers."),
        "#numbers",
    )


@post("/admin/participation/{organisation_id:int}/rooms", opt=GUARD, include_in_schema=False)
async def add_room(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    payload = {
        "organisation_id": organisation_id,
        "name": data.get("name", ""),
        "description": data.get("description", ""),
    }
    return await _send(
        request, organisation_id, "room-new", "participation.add_room", payload, data, _("Room added."), "#rooms"
    )


@post("/admin/participation/{organisation_id:int}/rooms/{room_id:int}", opt=GUARD, include_in_schema=False)
async def change_room(request: Request, organisation_id: FromPath[int], room_id: FromPath[int]) -> Response:
    organisation_id, room_id = path_id(organisation_id), path_id(room_id)
    data = await form_data(request)
    action = data.get("action", "save")
    if action in ("up", "down"):
        command, payload, done = "participation.move_room", {"room_id": room_id, "direction": action}, _("Room moved.")
    elif action == "archive":
        command, payload, done = "participation.archive_room", {"room_id": room_id}, _("Room taken out of use.")
    elif action == "restore":
        command, payload, done = "participation.restore_room", {"room_id": room_id}, _("Room back in use.")
    else:
        command = "participation.update_room"
        payload = {"room_id": room_id, "name": data.get("name", ""), "description": data.get("description", "")}
        done = _("Room saved.")
    return await _send(request, organisation_id, f"room-{room_id}", command, payload, data, done, "#rooms")


@post("/admin/participation/{organisation_id:int}/posts/{unit_id:int}", opt=GUARD, include_in_schema=False)
async def save_post(request: Request, organisation_id: FromPath[int], unit_id: FromPath[int]) -> Response:
    organisation_id, unit_id = path_id(organisation_id), path_id(unit_id)
    data = await form_data(request)
    payload = {
        "organisation_id": organisation_id,
        "unit_id": unit_id,
        "ambassador_id": optional_id(data.get("ambassador_id", "")),
        "deputy_id": optional_id(data.get("deputy_id", "")),
    }
    return await _send(
        request,
        organisation_id,
        f"post-{unit_id}",
        "participation.set_ambassador_post",
        payload,
        data,
        _("Ambassador saved."),
        "#ambassadors",
    )


@post("/admin/participation/{organisation_id:int}/goal", opt=GUARD, include_in_schema=False)
async def save_goal(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    goal_id = optional_id(data.get("goal_id", ""))
    payload = {
        "organisation_id": organisation_id,
        "goal_id": goal_id,
        "title": data.get("title", ""),
        "target_coins": number(data.get("target_coins", "")),
        "reward": data.get("reward", ""),
        "starts_on": data.get("starts_on", ""),
        "ends_on": data.get("ends_on", ""),
    }
    form = f"goal-{goal_id}" if goal_id else "goal-new"
    return await _send(
        request, organisation_id, form, "participation.set_goal", payload, data, _("Goal saved."), "#goal"
    )


@post("/admin/participation/{organisation_id:int}/goal/{goal_id:int}/remove", opt=GUARD, include_in_schema=False)
async def remove_goal(request: Request, organisation_id: FromPath[int], goal_id: FromPath[int]) -> Response:
    organisation_id, goal_id = path_id(organisation_id), path_id(goal_id)
    data = await form_data(request)
    return await _send(
        request,
        organisation_id,
        f"goal-{goal_id}",
        "participation.remove_goal",
        {"goal_id": goal_id},
        data,
        _("Goal removed."),
        "#goal",
    )


@post("/admin/participation/{organisation_id:int}/moments", opt=GUARD, include_in_schema=False)
async def add_moment(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    payload = {
        "organisation_id": organisation_id,
        "weekday": number(data.get("weekday", "")),
        "nth": number(data.get("nth", "")),
        "time": data.get("time", ""),
        "duration_minutes": number(data.get("duration_minutes", "")),
        "place": data.get("place", ""),
        "unit_id": optional_id(data.get("unit_id", "")),
    }
    return await _send(
        request,
        organisation_id,
        "moment-new",
        "participation.save_moment",
        payload,
        data,
        _("Consultation moment added."),
        "#moments",
    )


@post("/admin/participation/{organisation_id:int}/moments/{moment_id:int}/remove", opt=GUARD, include_in_schema=False)
async def remove_moment(request: Request, organisation_id: FromPath[int], moment_id: FromPath[int]) -> Response:
    organisation_id, moment_id = path_id(organisation_id), path_id(moment_id)
    data = await form_data(request)
    return await _send(
        request,
        organisation_id,
        f"moment-{moment_id}",
        "participation.remove_moment",
        {"moment_id": moment_id},
        data,
        _("Consultation moment stopped."),
        "#moments",
    )


TILE = (
    MANAGE,
    "/admin/participation",
    lazy("Participation"),
    lazy("Rooms, prices, coins, ambassadors, goal and fixed moments."),
)

handlers = [
    setup_page,
    save_settings,
    add_room,
    change_room,
    save_post,
    save_goal,
    remove_goal,
    add_moment,
    remove_moment,
]
