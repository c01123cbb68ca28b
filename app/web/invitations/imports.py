"""Bulk registration pages: upload (dry run, then apply), a run's results,
and their download as CSV or XLSX.

The upload never touches the disk: Litestar's form parser spools file parts
over 1 MB to a temporary file, so this route reads the raw body (at most
MAX_BODY, in memory) and splits the multipart parts itself. For the same
reason the route is excluded from the CSRF middleware (which would parse the
form first) and checks the token itself, from the HTMX header or the form.
"""

from __future__ import annotations

import uuid
from hmac import compare_digest

from litestar import Request, Response, get, post
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash
from litestar.params import FromPath
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser, parse_options_header

from app import i18n
from app.config import get_settings
from app.domain.admin.common import page_number, parse_id
from app.domain.admin.organisations import organisation_choices
from app.domain.commands import Command, Conflict, Outcome, execute
from app.domain.invitations.imports import plan as planning
from app.domain.invitations.imports import results
from app.domain.invitations.imports.problems import CODE_MEANINGS, MAX_BYTES, FileProblem, row_problem_text
from app.domain.invitations.imports.sandbox import read_upload
from app.domain.invitations.imports.staging import staged
from app.domain.invitations.queries import DELIVERY_LABELS, STATUS_LABELS
from app.i18n import _, lazy
from app.web.admin.forms import messages, path_id
from app.web.context import current_user, flash
from app.web.guards import permission
from app.web.pages import is_htmx, page, redirect

PERMISSION = "invitations.import"
# The file may be 10 MB; the other fields and the multipart framing need a
# little more. A bigger body is refused by Litestar with 413 before reading.
MAX_BODY = MAX_BYTES + 256 * 1024
NO_FILE = lazy("Choose a CSV or XLSX file.")
NO_ORGANISATION = lazy("Choose an organisation.")
CHANGED = lazy("This is not the file of the dry run. Check the results of this file, then apply.")
RESENT = lazy("This form was already sent with other values. Check them and send it again.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 1000  # a longer dry run shows only the rows that need attention
MODE_LABELS = {"create": lazy("Create invitations for everyone on the list"), "match": lazy("Only people already on the organisation's roster")}


def _scope(request: Request) -> frozenset[int] | None:
    return current_user(request).organisations_with(PERMISSION)


# -- reading the upload in memory ------------------------------------------


class Upload:
    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.data = b""
        self.filename = ""


def _parse_multipart(body: bytes, content_type: str) -> Upload:
    _kind, options = parse_options_header(content_type)
    boundary = options.get("boundary")
    if not boundary:
        raise ClientException("multipart boundary missing")
    upload = Upload()
    name, filename, buffer = None, None, bytearray()
    try:
        with PushMultipartParser(boundary, max_segment_count=20) as parser:
            for chunk in (body, b""):
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):  # a part's headers
                        name, filename, buffer = event.name, event.filename, bytearray()
                    elif event:  # a piece of its body
                        buffer.extend(event)
                    else:  # its end
                        _keep(upload, name, filename, buffer)
                        name, filename, buffer = None, None, bytearray()
    except (ParserError, ParserLimitReached):
        raise ClientException("unreadable form") from None
    return upload


def _keep(upload: Upload, name: str | None, filename: str | None, buffer: bytearray) -> None:
    if filename is not None:
        if name == "file":
            upload.data, upload.filename = bytes(buffer), filename
    elif name:
        upload.fields[name] = buffer.decode("utf-8", "replace").replace("\x00", "").strip()[:200]


def _check_csrf(request: Request, upload: Upload) -> None:
    cookie = request.cookies.get("werkpas_csrf") or ""
    sent = request.headers.get("x-csrftoken") or upload.fields.get("_csrf_token", "")
    secret = get_settings().secret_key

    def decoded(token: str) -> str | None:
        if len(token) < CSRF_SECRET_LENGTH + 1:
            return None
        head, tail = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
        return head if compare_digest(tail, generate_csrf_hash(token=head, secret=secret)) else None

    ours, theirs = decoded(cookie), decoded(sent)
    if ours is None or theirs is None or not compare_digest(ours, theirs):
        raise PermissionDeniedException("CSRF token verification failed")


async def _read_upload(request: Request) -> Upload:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise ClientException("not a file upload")
    upload = _parse_multipart(await request.body(), content_type)
    _check_csrf(request, upload)
    return upload


# -- pages -------------------------------------------------------------------


async def _form_context(request: Request, values: dict, errors: dict) -> dict:
    organisations = await organisation_choices(_scope(request))
    return {
        "values": {"mode": "create", **values},
        "errors": messages(errors),
        "organisation_options": [(o["id"], o["name"]) for o in organisations],
        "modes": [(value, _(label)) for value, label in MODE_LABELS.items()],
        "runs": await results.recent_runs(_scope(request)),
        "max_rows": 50000,
    }


async def _form(request: Request, values: dict, errors: dict, status_code: int = 200, **extra) -> Response:
    context = {**await _form_context(request, values, errors), "preview": None, **extra}
    return page(request, "invitations/imports.html", context, partial="invitations/_import_result.html", status_code=status_code)


@get("/invitations/imports", opt=permission(PERMISSION), include_in_schema=False)
async def upload_form(request: Request) -> Response:
    return await _form(request, {}, {})


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
    opt={**permission(PERMISSION), "exclude_from_csrf": True},
    include_in_schema=False,
    request_max_body_size=MAX_BODY,
)
async def upload(request: Request) -> Response:
    upload = await _read_upload(request)
    fields = upload.fields
    values = {key: fields.get(key, "") for key in ("organisation_id", "mode")}
    organisations = await organisation_choices(_scope(request))
    errors: dict[str, str] = {}
    organisation_id = _organisation(request, fields, organisations)
    if organisation_id is None:
        errors["organisation_id"] = NO_ORGANISATION
    mode = fields.get("mode", "create")
    if mode not in planning.MODES:
        mode, values["mode"] = "create", "create"
    if not upload.data and not upload.filename:
        errors["file"] = NO_FILE
    if errors:
        return await _form(request, values, errors, 422)
    try:
        parsed = await read_upload(upload.data)
    except FileProblem as problem:
        return await _form(request, values, {"file": problem.message()}, 422)
    if fields.get("action") == "apply":
        expected = fields.get("file_sha256", "")
        if expected and expected != parsed.digest:
            return await _preview(request, values, parsed, organisation_id, mode, 422, notice=_(CHANGED))
        return await _apply(request, values, parsed, organisation_id, mode, fields)
    return await _preview(request, values, parsed, organisation_id, mode)


async def _preview(request: Request, values: dict, parsed, organisation_id: int, mode: str, status_code: int = 200, notice: str = "") -> Response:
    plan = await planning.make_plan(parsed, organisation_id, mode)
    shown = plan.results if len(plan.results) <= PREVIEW_ROWS else [r for r in plan.results if r.code in (3, 4)][:PREVIEW_ROWS]
    rows = [
        {"number": r.number, "code": r.code, "name": " ".join(part for part in (r.last_name, r.first_name) if part), "problems": [row_problem_text(f, c) for f, c in r.problems.items()]}
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
    return await _form(request, {**values, "organisation_id": str(organisation_id), "mode": mode}, {}, status_code, preview=preview, meanings={code: _(text) for code, text in CODE_MEANINGS.items()})


async def _apply(request: Request, values: dict, parsed, organisation_id: int, mode: str, fields: dict) -> Response:
    user = current_user(request)
    try:
        command_id = uuid.UUID(fields.get("command_id", ""))
    except ValueError:
        command_id = uuid.uuid4()
    payload = {"organisation_id": organisation_id, "file_sha256": parsed.digest, "mode": mode, "file_kind": parsed.kind}
    command = Command(type="invitations.import_apply", payload=payload, actor_id=user.id, channel="web", id=command_id)
    try:
        async with staged(parsed):
            outcome = await execute(command)
    except Conflict:
        outcome = Outcome("rejected", command.id, errors={"_": RESENT})
    if not outcome.applied:
        return await _form(request, values, outcome.errors, 422)
    flash(request, _("The import was applied. The results are below and are being sent to you by e-mail."), "success")
    target = f"/invitations/imports/{outcome.ids['run_id']}"
    if is_htmx(request):
        # A full page load: the upload form (and its chosen file) is done.
        return Response(content="", status_code=200, headers={"HX-Redirect": target})
    return redirect(request, target)


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
        "invitations": [{**i, "status_label": _(STATUS_LABELS.get(i["status"], i["status"])), "delivery_label": _(DELIVERY_LABELS.get(i["delivery"], i["delivery"]))} for i in invitations],
        "invitation_total": invitation_total,
    }
    return page(request, "invitations/import_run.html", context, partial="invitations/_import_rows.html")


def _download(run: dict, body: bytes, extension: str, media_type: str) -> Response:
    filename = f"import-{run['id']}-results.{extension}"
    return Response(content=body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


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
    return Response(content=body, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="werkpas-staff-list.xlsx"'})


handlers = [upload_form, upload, example, show_run, results_csv, results_xlsx]
