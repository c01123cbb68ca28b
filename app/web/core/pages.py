"""Rendering: the same URL serves the full page, or just the fragment for an
HTMX request (the Contact.app pattern). Controllers call `page()`."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from app import i18n
from app.web.core.context import current_user, pop_flashes
from app.web.core.navigation import navigation


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
) -> Template:
    """Render `template`, or `partial` when HTMX asks for a fragment."""
    name = partial if partial and is_htmx(request) else template
    return Template(template_name=name, context=base_context(request, context or {}), status_code=status_code)


def base_context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    user = current_user(request)
    return {
        "user": user,
        "language": i18n.current_language(),
        "languages": i18n.LANGUAGE_NAMES,
        "nav": navigation(user, request.url.path),
        "flashes": pop_flashes(request),
        "path": request.url.path,
        "full_path": _full_path(request),
        "new_command_id": lambda: str(uuid.uuid4()),
        **context,
    }


def _full_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def redirect(request: Request, to: str) -> Redirect:
    """303 so a POST is followed by a GET; HTMX follows it in place."""
    return Redirect(path=to, status_code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths: never redirect to another site after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
