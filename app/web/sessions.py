"""Server-side sessions that write only when there is something to keep.

Litestar's server-side backend stores the session on every response, even an
empty one for an anonymous visitor: one file (or Redis key) and a cookie per
request, which lets any crawler fill the disk and costs a write on every
page. This backend skips the write when the session is empty and no session
cookie came in, clears the cookie when a session became empty, and skips it
when nothing changed since it was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession

SESSION_COOKIE = "werkpas_session"
_LOADED = "werkpas.session_loaded"


class QuietSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        came_with_cookie = bool(connection.cookies.get(self.config.key))
        connection.scope[_LOADED] = (came_with_cookie, self.serialize_data(data, connection.scope) if data else None)  # type: ignore[literal-required]
        return data

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection) -> None:
        came_with_cookie, loaded = cast("tuple[bool, Any]", connection.scope.get(_LOADED, (True, None)))
        if scope_session is not Empty and not scope_session:
            if not came_with_cookie:
                return  # an anonymous visitor: nothing to store, no cookie
            scope_session = Empty  # the session was emptied: delete it
        elif scope_session is not Empty and loaded is not None and connection.cookies.get(self.config.key):
            if self.serialize_data(scope_session, connection.scope) == loaded:
                return  # unchanged, and the same session id: nothing to write
        await super().store_in_message(scope_session, message, connection)


@dataclass
class QuietSessionConfig(ServerSideSessionConfig):
    _backend_class = QuietSessionBackend
