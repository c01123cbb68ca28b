"""Bulk registration pages: upload (dry run, then apply), a run's results,
and their download as CSV or XLSX.

The upload never touches the disk: Litestar's form parser spools file parts
over 1 MB to a temporary file, so this route reads the raw body (at most
MAX_BODY, in memory) and splits the parts with our form parser. It is the one
route that takes more than 64 KB, so its body is read only after the
permission guard: the CSRF middleware checks the cookie (and a header token)
but leaves the body to the route, which checks the form's token itself.
"""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath

from app import i18n
from app.config import get_settings
from app.domain.core.access import Reach
from app.domain.core.ids import parse_id
from app.domain.core.pagination import page_number
from app.domain.invitations.imports import plan as planning
from app.domain.invitations.imports import results
from app.domain.invitations.imports.problems import CODE_MEANINGS, MAX_BYTES, FileProblem, row_problem_text
from app.domain.invitations.imports.sandbox import read_upload
from app.domain.invitations.payloads import import_payload
from app.domain.invitations.queries import DELIVERY_LABELS, STATUS_LABELS, organisations_for, unit_groups
from app.i18n import _, lazy
from app.web import csrf
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import MULTIPART, Form, clean, parse_body, path_id
from app.web.core.guards import permission
from app.web.core.pages import is_htmx, page, redirect

PERMISSION = "invitations.import"
# The file may be 10 MB; the other fields and the multipart framing need a
# little more. A bigger body is refused with 413 before reading (app/web/body_limit.py).
MAX_BODY = MAX_BYTES + 256 * 1024
NO_FILE = lazy("Choose a CSV or XLSX file.")
NO_ORGANISATION = lazy("Choose an organisation.")
NO_UNIT = lazy("Choose one of your units.")
CHANGED = lazy("This is not the file of the dry run. Check the results of this file, then apply.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 1000  # a longer dry run shows only the rows that need attention
MODE_LABELS = {
    "create": lazy("Create invitations for everyone on the list"),
    "match": lazy("Only people already on the organisation's roster"),
}


def _scope(request: Request) -> Reach:
    return signed_in_user(request).reach(PERMISSION)


# -- reading the upload in memory ------------------------------------------


class Upload:
    def __init__(self, form: Form) -> None:
        self.fields = {name: clean(value, 200) for name, value in ((name, form.first(name)) for name in form.keys())}  # noqa: SIM118 (Form has keys(), no __iter__)
        file = form.files.get("file")
        self.data, self.filename = (file.data, file.filename) if file else (b"", "")


async def _read_upload(request: Request) -> Upload:
    """The body, read only now (after the permission guard), parsed in memory
    by the one form parser, and its CSRF field checked like any other form's
    (the middleware checked the cookie, and the header token if there is one)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(MULTIPART):
        raise ClientException("not a file upload")
    form = parse_body(await request.body(), content_type, keep_files=True, max_parts=20)
    csrf.check(
        request.headers.get(csrf.HEADER) or form.first(csrf.FIELD),
        csrf.cookie_value(request.headers),
        get_settings().secret_key,
    )
    return Upload(form)


# -- pages -------------------------------------------------------------------


async def _form_context(request: Request, values: dict, errors: dict[str, str]) -> dict:
    """`errors`: messages by field, in the user's language."""
    organisations = await organisations_for(_scope(request))
    groups = await unit_groups(organisations, _scope(request))
    only = [unit for group in groups for unit in group["units"]]
    if "unit_id" not in values and len(only) == 1 and not any(group["whole"] for group in groups):
        values = {**values, "unit_id": str(only[0]["id"])}  # a role on one unit: that unit
    return {
        "values": {"mode": "create", **values},
        "errors": errors,
        "organisation_options": [(o["id"], o["name"]) for o in organisations],
        "unit_groups": groups,
        "modes": [(value, _(label)) for value, label in MODE_LABELS.items()],
        "runs": await results.recent_runs(_scope(request)),
        "max_rows": 50000,
    }


async def _form(request: Request, values: dict, errors: dict, status_code: int = 200, **extra) -> Response:
    context = {
        **await _form_context(request, values, errors),
        "preview": None,
        # A full page load empties the file field: applying needs the file again.
        "choose_again": not is_htmx(request),
        **extra,
    }
    return page(
        request, "invitations/imports.html", context, partial="invitations/_import_result.html", status_code=status_code
    )


@get("/invitations/imports", opt=permission(PERMISSION), include_in_schema=False)
async def upload_form(request: Request) -> Response:
    return await _form(request, {}, {})


async def _target(request: Request, organisation_id: int, unit_field: str) -> planning.Target | None:
    """The unit chosen for the upload (empty: the whole organisation), when
    the user may upload there."""
    unit_id = parse_id(unit_field) if unit_field else None
    if unit_field and unit_id is None:
        return None
    return await planning.target_for(_scope(request), organisation_id, unit_id)


def _organisation(request: Request, fields: dict, options: list) -> int | None:
    """The organisation of the upload: the user's only one, or the one chosen
    (platform admins and people with several)."""
    chosen = parse_id(fields.get("organisation_id"))
    allowed = [o["id"] for o in options]
    if chosen in allowed:
        return chosen
    if len(allowed) == 1 and not fields.get("organisation_id"):
        return allowed[0]
    return None


@post(
    "/invitations/imports",
    opt={**permission(PERMISSION), **csrf.READS_OWN_BODY},
    include_in_schema=False,
    request_max_body_size=MAX_BODY,
)
async def upload(request: Request) -> Response:
    upload = await _read_upload(request)
    fields = upload.fields
    values = {key: fields.get(key, "") for key in ("organisation_id", "unit_id", "mode")}
    organisations = await organisations_for(_scope(request))
    errors: dict[str, str] = {}
    organisation_id = _organisation(request, fields, organisations)
    target = None
    if organisation_id is None:
        errors["organisation_id"] = NO_ORGANISATION
    else:
        target = await _target(request, organisation_id, fields.get("unit_id", ""))
        if target is None:
            errors["unit_id"] = NO_UNIT
    mode = fields.get("mode", "create")
    if mode not in planning.MODES:
        mode, values["mode"] = "create", "create"
    if not upload.data and not upload.filename:
        errors["file"] = NO_FILE
    if errors or target is None:
        return await _form(request, values, {name: _(text) for name, text in errors.items()}, 422)
    try:
        parsed = await read_upload(upload.data)
    except FileProblem as problem:
        return await _form(request, values, {"file": problem.message()}, 422)
    if fields.get("action") == "apply":
        expected = fields.get("file_sha256", "")
        if expected and expected != parsed.digest:
            return await _preview(request, values, parsed, target, mode, 422, notice=_(CHANGED))
        return await _apply(request, values, parsed, target, mode, fields)
    return await _preview(request, values, parsed, target, mode)


async def _preview(
    request: Request, values: dict, parsed, target: planning.Target, mode: str, status_code: int = 200, notice: str = ""
) -> Response:
    plan = await planning.make_plan(parsed, target, mode)
    organisation_id = target.organisation_id
    shown = (
        plan.results
        if len(plan.results) <= PREVIEW_ROWS
        else [r for r in plan.results if r.code in (3, 4)][:PREVIEW_ROWS]
    )
    rows = [
        {
            "number": r.number,
            "code": r.code,
            "name": " ".join(part for part in (r.last_name, r.first_name) if part),
            "problems": [row_problem_text(f, c) for f, c in r.problems.items()],
        }
        for r in shown
    ]
    preview = {
        "rows": rows,
        "limited": len(shown) < len(plan.results),
        "counts": plan.counts(),
        "digest": parsed.digest,
        "organisation": plan.organisation["name"],
        "notice": notice,
    }
    return await _form(
        request,
        {**values, "organisation_id": str(organisation_id), "mode": mode},
        {},
        status_code,
        preview=preview,
        meanings={code: _(text) for code, text in CODE_MEANINGS.items()},
    )


async def _apply(request: Request, values: dict, parsed, target: planning.Target, mode: str, fields: dict) -> Response:
    payload = import_payload(parsed, target.organisation_id, target.unit_id, mode)
    outcome = await run(request, "invitations.import_apply", payload, fields)
    if not outcome.applied:
        return await _form(request, values, messages(outcome), 422)
    flash(request, _("The import was applied. The results are below and are being sent to you by e-mail."), "success")
    location = f"/invitations/imports/{outcome.ids['run_id']}"
    if is_htmx(request):
        # A full page load: the upload form (and its chosen file) is done.
        return Response(content="", status_code=200, headers={"HX-Redirect": location})
    return redirect(request, location)


async def _run(request: Request, run_id: int) -> dict:
    run = await results.get_run(path_id(run_id), _scope(request))
    if run is None:
        raise NotFoundException()
    return run


@get("/invitations/imports/{run_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def show_run(request: Request, run_id: FromPath[int]) -> Response:
    run = await _run(request, run_id)
    code = parse_id(request.query_params.get("code"))
    code = code if code in (1, 2, 3, 4) else None
    rows = await results.run_rows(run["id"], code, page_number(request.query_params.get("page")))
    invitations, invitation_total = await results.run_invitations(run["id"])
    context = {
        "run": run,
        "rows": rows,
        "code": code,
        "query": {"code": str(code or "")},
        "meanings": {number: _(text) for number, text in CODE_MEANINGS.items()},
        "mode_label": _(MODE_LABELS.get(run["mode"], MODE_LABELS["create"])),
        "invitations": [
            {
                **i,
                "status_label": _(STATUS_LABELS.get(i["status"], i["status"])),
                "delivery_label": _(DELIVERY_LABELS.get(i["delivery"], i["delivery"])),
            }
            for i in invitations
        ],
        "invitation_total": invitation_total,
    }
    return page(request, "invitations/import_run.html", context, partial="invitations/_import_rows.html")


def _download(run: dict, body: bytes, extension: str, media_type: str) -> Response:
    filename = f"import-{run['id']}-results.{extension}"
    return Response(
        content=body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@get("/invitations/imports/{run_id:int}/results.csv", opt=permission(PERMISSION), include_in_schema=False)
async def results_csv(request: Request, run_id: FromPath[int]) -> Response:
    run = await _run(request, run_id)
    return _download(run, results.export_csv(await results.all_rows(run["id"])), "csv", "text/csv; charset=utf-8")


@get("/invitations/imports/{run_id:int}/results.xlsx", opt=permission(PERMISSION), include_in_schema=False)
async def results_xlsx(request: Request, run_id: FromPath[int]) -> Response:
    run = await _run(request, run_id)
    return _download(run, results.export_xlsx(await results.all_rows(run["id"])), "xlsx", XLSX)


@get("/invitations/imports/example.xlsx", opt=permission(PERMISSION), include_in_schema=False)
async def example(request: Request) -> Response:
    body = results.example_xlsx(i18n.current_language())
    return Response(
        content=body, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="werkpas-staff-list.xlsx"'}
    )


handlers = [upload_form, upload, example, show_run, results_csv, results_xlsx]
