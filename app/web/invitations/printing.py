"""Downloads of invitation sheets and kiosk badges as PDF.

GET  /invitations/sheets.pdf?ids=1,2,3            sheets for chosen invitations
POST /invitations/sheets.pdf  (ids)               the same from a form
GET  /invitations/imports/{run}/sheets.pdf        sheets for an import run
POST /invitations/badges.pdf  (ids | person_ids | run_id, renew)
     badges; a POST because it issues a badge to whoever has none yet.
POST /invitations/print  (ids | all_on_page + page_ids, kind, renew)
     the list's print buttons: a PDF download cannot also say what it did,
     so this sorts the ticked invitations into printable and skipped ones
     (badges are issued here), keeps that summary in the session and goes
     back to the list, which shows it with the download of the printable ones.

Ids outside the user's organisations answer 404; an empty or malformed
selection, or one where nothing is printable, gets an explanation (422)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.core.access import Reach
from app.domain.core.ids import parse_id
from app.domain.invitations import queries as listing
from app.domain.invitations.printing import badges, queries, sheets
from app.i18n import _, lazy, ngettext
from app.web.core.commands import messages
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import command_id, read_fields, read_form
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

PERMISSION = badges.PERMISSION
MAX_SELECTION = 5000

EMPTY = lazy("Choose at least one invitation or person to print.")
MALFORMED = lazy("The selection could not be read. Go back to the list and choose again.")
TOO_MANY = lazy("Choose at most 5000 at a time.")
NOTHING_OPEN = lazy("None of the chosen invitations can be printed: they are registered, revoked or expired.")
NOTHING_TICKED = lazy("Nothing was printed: tick at least one invitation first.")
RESULT_KEY = "invitations.print"


class Problem(Exception):
    def __init__(self, message: str):
        self.message = message


def _scope(request: Request) -> Reach:
    return signed_in_user(request).reach(PERMISSION)


def parse_ids(values: list[str]) -> list[int]:
    """Ids from repeated fields and/or comma-separated lists ("1,2,3")."""
    pieces = [piece.strip() for value in values for piece in str(value).split(",") if piece.strip()]
    if len(pieces) > MAX_SELECTION:
        raise Problem(TOO_MANY)
    parsed = [parse_id(piece) for piece in pieces]
    ids = [number for number in parsed if number is not None]
    if len(ids) != len(parsed):
        raise Problem(MALFORMED)
    return list(dict.fromkeys(ids))


def _problem(request: Request, message: str, translated: bool = False, only: list[int] | None = None) -> Response:
    """Printing one invitation (from its own page) that cannot be printed any
    more goes back to that page with the message; a selection gets a page."""
    text = message if translated else _(message)
    if only is not None and len(only) == 1:
        flash(request, text, "error")
        return redirect(request, f"/invitations/{only[0]}")
    return page(request, "invitations/print_problem.html", {"message": text}, status_code=422)


def _pdf(content: bytes, filename: str) -> Response:
    # The PDF carries login secrets: no cache may keep a copy.
    return Response(
        content,
        media_type="application/pdf",
        status_code=200,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M")


async def _sheets_response(request: Request, values: list[str]) -> Response:
    try:
        ids = parse_ids(values)
    except Problem as problem:
        return _problem(request, problem.message)
    if not ids:
        return _problem(request, EMPTY)
    cards = await queries.sheets_for_invitations(ids, _scope(request))
    if cards is None:
        raise NotFoundException()
    if not cards:
        return _problem(request, NOTHING_OPEN, only=ids)
    return _pdf(sheets.render_sheets(cards), f"werkpas-invitations-{_stamp()}.pdf")


@get("/invitations/sheets.pdf", opt=permission(PERMISSION), include_in_schema=False)
async def sheets_by_query(request: Request) -> Response:
    return await _sheets_response(request, request.query_params.getall("ids", []))


@post("/invitations/sheets.pdf", opt=permission(PERMISSION), include_in_schema=False)
async def sheets_by_form(request: Request) -> Response:
    fields = await read_fields(request, "ids")
    return await _sheets_response(request, fields["ids"])


@get("/invitations/imports/{run_id:int}/sheets.pdf", opt=permission(PERMISSION), include_in_schema=False)
async def sheets_of_run(request: Request, run_id: FromPath[int]) -> Response:
    cards = await queries.sheets_for_run(run_id, _scope(request)) if parse_id(run_id) else None
    if cards is None:
        raise NotFoundException()
    if not cards:
        return _problem(request, NOTHING_OPEN)
    return _pdf(sheets.render_sheets(cards), f"werkpas-import-{run_id}-invitations.pdf")


async def _badge_people(request: Request, fields: dict[str, list[str]]) -> list[tuple[int, int]]:
    """(person, organisation) pairs named by the form, all in scope, or 404."""
    scope = _scope(request)
    invitation_ids, person_ids = parse_ids(fields["ids"]), parse_ids(fields["person_ids"])
    run_ids = parse_ids(fields["run_id"])
    people: list[tuple[int, int]] = []
    for run_id in run_ids:
        if await queries.run_organisation(run_id, scope) is None:
            raise NotFoundException()
        invitation_ids += await queries.invitations_of_run(run_id)
    for found in (
        await queries.people_of_invitations(invitation_ids, scope) if invitation_ids else [],
        await queries.people_in_scope(person_ids, scope) if person_ids else [],
    ):
        if found is None:
            raise NotFoundException()
        people += found
    first_organisation: dict[int, int] = {}
    for person_id, organisation_id in people:
        first_organisation.setdefault(person_id, organisation_id)  # one badge per person
    return list(first_organisation.items())


@post("/invitations/badges.pdf", opt=permission(PERMISSION), include_in_schema=False)
async def badges_pdf(request: Request) -> Response:
    form, fields = await read_form(request), await read_fields(request, "ids", "person_ids", "run_id")
    try:
        people = await _badge_people(request, fields)
    except Problem as problem:
        return _problem(request, problem.message)
    if not people:
        return _problem(request, EMPTY)
    refused = await badges.ensure_badges(
        people,
        actor_id=signed_in_user(request).id,
        channel="web",
        request_id=command_id(form),
        renew=form.get("renew") == "1",
    )
    if refused is not None:
        if refused.code() == "not_found":
            raise NotFoundException()
        return _problem(request, next(iter(messages(refused).values())), translated=True)
    return _pdf(badges.render_badges(await badges.badge_cards(people)), f"werkpas-badges-{_stamp()}.pdf")


# -- printing from the list ----------------------------------------------------


def back_to_list(fields: dict[str, list[str]]) -> str:
    """The list as the person left it (search, status, page), from the
    form's own fields; anything odd is dropped, never echoed."""
    query = {}
    search = " ".join(next(iter(fields["q"]), "").split())[:100]
    status = next(iter(fields["status"]), "")
    number = parse_id(next(iter(fields["page"]), ""))
    if search:
        query["q"] = search
    if status in listing.STATUSES:
        query["status"] = status
    if number and number > 1:
        query["page"] = str(number)
    return "/invitations" + (f"?{urlencode(query)}" if query else "")


def _selection(fields: dict[str, list[str]]) -> list[int]:
    """The ticked ids; "select all on this page" ticks the page's ids (so
    it works without JavaScript too)."""
    ticked = parse_ids(fields["ids"])
    if "1" in fields["all_on_page"]:
        ticked += parse_ids(fields["page_ids"])
    return list(dict.fromkeys(ticked))


async def _badges_for(request: Request, printable: list[int], form: dict[str, str]) -> tuple[int, str | None]:
    """Issues badges to the people of the printable invitations who have
    none (all of them with `renew`): how many people, and a refusal's text."""
    people = await queries.people_of_invitations(printable, _scope(request)) if printable else []
    if not people:
        return 0, None
    refused = await badges.ensure_badges(
        people,
        actor_id=signed_in_user(request).id,
        channel="web",
        request_id=command_id(form),
        renew=form.get("renew") == "1",
    )
    return len(people), next(iter(messages(refused).values())) if refused is not None else None


@post("/invitations/print", opt=permission(PERMISSION), include_in_schema=False)
async def print_selection(request: Request) -> Response:
    form = await read_form(request)
    fields = await read_fields(request, "ids", "all_on_page", "page_ids", "q", "status", "page")
    back = back_to_list(fields)
    kind = form.get("kind", "sheets")
    kind = kind if kind in queries.KINDS else "sheets"
    try:
        ids = _selection(fields)
    except Problem as problem:
        flash(request, _(problem.message), "error")
        return redirect(request, back)
    if not ids:
        flash(request, _(NOTHING_TICKED), "error")
        return redirect(request, back)
    result = await queries.sort_selection(ids, _scope(request), kind)
    if result is None:
        raise NotFoundException()
    count = len(result.printable)
    if kind == "badges":
        count, refusal = await _badges_for(request, result.printable, form)
        if refusal:
            flash(request, refusal, "error")
            return redirect(request, back)
    request.set_session(
        {
            **request.session,
            RESULT_KEY: {"kind": kind, "ids": result.printable, "count": count, "skipped": result.skipped},
        }
    )
    return redirect(request, back)


def _skipped_text(skipped: dict[str, int]) -> str:
    parts = {
        "revoked": lambda n: ngettext("%(num)d revoked", "%(num)d revoked", n),
        "expired": lambda n: ngettext("%(num)d expired", "%(num)d expired", n),
        "registered": lambda n: ngettext("%(num)d already registered", "%(num)d already registered", n),
        "not_on_roster": lambda n: ngettext("%(num)d not on the roster", "%(num)d not on the roster", n),
    }
    return ", ".join(parts[reason](count) for reason, count in skipped.items() if reason in parts)


def describe(result: dict) -> dict:
    """The summary in words: "2 sheets ready to print, 3 skipped: 1 revoked,
    1 expired, 1 already registered." and the download's label."""
    count, skipped = int(result.get("count", 0)), dict(result.get("skipped", {}))
    badge = result.get("kind") == "badges"
    if badge:
        ready = ngettext("%(num)d badge ready to print", "%(num)d badges ready to print", count)
        download = ngettext("Download the PDF (%(num)d badge)", "Download the PDF (%(num)d badges)", count)
    else:
        ready = ngettext("%(num)d sheet ready to print", "%(num)d sheets ready to print", count)
        download = ngettext("Download the PDF (%(num)d sheet)", "Download the PDF (%(num)d sheets)", count)
    total = sum(skipped.values())
    if not count:
        text = _("Nothing to print: %(skipped)s.", skipped=_skipped_text(skipped))
    elif total:
        text = _(
            "%(ready)s, %(skipped)s: %(reasons)s.",
            ready=ready,
            skipped=ngettext("%(num)d skipped", "%(num)d skipped", total),
            reasons=_skipped_text(skipped),
        )
    else:
        text = _("%(ready)s.", ready=ready)
    return {
        "kind": "badges" if badge else "sheets",
        "title": _("Kiosk badges") if badge else _("Invitation sheets"),
        "text": text,
        "count": count,
        "download": download,
        "ids": ",".join(str(number) for number in result.get("ids", [])),
    }


def take_result(request: Request) -> dict | None:
    """The summary of the last print from the list, shown once."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or RESULT_KEY not in session:
        return None
    result = session[RESULT_KEY]
    request.set_session({key: value for key, value in session.items() if key != RESULT_KEY})
    return describe(result) if isinstance(result, dict) else None


handlers = [sheets_by_query, sheets_by_form, sheets_of_run, badges_pdf, print_selection]
