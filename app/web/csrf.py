"""CSRF protection, in place of Litestar's CSRFMiddleware (which parses the
form body before it refuses a request, with Litestar's cached parser).

Double submit, as before: a signed random token in the `werkpas_csrf`
cookie, set on any safe request that has none (or a forged one), and the
same token sent back with every unsafe request in the `x-csrftoken` header
(HTMX) or the `_csrf_token` form field. The template function csrf_token()
reads it from the request scope.

An unsafe request is refused (403) before any of its body is read when the
cookie is missing or not validly signed, or when the header token does not
match. Only with a valid cookie and no header token is the body read (at
most the route's body limit) and parsed, once: the form is kept on the scope
for the controller (app/web/core/forms.py). Routes marked READS_OWN_BODY (the
upload) parse their body themselves after the permission guard, and check the
field token with `tokens_match`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TypeGuard, cast

from litestar import Request
from litestar.datastructures import Cookie, Headers, MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState
from multipart import parse_options_header

from app.web.core import forms

COOKIE = "werkpas_csrf"
HEADER = "x-csrftoken"
FIELD = "_csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# A route whose handler reads and checks its own body (opt=READS_OWN_BODY).
READS_OWN_BODY = {"reads_own_body": True}
# Paths outside CSRF protection: the API (app/web/api) authenticates every
# request by its key in a header, which no other site's page can send, and
# sets no cookie (nor this one).
# The one-click unsubscribe of participation mails (RFC 8058): a mail program
# POSTs it without cookie or token; its signed URL is the secret, and all it
# can do is switch one kind of mail off (app/web/participation/mail_settings.py).
EXEMPT_PREFIXES = ("/api/", "/participation/unsubscribe/")
_RANDOM_HEX = 64  # 32 random bytes, then their HMAC (the format Litestar used: old cookies stay valid)


def new_token(secret: str) -> str:
    random_part = secrets.token_hex(_RANDOM_HEX // 2)
    return random_part + _signature(random_part, secret)


def _signature(random_part: str, secret: str) -> str:
    return hmac.new(secret.encode(), random_part.encode(), hashlib.sha256).hexdigest()


def _random_part(token: str | None, secret: str) -> str | None:
    """The random part of a validly signed token, else None."""
    if not token or len(token) != _RANDOM_HEX * 2 or not token.isascii():
        return None
    head, tail = token[:_RANDOM_HEX], token[_RANDOM_HEX:]
    return head if hmac.compare_digest(tail, _signature(head, secret)) else None


def is_valid(token: str | None, secret: str) -> TypeGuard[str]:
    return _random_part(token, secret) is not None


def tokens_match(sent: str | None, cookie: str | None, secret: str) -> bool:
    """The token sent with the request is validly signed and the cookie's."""
    ours, theirs = _random_part(cookie, secret), _random_part(sent, secret)
    return ours is not None and theirs is not None and hmac.compare_digest(ours, theirs)


def check(sent: str | None, cookie: str | None, secret: str) -> None:
    if not tokens_match(sent, cookie, secret):
        raise PermissionDeniedException("CSRF token verification failed")


def cookie_value(headers: Headers, name: str = COOKIE) -> str | None:
    # Read by hand: Litestar's cookie parser keeps an lru_cache keyed by the header.
    for part in headers.get("cookie", "").split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return None


def csrf_protection(secret: str, secure: bool):
    """The middleware factory for Litestar's `middleware=[...]` (innermost, so
    the refusal page has the user and the language)."""

    def middleware_factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
                await app(scope, receive, send)
                return
            headers = Headers.from_scope(scope)
            cookie = cookie_value(headers)
            state = ScopeState.from_scope(scope)
            if cast("HTTPScope", scope)["method"] in SAFE_METHODS:
                token = cookie if is_valid(cookie, secret) else new_token(secret)
                state.csrf_token = token
                await app(scope, receive, send if token == cookie else _setting_cookie(send, token, secure))
                return
            if not is_valid(cookie, secret):
                raise PermissionDeniedException("CSRF cookie missing or forged")
            sent = headers.get(HEADER)
            if sent is None and not _reads_own_body(scope):
                sent = await _field_token(scope, receive, headers)
            if sent is not None or not _reads_own_body(scope):
                check(sent, cookie, secret)
            state.csrf_token = cookie
            await app(scope, receive, send)

        return middleware

    return middleware_factory


def _reads_own_body(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("reads_own_body"))


async def _field_token(scope: Scope, receive: Receive, headers: Headers) -> str | None:
    """The token from the form field: the body is read (within the route's
    limit), parsed once and kept on the scope for the controller."""
    content_type = headers.get("content-type", "")
    kind, _options = parse_options_header(content_type)
    if kind not in (forms.URL_ENCODED, forms.MULTIPART):
        return None
    body = await Request(scope, receive).body()  # kept by Litestar for later reads
    form = forms.parse_body(body, content_type)
    scope[forms.SCOPE_KEY] = form  # type: ignore[literal-required]
    return form.first(FIELD) or None


def _setting_cookie(send: Send, token: str, secure: bool) -> Send:
    cookie = Cookie(key=COOKIE, value=token, path="/", secure=secure, httponly=False, samesite="lax")

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
        await send(message)

    return wrapped
