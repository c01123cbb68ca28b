"""The size limits of a request. The request body limit of each route, enforced before anything reads the
body: an announced Content-Length over the limit is refused with 413 at
once (before the CSRF check, which may read a form), and a body without a
length is cut off with 413 as soon as it passes the limit.

Every route takes at most MAX_BODY (64 KB: the longest form, a print
selection of 5000 rows, fits); the upload route declares its own larger
`request_max_body_size`, and its permission guard runs before its body is
read."""

from __future__ import annotations

from litestar._parsers import parse_cookie_string, parse_query_string
from litestar.datastructures import Headers
from litestar.exceptions import ClientException, HTTPException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send
from litestar.utils.scope.state import ScopeState

MAX_BODY = 64 * 1024
# Litestar parses query strings and Cookie headers with lru_caches keyed by
# the raw text (1024 entries each), so distinct long ones would pile up like
# bodies did: they are parsed here, without the cache, and kept where
# Litestar looks first. The limits are only sanity bounds (a GET of 5000 ids
# for the print routes still fits).
MAX_QUERY = 64 * 1024
MAX_COOKIE = 16 * 1024


class URITooLong(HTTPException):
    status_code = 414


class HeaderFieldsTooLarge(HTTPException):
    status_code = 431


def route_limit(scope: Scope) -> int:
    handler = scope.get("route_handler")
    limit = handler.resolve_request_max_body_size() if isinstance(handler, HTTPRouteHandler) else None
    return limit or MAX_BODY


def body_limit_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = route_limit(scope)
        announced = Headers.from_scope(scope).get("content-length")
        if announced is not None:
            if not (announced.isascii() and announced.isdigit()):
                raise ClientException("invalid content-length")
            if len(announced) > 18 or int(announced) > limit:  # int() refuses over 4300 digits
                raise RequestEntityTooLarge()
        received = 0

        async def limited_receive() -> ReceiveMessage:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestEntityTooLarge()
            return message

        await app(scope, limited_receive, send)

    return middleware


def request_size_middleware(app: ASGIApp) -> ASGIApp:
    """Outermost: refuses a long query string (414) or Cookie header (431),
    and parses both without Litestar's caches before anything reads them."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"")
            cookie = b"; ".join(value for name, value in scope["headers"] if name == b"cookie")
            if len(query) > MAX_QUERY:
                raise URITooLong()
            if len(cookie) > MAX_COOKIE:
                raise HeaderFieldsTooLarge()
            state = ScopeState.from_scope(scope)
            # __wrapped__: Litestar's own parsers (the same results), minus the lru_cache.
            state.parsed_query = parse_query_string.__wrapped__(query)
            state.cookies = parse_cookie_string.__wrapped__(cookie.decode("latin-1")) if cookie else {}
        await app(scope, receive, send)

    return middleware
