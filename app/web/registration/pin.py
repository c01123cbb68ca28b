"""A new PIN without e-mail: staff make a single-use code (shown to them
once) and hand it over; the worker types it on /pin/reset with a new PIN."""

from __future__ import annotations

import asyncio
from functools import cache
from urllib.parse import quote, urlsplit

from jinja2 import Template
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from markupsafe import Markup

from app import i18n
from app.config import get_settings
from app.domain import invitations
from app.domain.accounts import hash_secret
from app.domain.registration import limits, rules
from app.domain.registration.queries import (
    birth_date_of_user,
    person_for_pin_reset,
    pin_reset_by_code,
    pin_reset_code,
    pin_reset_scope,
    pin_reset_token,
)
from app.i18n import _
from app.templating import make_environment
from app.web.core.commands import messages, run
from app.web.core.context import client_address, current_user, flash
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC, permission
from app.web.core.pages import page, redirect, safe_next
from app.web.registration import flow

# -- staff ------------------------------------------------------------------------


async def _person_in_scope(request: Request, person_id: int) -> dict:
    person = await person_for_pin_reset(person_id)
    if person is None or not pin_reset_scope(current_user(request), person):
        raise NotFoundException()
    return person


STAFF_START = "/invitations"


def _back(request: Request, sent: str | None = None) -> str:
    """Where staff came from (the invitation, the list...), for the way
    back: the form's `back` field, else the page that linked here (same
    site only), else the invitation list. Never these pages themselves."""
    target = sent if sent is not None else request.query_params.get("back")
    if not target:
        referer = urlsplit(request.headers.get("referer", ""))
        if referer.netloc == request.headers.get("host"):
            target = referer.path + (f"?{referer.query}" if referer.query else "")
    back = safe_next(target, STAFF_START)
    return STAFF_START if back.startswith("/pin/") else back


def _issue_page(request: Request, person: dict, back: str, error: str | None = None, status_code: int = 200):
    context = {"person": person, "error": error, "back": back}
    return page(request, "registration/pin_issue.html", context, status_code=status_code)


@get("/pin/issue/{person_id:int}", opt=permission("invitations.manage"), include_in_schema=False)
async def issue_form(request: Request, person_id: FromPath[int]) -> Response:
    person = await _person_in_scope(request, person_id)
    return _issue_page(request, person, _back(request))


@post("/pin/issue/{person_id:int}", opt=permission("invitations.manage"), include_in_schema=False)
async def issue(request: Request, person_id: FromPath[int]) -> Response:
    person = await _person_in_scope(request, person_id)
    form = await read_form(request)
    back = _back(request, form.get("back", ""))
    # A person out of reach is "not found": run() answers 404.
    outcome = await run(request, "registration.issue_pin_reset", {"person_id": person_id}, form)
    if not outcome.applied:
        return _issue_page(request, person, back, messages(outcome)["_"], 422)
    if outcome.replayed:
        # The code is shown once: a resent form (the slip's page reloaded, or
        # opened again from the history) shows no code and makes none.
        flash(request, _("This code was already shown. Make a new one if it is lost."), "warning")
        return redirect(request, f"/pin/issue/{person_id}?back={quote(back, safe='/')}")
    token = await pin_reset_token(outcome.ids["token_id"])
    if token is None:
        raise NotFoundException()
    slip = {
        "person": person,
        "code": invitations.secrets.display(pin_reset_code(token["salt"])),
        "expires_at": token["expires_at"],
        "reset_url": get_settings().base_url.rstrip("/") + "/pin/reset",
    }
    context = {"person": person, "back": back, "slip": _slip(slip, person.get("language"))}
    return flow.no_store(page(request, "registration/pin_issued.html", context))


@cache
def _slip_template() -> Template:
    return make_environment().get_template("registration/_pin_slip.html")


def _slip(context: dict, language: str | None) -> Markup:
    """The slip in the person's language (they read it, not the staff
    member), rendered apart from the page around it."""
    staff_language = i18n.current_language()
    i18n.set_language(language if language in i18n.LANGUAGES else staff_language)
    try:
        return Markup(_slip_template().render(**context, language=i18n.current_language()))
    finally:
        i18n.set_language(staff_language)


# -- worker -----------------------------------------------------------------------


def _reset_page(
    request: Request, values: dict, errors: dict | None = None, status_code: int = 200, summary: str | None = None
) -> Response:
    context = {
        "values": values,
        "errors": errors or {},
        "summary": summary or (_("Check the code and the PIN.") if errors else None),
    }
    return flow.no_store(page(request, "registration/pin_reset.html", context, status_code=status_code))


@get("/pin/reset", opt=PUBLIC, include_in_schema=False)
async def reset_form(request: Request) -> Response:
    return _reset_page(request, {"code": ""})


async def _find_code(request: Request, typed: str) -> tuple[dict | None, str | None, int]:
    """The open reset token for a typed code, or the message for the field
    and the status to answer with."""
    attempt = await limits.claim_code(client_address(request))
    if attempt.refused:
        return None, flow.problem_message("limited"), 429
    token, error = await _lookup(typed)
    if token is None and error is None:
        # Only unknown codes count towards the limit.
        return None, _("This code does not work: it is wrong, used or too old. Ask for a new one."), 422
    await limits.give_back(attempt)
    if error is not None:
        return None, error, 422
    return token, None, 200


async def _lookup(typed: str) -> tuple[dict | None, str | None]:
    if not typed:
        return None, _("Type the code you got from the staff member.")
    try:
        code = invitations.secrets.normalise(typed)
    except invitations.secrets.CodeProblem as problem:
        if problem.reason == "typo":
            return None, _("There is a typing mistake in the code. Check each character.")
        return None, _("A code has 9 letters and digits, for example K7P-4QX-9MA.")
    return await pin_reset_by_code(code), None


@post("/pin/reset", opt=PUBLIC, include_in_schema=False)
async def reset(request: Request) -> Response:
    form = await read_form(request)
    typed, pin = flow.typed_code(form.get("code", "")), form.get("pin", "").strip()
    values = {"code": typed}
    token, code_error, status = await _find_code(request, typed)
    if token is None:
        return _reset_page(request, values, {"code": code_error}, status)
    problem = rules.pin_problem(pin, await birth_date_of_user(token["user"]))
    if problem:
        return _reset_page(request, values, {"pin": _(problem)}, 422)
    if form.get("pin_confirmation", "").strip() != pin:
        return _reset_page(request, values, {"pin_confirmation": _("The two PINs are not the same.")}, 422)
    pin_hash = await asyncio.to_thread(hash_secret, pin)
    # The holder of the code acts, not whoever is signed in on this device.
    payload = {"token_id": token["id"], "pin_hash": pin_hash}
    outcome = await run(request, "registration.reset_pin", payload, form, actor_id=None)
    if not outcome.applied:
        texts = messages(outcome)
        summary = texts.pop("_", None)  # a form sent before with other values
        return _reset_page(request, values, texts, 422, summary=summary)
    flash(request, _("Your new PIN is saved. Use it with your badge at the kiosk."), "success")
    return redirect(request, "/")
