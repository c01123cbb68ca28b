"""/passport/data: "Your data": download everything (JSON, PDF), close the
account, erase one's data. Each of the last two has a confirmation page
(tick a box or type a word, and the password, or the PIN of a kiosk-only
account). Wrong passwords count against a per-account and per-address
limit, so a session left open on a kiosk cannot be used to guess them.
After either, the session ends and the browser lands on the login page."""

from __future__ import annotations

import asyncio

from litestar import Request, Response, get, post

from app import i18n
from app.domain.core.limits import Rule, address_subject, limiter, minutes
from app.domain.passport import export, rights
from app.i18n import _, lazy, ngettext
from app.web.accounts import end_session
from app.web.core.commands import messages, run
from app.web.core.context import client_address, flash, remember_language, signed_in_user
from app.web.core.forms import read_form
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.passport.access_log import download

PERMISSION = "passport.view"
ACCOUNT = Rule("rights:account", 5)
ADDRESS = Rule("rights:address", 20)
NO_STORE = {"Cache-Control": "no-store"}

ACTIONS = {
    "close": {
        "command": "passport.close_account",
        "heading": lazy("Close your account"),
        "button": lazy("Close my account"),
    },
    "erase": {
        "command": "passport.erase",
        "heading": lazy("Erase your data"),
        "button": lazy("Erase my data"),
    },
}


@get("/passport/data", opt=permission(PERMISSION), include_in_schema=False)
async def your_data(request: Request) -> Response:
    return page(request, "passport/data.html", {})


@get("/passport/data/export.json", opt=permission(PERMISSION), include_in_schema=False)
async def export_json(request: Request) -> Response:
    user = signed_in_user(request)
    body = export.to_json(await export.collect(user.id))
    return download(body, "application/json", "my-data.json")


@get("/passport/data/export.pdf", opt=permission(PERMISSION), include_in_schema=False)
async def export_pdf(request: Request) -> Response:
    user = signed_in_user(request)
    collected = await export.collect(user.id)
    body = await asyncio.to_thread(export.to_pdf, collected)
    return download(body, "application/pdf", "my-data.pdf")


def _word() -> str:
    """The word to type before erasing, in the reader's language."""
    return _("ERASE")


async def _confirm_page(
    request: Request, action: str, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    user = signed_in_user(request)
    heading, button = ACTIONS[action]["heading"], ACTIONS[action]["button"]
    context = {
        "action": action,
        "heading": _(heading),
        "button": _(button),
        "secret_kind": await rights.secret_kind(user.id),
        "word": _word(),
        "errors": errors or {},
    }
    response = page(request, f"passport/{action}.html", context, status_code=status_code)
    response.headers.update(NO_STORE)
    return response


@get("/passport/data/close", opt=permission(PERMISSION), include_in_schema=False)
async def close_form(request: Request) -> Response:
    return await _confirm_page(request, "close")


@get("/passport/data/erase", opt=permission(PERMISSION), include_in_schema=False)
async def erase_form(request: Request) -> Response:
    return await _confirm_page(request, "erase")


def _confirmed(action: str, form: dict[str, str]) -> bool:
    if action == "close":
        return form.get("confirm") == "yes"
    return " ".join(form.get("confirm", "").split()).casefold() == _word().casefold()


async def _act(request: Request, action: str) -> Response:
    user = signed_in_user(request)
    form = await read_form(request)
    kind = await rights.secret_kind(user.id)
    errors: dict[str, str] = {}
    if not _confirmed(action, form):
        errors["confirm"] = (
            _("Tick the box to confirm.")
            if action == "close"
            else _("Type %(word)s to confirm that you want to erase your data.", word=_word())
        )
    if kind and not form.get("secret"):
        errors["secret"] = _("Enter your password.") if kind == "password" else _("Enter your PIN.")
    if errors:
        return await _confirm_page(request, action, errors, 422)
    checked = ""
    if kind:
        limits = limiter()
        attempt = await limits.claim((ADDRESS, address_subject(client_address(request))), (ACCOUNT, f"user:{user.id}"))
        if attempt.refused:
            message = ngettext(
                "Too many failed attempts. Try again in %(num)d minute.",
                "Too many failed attempts. Try again in %(num)d minutes.",
                minutes(attempt.wait),
            )
            return await _confirm_page(request, action, {"_": message}, 429)
        found = await rights.check_secret(user.id, form["secret"])
        if found is None:
            wrong = _("This is not your password.") if kind == "password" else _("This is not your PIN.")
            return await _confirm_page(request, action, {"secret": wrong}, 422)
        await limits.give_back(attempt)
        checked = found
    payload = {"confirmed": True, "checked_hash": checked}
    outcome = await run(request, ACTIONS[action]["command"], payload, form)
    if not outcome.applied and outcome.code() != "account_closed":
        return await _confirm_page(request, action, messages(outcome), 422)
    # Applied, or a parallel request did it first: this session is over either way.
    await end_session(request)
    if action == "close":
        flash(request, _("Your account is closed. No organisation sees your data any more."), "success")
    else:
        flash(request, _("Your data is erased and your account is closed."), "success")
    response = redirect(request, "/login")
    remember_language(request, response, i18n.current_language())
    return response


@post("/passport/data/close", opt=permission(PERMISSION), include_in_schema=False)
async def close_account(request: Request) -> Response:
    return await _act(request, "close")


@post("/passport/data/erase", opt=permission(PERMISSION), include_in_schema=False)
async def erase(request: Request) -> Response:
    return await _act(request, "erase")


handlers: list = [your_data, export_json, export_pdf, close_form, erase_form, close_account, erase]
