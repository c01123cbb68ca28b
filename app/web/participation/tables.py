"""Tables: opening one (/participation/tables/new) and a table's page with
its seats, buying and giving back a chair, cancelling, inviting colleagues,
the thread before the meeting and turning a practice table into a real one.

A table of another organisation answers a plain 404; a table of a subgroup
the person cannot see answers 404 with the not_visible message."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.core.ids import parse_id
from app.domain.core.reasons import PAYLOAD, message
from app.domain.participation.home import CHANNEL_LABELS, open_form_of, table_page
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import clean, form_data, parsed_form, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.participation.common import chosen_member
from app.web.participation.home import labels

TAKE_PART = "participation.take_part"
LONG_TEXT = 5000  # the payloads refuse more than 4000 characters with a message
TEXT_FIELDS = ("title", "about", "why", "preferred_moments", "body")
# A choice that did not come from the list: the message of its own code.
CHOICE_CODES = {
    "room_id": "room_unknown",
    "author_id": "author_unknown",
    "unit_id": "unit_unknown",
    "user_id": "invitee_unknown",
}
ACROSS_SUBGROUPS = lazy("Only an ambassador invites colleagues of another subgroup.")


async def _fields(request: Request) -> dict[str, str]:
    """The form's fields, long texts kept whole (cut far above their limit,
    so a too long text is refused with a message, never cut silently)."""
    data = await form_data(request)
    form = await parsed_form(request)
    for name in TEXT_FIELDS:
        if name in form.values:
            data[name] = clean(form.first(name), LONG_TEXT)
    return data


def _messages(outcome) -> dict[str, str]:
    errors = messages(outcome)
    for key, code in outcome.errors.items():
        if key in CHOICE_CODES and code in PAYLOAD:
            errors[key] = message(CHOICE_CODES[key], "participation")
    if outcome.code("user_id") == "not_visible":
        errors["user_id"] = _(ACROSS_SUBGROUPS)
    return errors


async def _open_page(request: Request, values: dict, errors: dict, status_code: int = 200) -> Response:
    me, organisations = await chosen_member(request)
    context = {
        **await open_form_of(me),
        "member": me,
        "organisations": organisations,
        "values": values,
        "errors": errors,
        "channel_labels": {code: _(text) for code, text in CHANNEL_LABELS.items() if code != "web"},
    }
    return page(request, "participation/tables/new.html", context, status_code=status_code)


@get("/participation/tables/new", opt=permission(TAKE_PART), include_in_schema=False)
async def new_table(request: Request) -> Response:
    return await _open_page(request, {}, {})


@post("/participation/tables/new", opt=permission(TAKE_PART), include_in_schema=False)
async def open_table(request: Request) -> Response:
    data = await _fields(request)
    payload: dict = {
        "room_id": parse_id(data.get("room_id")) or 0,
        "title": data.get("title", ""),
        "about": data.get("about", ""),
        "why": data.get("why", ""),
        "preferred_moments": data.get("preferred_moments", ""),
        "practice": data.get("practice") == "1",
    }
    if data.get("author_id"):
        payload["author_id"] = parse_id(data["author_id"]) or 0
        payload["channel"] = data.get("channel") or "paper"
    if data.get("unit_id"):
        payload["unit_id"] = parse_id(data["unit_id"]) or 0
    outcome = await run(request, "participation.open_table", payload, data)
    if not outcome.applied:
        return await _open_page(request, data, _messages(outcome), status_code=422)
    flash(request, _("Your table is open. Colleagues can now buy a chair."), "success")
    return redirect(request, f"/participation/tables/{outcome.ids['table_id']}")


async def _table(
    request: Request,
    table_id: int,
    errors: dict | None = None,
    form: str = "",
    values: dict | None = None,
    status_code: int = 200,
) -> Response:
    found = await table_page(table_id, signed_in_user(request))
    if found is None:
        raise NotFoundException()
    if isinstance(found, str):  # a subgroup the person cannot see
        text = message(found, "participation")
        return page(request, "participation/tables/not_visible.html", {"text": text}, status_code=404)
    context = {
        "view": found,
        "errors": errors or {},
        "form": form,
        "values": values or {},
        "channel_labels": {code: _(text) for code, text in CHANNEL_LABELS.items()},
        **labels(),
    }
    return page(
        request,
        "participation/tables/show.html",
        context,
        status_code=status_code,
        partial="participation/tables/_body.html",
    )


@get("/participation/tables/{table_id:int}", opt=permission(TAKE_PART), include_in_schema=False)
async def show_table(request: Request, table_id: FromPath[int]) -> Response:
    return await _table(request, path_id(table_id))


DONE = {
    "participation.buy_chair": lazy("You have a chair at this table."),
    "participation.give_back_chair": lazy("You gave back your chair: its coins are back in your wallet."),
    "participation.cancel_table": lazy("The table is cancelled. Everyone at it got their coins back."),
    "participation.invite": lazy("Your colleague is invited."),
    "participation.post_message": lazy("Your message is posted."),
    "participation.make_real": lazy("This is a real table now: play coins are back, real coins are paid."),
}


async def _act(
    request: Request, table_id: int, command: str, form: str, extra: Callable[[dict], dict] | None = None
) -> Response:
    table_id = path_id(table_id)
    data = await _fields(request)
    payload = {"table_id": table_id, **(extra(data) if extra else {})}
    outcome = await run(request, command, payload, data)
    if outcome.applied:
        flash(request, _(DONE[command]), "success")
        return redirect(request, f"/participation/tables/{table_id}")
    if outcome.code() == "not_visible":
        return await _table(request, table_id)  # answers the not_visible page
    return await _table(request, table_id, _messages(outcome), form, data, status_code=422)


@post("/participation/tables/{table_id:int}/chairs", opt=permission(TAKE_PART), include_in_schema=False)
async def buy_chair(request: Request, table_id: FromPath[int]) -> Response:
    return await _act(
        request,
        table_id,
        "participation.buy_chair",
        "buy",
        lambda d: {"practice": True} if d.get("practice") == "1" else {},
    )


@post("/participation/tables/{table_id:int}/give-back", opt=permission(TAKE_PART), include_in_schema=False)
async def give_back_chair(request: Request, table_id: FromPath[int]) -> Response:
    return await _act(request, table_id, "participation.give_back_chair", "give_back")


@post("/participation/tables/{table_id:int}/cancel", opt=permission(TAKE_PART), include_in_schema=False)
async def cancel_table(request: Request, table_id: FromPath[int]) -> Response:
    return await _act(request, table_id, "participation.cancel_table", "cancel")


@post("/participation/tables/{table_id:int}/invite", opt=permission(TAKE_PART), include_in_schema=False)
async def invite(request: Request, table_id: FromPath[int]) -> Response:
    return await _act(
        request, table_id, "participation.invite", "invite", lambda d: {"user_id": parse_id(d.get("user_id")) or 0}
    )


@post("/participation/tables/{table_id:int}/messages", opt=permission(TAKE_PART), include_in_schema=False)
async def post_message(request: Request, table_id: FromPath[int]) -> Response:
    return await _act(request, table_id, "participation.post_message", "message", lambda d: {"body": d.get("body", "")})


@post("/participation/tables/{table_id:int}/make-real", opt=permission(TAKE_PART), include_in_schema=False)
async def make_real(request: Request, table_id: FromPath[int]) -> Response:
    return await _act(request, table_id, "participation.make_real", "make_real")


handlers: list = [
    new_table,
    open_table,
    show_table,
    buy_chair,
    give_back_chair,
    cancel_table,
    invite,
    post_message,
    make_real,
]
