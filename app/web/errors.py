"""Error pages in the user's language; never a stack trace."""

from __future__ import annotations

from urllib.parse import quote

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect, Template

from app import i18n
from app.i18n import _
from app.web.core.pages import base_context, is_htmx
from app.web.csrf import cookie_value
from app.web.middleware import LANGUAGE_COOKIE

log = structlog.get_logger("werkpas.errors")


def _explanation(status: int) -> str:
    # Literal calls so the extractor sees every message.
    return {
        400: _("The information sent could not be understood. Go back and try again."),
        403: _(
            "You do not have permission for this page or action, or the form expired. Reload the page and try again."
        ),
        404: _("This page does not exist or you do not have access to it."),
        405: _("This action is not possible on this page."),
        413: _("What you sent is larger than allowed."),
        414: _("The web address is longer than allowed. Go back and try again."),
        422: _("Some fields are not filled in correctly."),
        429: _("Please wait a moment before trying again."),
        431: _("Your browser sent more cookies than allowed. Delete the cookies of this site and try again."),
        500: _("An unexpected error occurred. It has been logged; please try again later."),
        503: _("The service is temporarily unavailable. Please try again later."),
    }.get(status, _("An unexpected error occurred. It has been logged; please try again later."))


def _title(status: int) -> str:
    return {
        400: _("The request could not be read"),
        403: _("You may not do this"),
        404: _("Page not found"),
        405: _("This action is not possible here"),
        413: _("The upload is too large"),
        414: _("The web address is too long"),
        422: _("The form contains errors"),
        429: _("Too many attempts"),
        431: _("Too many cookies"),
        500: _("Something went wrong"),
        503: _("Temporarily unavailable"),
    }.get(status, _("Something went wrong"))


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _pick_language(request: Request) -> None:
    """The router answers an unknown path or method before any middleware
    ran: pick the language here, as identity_middleware would for a visitor."""
    if "user" not in request.scope:
        remembered = cookie_value(request.headers, LANGUAGE_COOKIE)
        i18n.set_language(i18n.pick_language([remembered], request.headers.get("accept-language")))


# The API (app/web/api) answers in JSON, also where the router refuses a
# path or a method before any of its routes runs: the shape of its ApiError.
API_PREFIX = "/api/"
API_CODES = {404: "not_found", 405: "method_not_allowed"}


def error_page(request: Request, status: int) -> Response:
    _pick_language(request)
    if request.url.path.startswith(API_PREFIX):
        return Response(
            {"status": status, "code": API_CODES.get(status, "refused"), "message": _title(status)},
            status_code=status,
            media_type=MediaType.JSON,
            headers={"cache-control": "no-store"},
        )
    if _wants_json(request):
        return Response({"status": status, "error": _title(status)}, status_code=status, media_type=MediaType.JSON)
    context = base_context(request, {"status": status, "title": _title(status), "explanation": _explanation(status)})
    template = "errors/_error.html" if is_htmx(request) else "errors/error.html"
    return Template(template_name=template, context=context, status_code=status)


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, NotAuthorizedException):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=f"/login?next={quote(target)}", status_code=303)
    status = exc.status_code
    if status == 400 and getattr(exc, "extra", None):
        status = 422 if request.method != "GET" else 400
    return error_page(request, status)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled", path=request.url.path, error=type(exc).__name__)
    return error_page(request, 500)
