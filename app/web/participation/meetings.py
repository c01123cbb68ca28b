"""/participation/tables/{id}/meeting: the meeting page, by phase.

Before: date, time and place (with the schedule form for the moderator and
the fixed consultation moments), the moderator and note-taker, the agenda,
guests, the start button. Running: the agenda, a countdown to the planned
end, the moderator's checklist and the live minutes (the note-taker writes
with autosave; the others see them update every 3 seconds, HTMX polling).
After: the published minutes (read-only), the action points (still
editable, with their history), who reads the minutes, the outcome ("what
we did") and the evaluation.

Every form works without JavaScript: a refusal renders the page again
(422) with the values kept and the message beside the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath

from app.domain.core.commands import Outcome
from app.domain.core.ids import is_number, parse_id
from app.domain.core.reasons import Rejected
from app.domain.participation.actions import STATUSES
from app.domain.participation.meeting_view import MeetingView, meeting_view
from app.domain.participation.meeting_view import live_minutes as live_minutes_of
from app.domain.participation.visibility import MINUTES_VISIBILITY
from app.i18n import TIMEZONE, _, format_datetime, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, parsed_form, path_id, without_nul
from app.web.core.guards import permission
from app.web.core.pages import is_htmx, page, redirect

TAKE_PART = permission("participation.take_part")
TEMPLATE = "participation/meeting/page.html"

VISIBILITY_LABELS = {
    "organisation": lazy("The whole organisation"),
    "subgroup": lazy("The table's subgroup"),
    "participants": lazy("Only the people at the table"),
}
PHASE_LABELS = {
    "proposed": lazy("Proposed: no date yet"),
    "planned": lazy("Planned"),
    "running": lazy("The meeting is running"),
    "held": lazy("Held: the minutes are published"),
    "cancelled": lazy("Cancelled"),
}
ROLE_LABELS = {"opener": lazy("opener"), "chair": lazy("chair holder"), "guest": lazy("guest")}
FIELD_LABELS = {"status": lazy("Status"), "what": lazy("What"), "who": lazy("Who"), "due_on": lazy("Due date")}

# ASCII digits only: \d would also read Arabic-Indic digits as a date.
DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$", re.ASCII)
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", re.ASCII)
CLOCK = re.compile(r"^\s*(\d{1,2})[:.hu](\d{2})\s*$", re.ASCII)


def parse_day(text: str) -> date | None:
    """dd/mm/yyyy (also with - or .), or yyyy-mm-dd."""
    found = DATE.match(text or "")
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        found = ISO_DATE.match(text or "")
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return None


def parse_clock(text: str) -> time | None:
    found = CLOCK.match(text or "")
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def brussels(day: date, clock: time) -> str:
    """The form's date and time in Brussels as ISO 8601 with its offset."""
    return datetime.combine(day, clock, tzinfo=TIMEZONE).isoformat()


async def _view(request: Request, table_id: int) -> MeetingView:
    try:
        return await meeting_view(table_id, signed_in_user(request))
    except Rejected as rejected:
        if "not_visible" in rejected.codes.values():
            raise _NotVisible() from None
        raise NotFoundException() from None


class _NotVisible(Exception):
    pass


class _NotVisibleResponse(PermissionDeniedException):
    """The live fragment of a table of a subgroup one cannot see."""


# The forms drawn only for who may use them: a refusal of one that is not
# drawn (a stale page, a changed role) is shown at the top of the page.
FORM_SHOWN = {
    "schedule": "can_schedule",
    "roles": "can_choose_roles",
    "guest": "can_add_guest",
    "visibility": "can_set_visibility",
    "outcome": "can_record_outcome",
    "action": "can_edit_actions",
    "start": "can_start",
    "close": "can_close",
}


def _unshown(view: MeetingView, errors: dict[str, dict[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for form, messages_of_form in errors.items():
        flag = FORM_SHOWN.get(form.split("-", 1)[0])
        if flag and not getattr(view, flag):
            for message in messages_of_form.values():
                found.setdefault(str(len(found)), message)
    return {"_": " ".join(found.values())} if found else {}


def _choices(view: MeetingView) -> dict:
    """The select options and the schedule form's current values."""
    people = [(person["user_id"], person["name"]) for person in view.participants]
    roles = list(people)
    # An ambassador made moderator by the job has no seat, and stays choosable.
    if view.table["moderator"] and view.table["moderator"] not in {user_id for user_id, _name in people}:
        roles.append((view.table["moderator"], view.moderator_name))
    starts = view.table["starts_at"]
    local = starts.astimezone(TIMEZONE) if starts else None
    return {
        "people_choices": people,
        "role_choices": roles,
        "moment_choices": [
            (f"{m['id']}|{m['starts_at'].isoformat()}", f"{format_datetime(m['starts_at'], 'full')} · {m['place']}")
            for m in view.moments
        ],
        "schedule_defaults": {
            "date": local.strftime("%d/%m/%Y") if local else "",
            "time": local.strftime("%H:%M") if local else "",
            "place": view.table["place"],
            "duration": view.table["duration_minutes"],
        },
    }


def _labels() -> dict:
    return {
        "visibility_labels": {key: _(VISIBILITY_LABELS[key]) for key in MINUTES_VISIBILITY},
        "phase_labels": {key: _(label) for key, label in PHASE_LABELS.items()},
        "role_labels": {key: _(label) for key, label in ROLE_LABELS.items()},
        "status_labels": {key: _(label) for key, label in STATUSES.items()},
        "field_labels": {key: _(label) for key, label in FIELD_LABELS.items()},
    }


async def _page(
    request: Request,
    table_id: int,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    conflict: dict | None = None,
    status_code: int = 200,
    partial: str | None = None,
) -> Response:
    try:
        view = await _view(request, table_id)
    except _NotVisible:
        return page(
            request,
            "participation/meeting/not_visible.html",
            {"table_id": table_id},
            status_code=403,
        )
    context = {
        "page_errors": _unshown(view, errors or {}),
        **_choices(view),
        "view": view,
        "table": view.table,
        "base": f"/participation/tables/{table_id}/meeting",
        "errors": errors or {},
        "values": values or {},
        "conflict": conflict,
        **_labels(),
    }
    return page(request, TEMPLATE, context, partial=partial, status_code=status_code)


@get("/participation/tables/{table_id:int}/meeting", opt=TAKE_PART, include_in_schema=False)
async def meeting_page(request: Request, table_id: FromPath[int]) -> Response:
    return await _page(request, path_id(table_id))


@get("/participation/tables/{table_id:int}/meeting/minutes", opt=TAKE_PART, include_in_schema=False)
async def live_minutes(request: Request, table_id: FromPath[int]) -> Response:
    """The live minutes for the others at the table (HTMX polls it every 3
    seconds); a normal request gets the whole page."""
    table_id = path_id(table_id)
    if not is_htmx(request):
        return await _page(request, table_id)
    try:
        view = await live_minutes_of(table_id, signed_in_user(request))
    except Rejected as rejected:
        raise NotFoundException() if "not_found" in rejected.codes.values() else _NotVisibleResponse() from None
    return page(
        request,
        "participation/meeting/_minutes_live.html",
        {"view": view, "base": f"/participation/tables/{table_id}/meeting"},
    )


async def _act(
    request: Request,
    table_id: int,
    form: str,
    type: str,
    payload: dict,
    data: dict[str, str],
    done: str,
    anchor: str,
) -> Response:
    outcome = await run(request, type, payload, data)
    return await _answer(request, table_id, form, outcome, data, done, anchor)


async def _answer(
    request: Request, table_id: int, form: str, outcome: Outcome, data: dict, done: str, anchor: str
) -> Response:
    if not outcome.applied:
        return await _page(request, table_id, errors={form: messages(outcome)}, values={form: data}, status_code=422)
    flash(request, _(done), "success")
    return redirect(request, f"/participation/tables/{table_id}/meeting#{anchor}")


def _id(text: str | None) -> int | None:
    """An id from a form (ASCII digits only), or None."""
    return parse_id(text)


@post("/participation/tables/{table_id:int}/meeting/schedule", opt=TAKE_PART, include_in_schema=False)
async def schedule(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    payload: dict = {"table_id": table_id, "place": data.get("place", "")}
    if data.get("duration"):
        payload["duration_minutes"] = _id(data["duration"]) or 0
    chosen = data.get("moment", "")
    if chosen:
        moment_id, _sep, starts_at = chosen.partition("|")
        payload.update(moment_id=_id(moment_id) or 0, starts_at=starts_at)
        payload.pop("duration_minutes", None)
    else:
        day, clock = parse_day(data.get("date", "")), parse_clock(data.get("time", ""))
        errors = {}
        if day is None:
            errors["date"] = "starts_at_invalid"
        if clock is None:
            errors["time"] = "starts_at_invalid"
        if errors:
            return await _page(
                request,
                table_id,
                errors={"schedule": messages(errors, "participation")},
                values={"schedule": data},
                status_code=422,
            )
        assert day is not None and clock is not None
        payload["starts_at"] = brussels(day, clock)
    outcome = await run(request, "participation.schedule_meeting", payload, data)
    if not outcome.applied:
        errors = messages(outcome)
        if "starts_at" in errors:
            errors["date"] = errors.pop("starts_at")
        if "moment_id" in errors:
            errors["moment"] = errors.pop("moment_id")
        return await _page(request, table_id, errors={"schedule": errors}, values={"schedule": data}, status_code=422)
    sent = outcome.ids.get("invitations", 0)
    text = _("Saved: the date and place are set.")
    if sent:
        text += " " + _("Everyone at the table gets the invitation by e-mail.")
    flash(request, text, "success")
    return redirect(request, f"/participation/tables/{table_id}/meeting#when")


@post("/participation/tables/{table_id:int}/meeting/roles", opt=TAKE_PART, include_in_schema=False)
async def roles(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    payload = {
        "table_id": table_id,
        "moderator_id": _id(data.get("moderator_id")),
        "note_taker_id": _id(data.get("note_taker_id")),
    }
    return await _act(
        request,
        table_id,
        "roles",
        "participation.choose_roles",
        payload,
        data,
        lazy("Saved: the moderator and note-taker are chosen."),
        "roles",
    )


@post("/participation/tables/{table_id:int}/meeting/start", opt=TAKE_PART, include_in_schema=False)
async def start(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "start",
        "participation.start_meeting",
        {"table_id": table_id},
        data,
        lazy("The meeting has started."),
        "minutes",
    )


@post("/participation/tables/{table_id:int}/meeting/close", opt=TAKE_PART, include_in_schema=False)
async def close(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "close",
        "participation.close_meeting",
        {"table_id": table_id},
        data,
        lazy("The meeting is closed: the minutes are published and the coins are back in the wallets."),
        "minutes",
    )


@post("/participation/tables/{table_id:int}/meeting/guests", opt=TAKE_PART, include_in_schema=False)
async def guests(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "guest",
        "participation.add_guest",
        {"table_id": table_id, "email": data.get("email", "")},
        data,
        lazy("The guest is added."),
        "people",
    )


@post("/participation/tables/{table_id:int}/meeting/agenda", opt=TAKE_PART, include_in_schema=False)
async def add_agenda(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "agenda",
        "participation.add_agenda_point",
        {"table_id": table_id, "text": data.get("text", "")},
        data,
        lazy("The point is on the agenda."),
        "agenda",
    )


@post("/participation/tables/{table_id:int}/meeting/agenda/{point_id:int}/move", opt=TAKE_PART, include_in_schema=False)
async def move_agenda(request: Request, table_id: FromPath[int], point_id: FromPath[int]) -> Response:
    table_id, point_id = path_id(table_id), path_id(point_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "agenda",
        "participation.move_agenda_point",
        {"point_id": point_id, "direction": data.get("direction", "")},
        data,
        lazy("The agenda is reordered."),
        "agenda",
    )


@post(
    "/participation/tables/{table_id:int}/meeting/agenda/{point_id:int}/remove",
    opt=TAKE_PART,
    include_in_schema=False,
)
async def remove_agenda(request: Request, table_id: FromPath[int], point_id: FromPath[int]) -> Response:
    table_id, point_id = path_id(table_id), path_id(point_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "agenda",
        "participation.remove_agenda_point",
        {"point_id": point_id},
        data,
        lazy("The point is removed from the agenda."),
        "agenda",
    )


@post("/participation/tables/{table_id:int}/meeting/minutes", opt=TAKE_PART, include_in_schema=False)
async def save_minutes(request: Request, table_id: FromPath[int]) -> Response:
    """Autosave (HTMX: answers the save state only) and the Save button
    (without JS: the page again). A conflict shows both texts."""
    table_id = path_id(table_id)
    data = await form_data(request)
    form = await full_text(request, "body")
    version_text = data.get("seen_version" if data.get("resolve") else "version", "")
    version = int(version_text) if is_number(version_text) and len(version_text) < 10 else -1
    payload = {"table_id": table_id, "body": form, "version": version}
    outcome = await run(request, "participation.save_minutes", payload, data)
    state = "participation/meeting/_minutes_state.html"
    if outcome.applied:
        if is_htmx(request):
            return page(
                request,
                state,
                {
                    "base": f"/participation/tables/{table_id}/meeting",
                    "saved_version": outcome.ids["version"],
                    "state": "saved",
                    "conflict_version": None,
                },
            )
        flash(request, _("The minutes are saved."), "success")
        return redirect(request, f"/participation/tables/{table_id}/meeting#minutes")
    conflict = None
    if outcome.code("body") == "minutes_conflict":
        view = await _view(request, table_id)
        conflict = {
            "mine": form,
            "theirs": view.minutes_text,
            "version": view.minutes_version,
            # The version the writer's text is based on: autosaves stay on it
            # (and keep being refused) until "Save my merged text".
            "base": max(version, 0),
            "by": (view.minutes or {}).get("updated_by_name"),
        }
    errors = messages(outcome)
    if is_htmx(request):
        return page(
            request,
            state,
            {
                "base": f"/participation/tables/{table_id}/meeting",
                "saved_version": max(version, 0),
                "state": "refused",
                "conflict_version": None,
                "error": next(iter(errors.values())),
                "conflict": conflict,
            },
            status_code=422,
        )
    return await _page(
        request,
        table_id,
        errors={"minutes": errors},
        values={"minutes": {"body": form}},
        conflict=conflict,
        status_code=422,
    )


async def full_text(request: Request, name: str) -> str:
    """A long text field as typed (form_data cuts fields at 1000 characters;
    minutes and outcomes are longer), without NUL characters: the payload's
    own limit refuses what is too long."""
    form = await parsed_form(request)
    return without_nul(form.first(name))


def _action_payload(data: dict[str, str]) -> tuple[dict, dict[str, str]]:
    payload: dict = {"status": data.get("status", "open")}
    errors: dict[str, str] = {}
    if "what" in data:
        payload["what"] = data["what"]
    if "who" in data:
        who = data["who"]
        if parse_id(who) is not None:
            payload["who_id"] = _id(who)
            payload["who_text"] = ""
        else:
            payload["who_id"] = None
            payload["who_text"] = data.get("who_text", "")
    if "due" in data:
        if data["due"]:
            day = parse_day(data["due"])
            if day is None:
                errors["due"] = "action_due_invalid"
            else:
                payload["due_on"] = day.isoformat()
        else:
            payload["due_on"] = ""
    return payload, errors


def _action_errors(outcome: Outcome) -> dict[str, str]:
    errors = messages(outcome)
    for domain_name, form_name in (("who_id", "who"), ("due_on", "due")):
        if domain_name in errors:
            errors[form_name] = errors.pop(domain_name)
    return errors


@post("/participation/tables/{table_id:int}/meeting/actions", opt=TAKE_PART, include_in_schema=False)
async def add_action(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    payload, errors = _action_payload(data)
    if errors:
        return await _page(
            request,
            table_id,
            errors={"action": messages(errors, "participation")},
            values={"action": data},
            status_code=422,
        )
    if not payload.get("due_on"):
        payload.pop("due_on", None)
    outcome = await run(request, "participation.add_action_point", {"table_id": table_id, **payload}, data)
    if not outcome.applied:
        return await _page(
            request, table_id, errors={"action": _action_errors(outcome)}, values={"action": data}, status_code=422
        )
    flash(request, _("The action point is added."), "success")
    return redirect(request, f"/participation/tables/{table_id}/meeting#actions")


@post("/participation/tables/{table_id:int}/meeting/actions/{action_id:int}", opt=TAKE_PART, include_in_schema=False)
async def update_action(request: Request, table_id: FromPath[int], action_id: FromPath[int]) -> Response:
    table_id, action_id = path_id(table_id), path_id(action_id)
    data = await form_data(request)
    form = f"action-{action_id}"
    payload, errors = _action_payload(data)
    if errors:
        return await _page(
            request, table_id, errors={form: messages(errors, "participation")}, values={form: data}, status_code=422
        )
    outcome = await run(request, "participation.update_action_point", {"action_point_id": action_id, **payload}, data)
    if not outcome.applied:
        return await _page(
            request, table_id, errors={form: _action_errors(outcome)}, values={form: data}, status_code=422
        )
    flash(request, _("The action point is saved."), "success")
    return redirect(request, f"/participation/tables/{table_id}/meeting#action-{action_id}")


@post("/participation/tables/{table_id:int}/meeting/visibility", opt=TAKE_PART, include_in_schema=False)
async def visibility(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "visibility",
        "participation.set_minutes_visibility",
        {"table_id": table_id, "visibility": data.get("visibility", "")},
        data,
        lazy("Saved: who reads the minutes."),
        "visibility",
    )


@post("/participation/tables/{table_id:int}/meeting/outcome", opt=TAKE_PART, include_in_schema=False)
async def outcome(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    data = await form_data(request)
    return await _act(
        request,
        table_id,
        "outcome",
        "participation.record_outcome",
        {"table_id": table_id, "outcome": await full_text(request, "outcome")},
        data,
        lazy("Saved: what was done with the result."),
        "outcome",
    )


handlers: list = [
    meeting_page,
    live_minutes,
    schedule,
    roles,
    start,
    close,
    guests,
    add_agenda,
    move_agenda,
    remove_agenda,
    save_minutes,
    add_action,
    update_action,
    visibility,
    outcome,
]
