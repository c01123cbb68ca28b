"""Start page, privacy notice, language switch, health check."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect

from app import i18n
from app.storage import db
from app.web.context import flash, remember_language
from app.web.guards import PUBLIC
from app.web.pages import page, safe_next


@get("/", opt=PUBLIC, include_in_schema=False)
async def index(request: Request) -> Response:
    return page(request, "system/index.html")


@get("/privacy", opt=PUBLIC, include_in_schema=False)
async def privacy(request: Request) -> Response:
    return page(request, "system/privacy.html")


@post("/language", opt=PUBLIC, include_in_schema=False)
async def switch_language(request: Request, data: URLEncodedBody[dict[str, str]]) -> Redirect:
    """Remembered in a cookie for a year, for visitors and users alike."""
    code = (data.get("language") or "").strip().lower()
    target = safe_next(data.get("next"))
    response = Redirect(path=target, status_code=303)
    if code not in i18n.LANGUAGES:
        flash(request, i18n._("This language is not available."), "error")
        return response
    remember_language(request, response, code)
    return response


@get("/healthz", opt=PUBLIC, summary="Health check")
async def healthz() -> Response:
    ok = await db.ping()
    body = {"status": "ok" if ok else "error", "database": "ok" if ok else "unreachable"}
    return Response(body, status_code=200 if ok else 503)


handlers = [index, privacy, switch_language, healthz]
