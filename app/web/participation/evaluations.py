"""/participation/tables/{id}/evaluation: a participant answers the
evaluation of a held meeting (seed 002, section 4.5), once, and may change
the answer for 7 days."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.core.reasons import Reason, message
from app.domain.participation.evaluations import EDIT_DAYS, FACES, Place, form_values, place_of, read_answers
from app.i18n import _
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import parsed_form, path_id, without_nul
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

PERMISSION = "participation.take_part"
FIELDS = (
    "process",
    "process_typed",
    "satisfaction",
    "sentence",
    "heard",
    "opinion",
    "expected",
    "drifted",
    "drift_helped",
    "duration",
    "duration_typed",
    "other",
    "mode",
    "command_id",
)


async def _place(request: Request, table_id: int) -> Place:
    found = await place_of(signed_in_user(request), table_id)
    if found is None:
        raise NotFoundException()
    return found


def _render(
    request: Request,
    place: Place,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    changing: bool = False,
    status_code: int = 200,
) -> Response:
    editing = changing and place.evaluation is not None and place.may_edit
    context: dict[str, Any] = {
        "place": place,
        "table": place.table,
        "values": values if values is not None else (form_values(place.evaluation) if editing else {}),
        "errors": errors or {},
        "mode": "update" if editing else "submit",
        "show_form": place.may_answer and (place.evaluation is None or editing),
        "faces": [(value, _(label)) for value, label in FACES],
        "edit_days": EDIT_DAYS,
    }
    return page(
        request,
        "participation/evaluation/form.html",
        context,
        partial="participation/evaluation/_body.html",
        status_code=status_code,
    )


@get("/participation/tables/{table_id:int}/evaluation", opt=permission(PERMISSION), include_in_schema=False)
async def evaluation_page(request: Request, table_id: FromPath[int]) -> Response:
    place = await _place(request, path_id(table_id))
    return _render(request, place, changing=request.query_params.get("change") == "1")


@post("/participation/tables/{table_id:int}/evaluation", opt=permission(PERMISSION), include_in_schema=False)
async def evaluation_send(request: Request, table_id: FromPath[int]) -> Response:
    table_id = path_id(table_id)
    form = await parsed_form(request)
    data = {name: without_nul(form.first(name)) for name in FIELDS}
    updating = data["mode"] == "update"
    answers, problems = read_answers(data)
    if problems:
        errors = {
            name: message(Reason(code, name, params), "participation") for name, (code, params) in problems.items()
        }
        return _render(
            request, await _place(request, table_id), values=data, errors=errors, changing=updating, status_code=422
        )
    command = "participation.update_evaluation" if updating else "participation.submit_evaluation"
    outcome = await run(request, command, {"table_id": table_id, "answers": answers}, data)
    if not outcome.applied:
        place = await _place(request, table_id)
        if outcome.code() in ("already_evaluated", "evaluation_closed"):
            # The answer that is stored stays as it is: show it, with the way to change it.
            return _render(request, place, errors=messages(outcome), status_code=422)
        return _render(request, place, values=data, errors=messages(outcome), changing=updating, status_code=422)
    if updating:
        flash(request, _("Your answer is changed. Thank you."), "success")
    else:
        flash(
            request,
            _("Thank you: your answer is saved. You can change it for %(days)d days.", days=EDIT_DAYS),
            "success",
        )
    return redirect(request, f"/participation/tables/{table_id}/evaluation")


handlers: list = [evaluation_page, evaluation_send]
