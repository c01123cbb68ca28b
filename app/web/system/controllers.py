"""Start page, privacy notice, language switch, security.txt, health check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Request, Response, get, post
from litestar.response import Redirect

from app import i18n
from app.config import get_settings
from app.storage import db
from app.web.core.context import current_user, flash, remember_language
from app.web.core.forms import read_form
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, safe_next
from app.web.system import privacy as privacy_facts


@get("/", opt=PUBLIC, include_in_schema=False)
async def index(request: Request) -> Response:
    """The welcome for visitors; someone signed in has their own start page."""
    if current_user(request) is not None:
        return Redirect(path="/home", status_code=303)
    return page(request, "system/index.html")


@get("/privacy", opt=PUBLIC, include_in_schema=False)
async def privacy(request: Request) -> Response:
    return page(request, "system/privacy.html", privacy_facts.context())


@post("/language", opt=PUBLIC, include_in_schema=False)
async def switch_language(request: Request) -> Redirect:
    """Remembered in a cookie for a year, for visitors and users alike."""
    data = await read_form(request)
    code = (data.get("language") or "").strip().lower()
    target = safe_next(data.get("next"))
    response = Redirect(path=target, status_code=303)
    if code not in i18n.LANGUAGES:
        flash(request, i18n._("This language is not available."), "error")
        return response
    remember_language(request, response, code)
    return response


@get("/.well-known/security.txt", opt=PUBLIC, include_in_schema=False)
async def security_txt() -> Response:
    """How to report a vulnerability (RFC 9116). Expires is always just under
    a year ahead, so the file never goes stale while the server runs."""
    settings = get_settings()
    expires = (datetime.now(UTC) + timedelta(days=365)).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = [
        f"Contact: {settings.security_contact}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, fr, en",
        f"Canonical: {settings.base_url}/.well-known/security.txt",
    ]
    return Response("\n".join(lines) + "\n", media_type="text/plain; charset=utf-8")


@get("/healthz", opt=PUBLIC, summary="Health check")
async def healthz() -> Response:
    ok = await db.ping()
    body = {"status": "ok" if ok else "error", "database": "ok" if ok else "unreachable"}
    return Response(body, status_code=200 if ok else 503)


handlers = [index, privacy, switch_language, security_txt, healthz]
