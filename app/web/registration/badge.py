"""/badge: logging in with a badge (scanned QR or typed badge code) and a PIN,
for kiosks. A USB QR scanner types like a keyboard and presses Enter, so the
page works without JavaScript and the right field always has the focus.

A login here starts a badge session (app/web/sessions.py): it ends after 90
seconds without a request, and logging out returns to /badge in the
language the terminal showed before the login. During the session the
worker's own language is shown, so the terminal's language cookie is
dropped at the login and put back at the end. /badge/still-here is what the
"Are you still there?" prompt sends (static/js/kiosk.js): the request itself
is the activity that keeps the session going."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app import i18n
from app.domain.core.limits import minutes
from app.domain.registration.badge_login import BADGE, PROBLEMS, BadgeCheck, check_badge_login
from app.i18n import _, ngettext
from app.web import sessions
from app.web.accounts import start_session
from app.web.core.commands import messages, run
from app.web.core.context import client_address, current_user
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect, safe_next
from app.web.middleware import LANGUAGE_COOKIE
from app.web.registration import flow

LANDING = "/passport"
# Kept in the field, so the worker can correct it: what cannot be a badge yet.
KEPT = ("no_pin_typed", "format", "typo", "unreadable", "invitation_code")


def _badge_page(
    request: Request,
    badge: str = "",
    errors: dict | None = None,
    summary: str | None = None,
    status_code: int = 200,
    *,
    invitation_hint: bool = False,
) -> Response:
    errors = errors or {}
    # After a scan without a PIN the PIN field takes the focus; otherwise the
    # badge field, so the next scan lands there.
    focus = "pin" if badge and "badge" not in errors else "badge"
    context = {
        "badge": badge,
        "errors": errors,
        "summary": summary,
        "focus": focus,
        "invitation_hint": invitation_hint,
        "ended": request.query_params.get("ended") == "idle" and status_code == 200,
        "idle_seconds": sessions.IDLE_SECONDS,
    }
    return flow.no_store(page(request, "registration/badge.html", context, status_code=status_code))


def _wrong(check: BadgeCheck) -> str:
    """The generic answer (the same for an unknown badge), with the tries
    left before the badge locks."""
    left = max(0, check.tries_left or 0)
    if left == 0:
        more = ngettext(
            "This badge is now locked for %(num)d minute.",
            "This badge is now locked for %(num)d minutes.",
            minutes(BADGE.window),
        )
    else:
        more = ngettext(
            "You can try %(num)d more time before this badge is locked.",
            "You can try %(num)d more times before this badge is locked.",
            left,
        )
    return f"{_('Badge or PIN is not correct.')} {more}"


def _refusal(request: Request, badge: str, check: BadgeCheck) -> Response:
    problem = check.problem or "wrong"
    if problem == "limited":
        message = ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            minutes(check.wait),
        )
        return _badge_page(request, "", {}, message, 429)
    if problem == "wrong":
        # Nothing is kept: the next person at the kiosk starts clean.
        return _badge_page(request, "", {}, _wrong(check), 422, invitation_hint=check.short_code)
    field, message = PROBLEMS[problem]
    if field == "_":
        return _badge_page(request, "", {}, _(message), 422)
    kept = badge if problem in KEPT else ""
    return _badge_page(
        request,
        kept,
        {field: _(message)},
        _("Check your badge and PIN."),
        422,
        invitation_hint=problem == "invitation_code",
    )


@get("/badge", opt=PUBLIC, include_in_schema=False)
async def badge_form(request: Request) -> Response:
    return _badge_page(request)


@post("/badge", opt=PUBLIC, include_in_schema=False)
async def badge_login(request: Request) -> Response:
    form = await read_form(request)
    typed, pin = form.get("badge", "").strip(), form.get("pin", "").strip()
    check = await check_badge_login(typed, pin, client_address(request))
    if check.user_id is None:
        return _refusal(request, typed, check)
    # The badge's owner acts: nobody is signed in yet.
    outcome = await run(request, "accounts.record_login", {"user_id": check.user_id}, form, actor_id=check.user_id)
    if outcome.code() == "resent":
        # Nothing is kept: the next person at the kiosk starts clean.
        return _badge_page(request, "", {}, messages(outcome)["_"], 422)
    if not outcome.applied:
        return _refusal(request, typed, BadgeCheck(problem="deactivated"))
    # The language /badge was shown in: where the logout comes back to.
    terminal = i18n.current_language()
    await start_session(request, check.user_id, check.session_version)
    request.set_session(sessions.badge_session(dict(request.session), terminal))
    response = flow.no_store(redirect(request, LANDING))
    response.delete_cookie(LANGUAGE_COOKIE)
    return response


@post("/badge/still-here", opt=PUBLIC, include_in_schema=False)
async def still_here(request: Request) -> Response:
    """The worker is still there. The middleware already counted this request
    as activity (an ended session never gets here: it goes to /badge)."""
    form = await read_form(request)
    if current_user(request) is None:
        return redirect(request, "/badge")
    if request.headers.get("x-kiosk-ping") == "1":
        return Response(content=None, status_code=204)
    return redirect(request, safe_next(form.get("next"), LANDING))


handlers = [badge_form, badge_login, still_here]
