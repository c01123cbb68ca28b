"""ASGI middleware: request id + one log line per request, the signed-in
user, and the language of the response."""

from __future__ import annotations

import re
import time
import uuid
from typing import TypeGuard, cast

import structlog
from litestar.datastructures import Headers
from litestar.types import ASGIApp, HTTPResponseStartEvent, HTTPScope, Message, Receive, Scope, Send

from app import i18n
from app.domain.core.commands import audit
from app.domain.core.identity import load_session_user
from app.web import sessions, visitor

log = structlog.get_logger("werkpas.request")

LANGUAGE_COOKIE = "werkpas_lang"


def request_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        request_id = headers.get("x-request-id") or uuid.uuid4().hex[:16]
        if len(request_id) > 64 or not request_id.isprintable():
            request_id = uuid.uuid4().hex[:16]
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        except Exception as exc:  # handled further out; log the status it becomes
            status["code"] = getattr(exc, "status_code", 500)
            raise
        finally:
            log.info(
                "request",
                method=cast("HTTPScope", scope)["method"],
                path=redact(scope["path"]),
                status=status["code"],
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")

    return middleware


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    ),
]


_SECRET_PATHS = re.compile(r"^(/password/(?:set|reset)/|/email/confirm/|/i/)[^/]+")


def redact(path: str) -> str:
    """Links that carry a secret are logged without it."""
    return _SECRET_PATHS.sub(r"\1[redacted]", path)


async def security_headers(message: Message, scope: Scope) -> None:
    """A before_send hook (app-level), so it sees every response: pages,
    redirects, errors, static files, the schema, and the 404/405 that the
    router answers before any middleware runs. Pages only run our own
    script and styles and are never framed."""
    if message["type"] == "http.response.start":
        present = {name.lower() for name, _value in message.get("headers", [])}
        message["headers"] = [
            *message.get("headers", []),
            *(pair for pair in SECURITY_HEADERS if pair[0] not in present),
        ]


def identity_middleware(app: ASGIApp) -> ASGIApp:
    """Puts the signed-in user (or None) on the scope and picks the language:
    the remembered switch, then the user's own language, then Accept-Language.

    A session counts only while the account is active and its session
    version is the one the session began with; otherwise it is cleared (the
    session middleware then deletes it from the store and the cookie). The
    visitor cookie (app/web/visitor.py) is read here and written back on the
    response when a controller changed it.

    A badge session (app/web/sessions.py) also ends after 90 seconds without
    a request: that request goes back to /badge in the terminal's language.
    Every response of a badge session is `Cache-Control: no-store`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        session = scope.get("session")
        user = None
        if isinstance(session, dict) and session:
            user_id, version = session.get("uid"), session.get("sv")
            if _is_int(user_id) and _is_int(version):
                user = await load_session_user(user_id, version)
            if user is None and "uid" in session:
                scope["session"] = {}  # ended elsewhere: this browser is logged out
        kiosk = sessions.kiosk_of(scope.get("session")) if user is not None else None
        ended = kiosk is not None and _badge_session_step(scope, kiosk)
        if ended and user is not None:
            # Nobody logged out by hand: the history says the terminal did it.
            # (The core reaches no area, so not accounts' record_logout: the same event.)
            await audit(
                "accounts.logout",
                actor_id=user.id,
                channel="web",
                target_type="user",
                target_id=user.id,
                organisation_id=user.organisation_id,
                detail="idle",
            )
            user = None
        scope["user"] = user
        scope["auth"] = None
        headers = Headers.from_scope(scope)
        cookie_header = headers.get("cookie", "")
        state = visitor.load(scope, _cookie(cookie_header, visitor.COOKIE))
        cookie_language = _cookie(cookie_header, LANGUAGE_COOKIE)
        if ended and kiosk is not None:
            # Back to the terminal's language, for this answer and the next.
            cookie_language = kiosk["lang"]
        i18n.set_language(
            i18n.pick_language([cookie_language, user.language if user else None], headers.get("accept-language"))
        )
        extra: list[tuple[bytes, bytes]] = []
        if ended and kiosk is not None:
            extra.append((b"set-cookie", language_cookie(kiosk["lang"], scope.get("scheme") == "https")))

        async def send_with_visitor_cookie(message) -> None:
            if message["type"] == "http.response.start":
                value = visitor.set_cookie_header(state)
                added = [*extra, *([(b"set-cookie", value)] if value is not None else [])]
                message["headers"] = [*message.get("headers", []), *added]
                if kiosk is not None:
                    message["headers"] = no_store(message["headers"])
            await send(message)

        if ended and scope["path"] not in KIOSK_ENTRY:
            # Whatever the request was, it is not done: back to the badge page.
            await _to_badge_page(send_with_visitor_cookie, htmx=headers.get("hx-request") == "true")
            return
        await app(scope, receive, send_with_visitor_cookie)

    return middleware


def _badge_session_step(scope: Scope, kiosk: dict) -> bool:
    """True when the badge session is idle too long: it is cleared (logged
    out, on the server). Otherwise this request is its latest activity and
    the page gets the countdown (templates/registration/_kiosk_session.html)."""
    if sessions.is_idle(kiosk):
        scope["session"] = {}
        return True
    if not scope["path"].startswith(STATIC):  # a stylesheet is no sign of anyone
        scope["session"] = sessions.touched(cast("dict", scope["session"]), kiosk)
        scope[sessions.KIOSK_SCOPE] = {"idle": sessions.IDLE_SECONDS, "warn": sessions.WARN_SECONDS}  # type: ignore[literal-required]
    return False


STATIC = "/static/"
# Paths that work without a session: an idle badge session ends there quietly.
KIOSK_ENTRY = frozenset({"/badge"})
ENDED_TARGET = b"/badge?ended=idle"


def no_store(headers: list) -> list:
    """A badge session's pages must not be kept by the browser: the next
    person at the terminal could go back to them."""
    kept = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
    return [*kept, (b"cache-control", b"no-store")]


def language_cookie(language: str, secure: bool) -> bytes:
    """The language switch's cookie (app.web.core.context.remember_language)."""
    value = f"{LANGUAGE_COOKIE}={language}; Max-Age={365 * 24 * 3600}; Path=/; HttpOnly; SameSite=Lax"
    return (value + ("; Secure" if secure else "")).encode()


async def _to_badge_page(send: Send, htmx: bool) -> None:
    # HTMX would follow a 303 inside the page: it is told to load the page instead.
    status, target = (204, b"hx-redirect") if htmx else (303, b"location")
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [(target, ENDED_TARGET), (b"content-length", b"0")],
    }
    await send(start)
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value
    return None
