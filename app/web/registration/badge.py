"""/badge: logging in with a badge (scanned QR or typed badge code) and a PIN,
for kiosks. A USB QR scanner types like a keyboard and presses Enter, so the
page works without JavaScript and the right field always has the focus."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app.domain.core.limits import minutes
from app.domain.registration.badge_login import PROBLEMS, check_badge_login
from app.i18n import _, ngettext
from app.web.accounts import start_session
from app.web.core.commands import messages, run
from app.web.core.context import client_address
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect
from app.web.registration import flow

LANDING = "/passport"


def _badge_page(
    request: Request, badge: str = "", errors: dict | None = None, summary: str | None = None, status_code: int = 200
) -> Response:
    errors = errors or {}
    # After a scan without a PIN the PIN field takes the focus; otherwise the
    # badge field, so the next scan lands there.
    focus = "pin" if badge and "badge" not in errors else "badge"
    context = {"badge": badge, "errors": errors, "summary": summary, "focus": focus}
    return flow.no_store(page(request, "registration/badge.html", context, status_code=status_code))


def _refusal(request: Request, badge: str, problem: str, wait: int) -> Response:
    if problem == "limited":
        message = ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            minutes(wait),
        )
        return _badge_page(request, "", {}, message, 429)
    field, message = PROBLEMS[problem]
    if field == "_":
        # Nothing is kept: the next person at the kiosk starts clean.
        return _badge_page(request, "", {}, _(message), 422)
    kept = badge if problem in ("no_pin_typed", "format", "typo", "unreadable") else ""
    return _badge_page(request, kept, {field: _(message)}, _("Check your badge and PIN."), 422)


@get("/badge", opt=PUBLIC, include_in_schema=False)
async def badge_form(request: Request) -> Response:
    return _badge_page(request)


@post("/badge", opt=PUBLIC, include_in_schema=False)
async def badge_login(request: Request) -> Response:
    form = await read_form(request)
    typed, pin = form.get("badge", "").strip(), form.get("pin", "").strip()
    check = await check_badge_login(typed, pin, client_address(request))
    if check.user_id is None:
        return _refusal(request, typed, check.problem or "wrong", check.wait)
    # The badge's owner acts: nobody is signed in yet.
    outcome = await run(request, "accounts.record_login", {"user_id": check.user_id}, form, actor_id=check.user_id)
    if outcome.code() == "resent":
        # Nothing is kept: the next person at the kiosk starts clean.
        return _badge_page(request, "", {}, messages(outcome)["_"], 422)
    if not outcome.applied:
        return _refusal(request, typed, "deactivated", 0)
    await start_session(request, check.user_id, check.session_version)
    return redirect(request, LANDING)


handlers = [badge_form, badge_login]
