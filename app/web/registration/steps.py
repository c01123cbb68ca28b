"""The steps after the link or code: birth date, language, privacy notice,
and the password and/or PIN that finish the registration."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from litestar import Request, Response, get, post

from app import i18n
from app.domain.accounts import hash_secret, password_problem
from app.domain.core.commands import utcnow
from app.domain.registration import rules
from app.domain.registration.queries import registration_view
from app.domain.registration.reasons import INVITATION_CODES
from app.i18n import _, ngettext
from app.web.accounts import start_session
from app.web.core.commands import messages, run
from app.web.core.context import current_user, flash, remember_language
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect
from app.web.registration import dates, flow


def _step_page(request: Request, template: str, context: dict, status_code: int = 200) -> Response:
    return flow.no_store(page(request, f"registration/{template}", context, status_code=status_code))


# -- 1. birth date ---------------------------------------------------------------


def _today() -> date:
    """Today in Belgium: a birth date typed just after midnight is not "in
    the future" because the server clock runs on UTC."""
    return i18n.local_time(utcnow()).date()


def _identity_page(
    request: Request,
    values: dict,
    error: str | None = None,
    status_code: int = 200,
    part: str | None = None,
) -> Response:
    """`part`: the field the error points at (all three when it is about
    the whole date, as a wrong birth date is)."""
    bad = [part] if part else (list(rules.PARTS) if error else [])
    context = {
        "values": values,
        "error": error,
        "bad": bad,
        "errors": {bad[0]: error} if error else {},
        "summary": _("Check your birth date.") if error else None,
        "step": 1,
        "language_choices": flow.language_choices() if flow.state(request).get("link") else None,
    }
    return _step_page(request, "identity.html", context, status_code)


@get("/register/identity", opt=PUBLIC, include_in_schema=False)
async def identity_form(request: Request) -> Response:
    row = await flow.current(request, verified=False)
    if isinstance(row, Response):
        return row
    return _identity_page(request, {"day": "", "month": "", "year": ""})


@post("/register/identity", opt=PUBLIC, include_in_schema=False)
async def identity_submit(request: Request) -> Response:
    row = await flow.current(request, verified=False)
    if isinstance(row, Response):
        return row
    form = await read_form(request)
    values = {name: form.get(name, "").strip()[:20] for name in rules.PARTS}
    typed = rules.read_birth_date(values["day"], values["month"], values["year"], today=_today())
    if isinstance(typed, rules.DateProblem):
        return _identity_page(request, values, dates.message(typed), 422, typed.part)
    proof = rules.birth_date_proof(row["id"], typed)
    outcome = await run(request, "registration.verify_identity", {"invitation_id": row["id"], "proof": proof}, form)
    if not outcome.applied:
        if outcome.code() == "resent":
            return _identity_page(request, values, messages(outcome)["_"], 422)
        return flow.problem_page(request, outcome.code() or "unknown", row["locked_until"])
    result = outcome.ids.get("result")
    if result == "match":
        flow.save(request, proof=proof)
        return redirect(request, "/register/language")
    if result == "locked":
        return flow.problem_page(request, "locked", datetime.fromisoformat(outcome.ids["locked_until"]))
    left = int(outcome.ids.get("attempts_left", 0))
    message = ngettext(
        "This is not the birth date we know. You can try %(num)d more time.",
        "This is not the birth date we know. You can try %(num)d more times.",
        left,
    )
    return _identity_page(request, values, message, 422)


# -- 2. language ------------------------------------------------------------------


@get("/register/language", opt=PUBLIC, include_in_schema=False)
async def language_form(request: Request) -> Response:
    stop = await flow.current(request, verified=True)
    if isinstance(stop, Response):
        return stop
    return _step_page(request, "language.html", {"step": 2, "error": None})


@post("/register/language", opt=PUBLIC, include_in_schema=False)
async def language_submit(request: Request) -> Response:
    stop = await flow.current(request, verified=True)
    if isinstance(stop, Response):
        return stop
    form = await read_form(request)
    choice = form.get("language", "").strip().lower()
    if choice not in i18n.LANGUAGES:
        return _step_page(request, "language.html", {"step": 2, "error": _("Choose one of the languages.")}, 422)
    flow.save(request, language=choice)
    response = redirect(request, "/register/privacy")
    remember_language(request, response, choice)
    return response


# -- 3. privacy notice ------------------------------------------------------------


@get("/register/privacy", opt=PUBLIC, include_in_schema=False)
async def privacy_form(request: Request) -> Response:
    stop = await flow.current(request, verified=True)
    if isinstance(stop, Response):
        return stop
    return _step_page(request, "privacy.html", {"step": 3, "errors": {}, "summary": None})


@post("/register/privacy", opt=PUBLIC, include_in_schema=False)
async def privacy_submit(request: Request) -> Response:
    stop = await flow.current(request, verified=True)
    if isinstance(stop, Response):
        return stop
    form = await read_form(request)
    if form.get("accept") != "yes":
        error = _("Tick the box to say you agree. Without it we cannot make your account.")
        return _step_page(request, "privacy.html", {"step": 3, "errors": {"accept": error}, "summary": error}, 422)
    flow.save(request, privacy_at=utcnow().isoformat())
    return redirect(request, "/register/account")


# -- 4. password and/or PIN -------------------------------------------------------


def _account_page(
    request: Request,
    view: dict,
    values: dict,
    errors: dict | None = None,
    summary: str | None = None,
    status_code: int = 200,
) -> Response:
    # Logged in: the invitation is accepted for this account (the only way an
    # existing account joins another organisation).
    context = {
        "step": 4,
        "view": view,
        "values": values,
        "errors": errors or {},
        "summary": summary,
        "me": current_user(request),
    }
    return _step_page(request, "account.html", context, status_code)


def _secrets(form: dict, view: dict) -> tuple[str, str]:
    """(password, PIN) as typed; on the PIN-only path a password is never
    taken (nothing could log in with it)."""
    password = form.get("password", "") if view["password_possible"] else ""
    return password, form.get("pin", "").strip()


def _secret_errors(form: dict, view: dict, email: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    password, pin = _secrets(form, view)
    if not view["password_possible"] and not pin:
        return {"pin": _("Choose a PIN of 4 to 6 digits.")}
    if not password and not pin:
        return {"password": _("Choose a password, a PIN, or both."), "pin": ""}
    if password:
        problem = password_problem(password, email)
        if problem:
            errors["password"] = _(problem)
        elif form.get("password_confirmation", "") != password:
            errors["password_confirmation"] = _("The two passwords are not the same.")
    if pin:
        problem = rules.pin_problem(pin, view["birth_date"])
        if problem:
            errors["pin"] = _(problem)
        elif form.get("pin_confirmation", "").strip() != pin:
            errors["pin_confirmation"] = _("The two PINs are not the same.")
    return errors


def _summary(view: dict) -> str:
    return _("Check the password and the PIN.") if view["password_possible"] else _("Check the PIN.")


async def _ready(request: Request) -> tuple[dict, dict] | Response:
    """(invitation row, registration view), or the response to send instead."""
    row = await flow.current(request, verified=True)
    if isinstance(row, Response):
        return row
    progress = flow.state(request)
    if progress.get("language") not in i18n.LANGUAGES:
        return redirect(request, "/register/language")
    if not progress.get("privacy_at"):
        return redirect(request, "/register/privacy")
    view = await registration_view(row["id"])
    if view is None:
        # Gone since flow.current read it: the same answer as a missing invitation.
        flow.forget(request)
        return redirect(request, "/register")
    return row, view


@get("/register/account", opt=PUBLIC, include_in_schema=False)
async def account_form(request: Request) -> Response:
    ready = await _ready(request)
    if isinstance(ready, Response):
        return ready
    _row, view = ready
    return _account_page(request, view, {})


@post("/register/account", opt=PUBLIC, include_in_schema=False)
async def account_submit(request: Request) -> Response:
    ready = await _ready(request)
    if isinstance(ready, Response):
        return ready
    row, view = ready
    form = await read_form(request)
    progress = flow.state(request)
    me = current_user(request)
    hashes: dict[str, str | None] = {"password_hash": None, "pin_hash": None}
    if me is None and view["has_account"]:
        return _account_page(request, view, {}, status_code=409)
    if me is None:
        errors = _secret_errors(form, view, view["email"])
        if errors:
            return _account_page(request, view, {}, errors, _summary(view), 422)
        password, pin = _secrets(form, view)
        if password:
            hashes["password_hash"] = await asyncio.to_thread(hash_secret, password)
        if pin:
            hashes["pin_hash"] = await asyncio.to_thread(hash_secret, pin)
    payload = {
        "invitation_id": row["id"],
        "proof": progress["proof"],
        "language": progress["language"],
        "privacy_version": rules.PRIVACY_VERSION,
        "accepted_at": progress["privacy_at"],
        **hashes,
    }
    # The signed-in user (if any) accepts the invitation for their account.
    outcome = await run(request, "registration.complete", payload, form)
    if not outcome.applied:
        if outcome.code() in INVITATION_CODES:
            return flow.problem_page(request, outcome.code() or "unknown")
        errors = messages(outcome)
        summary = errors.pop("_", None) or _summary(view)
        return _account_page(request, view, {}, errors, summary, 422)
    flow.forget(request)
    if outcome.ids.get("linked"):
        flash(request, _("%(organisation)s is added to your account.", organisation=view["organisation"]), "success")
        return redirect(request, "/home")
    await start_session(request, outcome.ids["user_id"])
    flash(request, _("Welcome! Your account is ready."), "success")
    return redirect(request, "/passport")
