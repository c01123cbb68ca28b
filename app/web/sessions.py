"""Server-side sessions that write only when there is something to keep.

Litestar's server-side backend stores the session on every response, even an
empty one for an anonymous visitor: one file (or Redis key) and a cookie per
request, which lets any crawler fill the disk and costs a write on every
page. This backend skips the write when the session is empty and no session
cookie came in, clears the cookie when a session became empty, and skips it
when nothing changed since it was read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, cast

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
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
        if scope_session is not Empty and is_remembered(scope_session):
            await self._store_remembered(scope_session, message, connection)
            return
        await super().store_in_message(scope_session, message, connection)

    async def _store_remembered(self, session: Any, message: Message, connection: ASGIConnection) -> None:
        """A "remember me" session: kept REMEMBER_SECONDS in the store and in
        a persistent cookie, instead of the day-long default."""
        store = self.config.get_store_from_app(connection.scope["app"])
        session_id = self.get_session_id(connection)
        await store.set(session_id, self.serialize_data(session, connection.scope), expires_in=REMEMBER_SECONDS)
        cookie = Cookie(
            value=session_id,
            key=self.config.key,
            path=self.config.path,
            domain=self.config.domain,
            secure=self.config.secure,
            httponly=self.config.httponly,
            samesite=self.config.samesite,
            max_age=REMEMBER_SECONDS,
        )
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


# -- remember me ------------------------------------------------------------
#
# Opt-in on the web login, on one's own device: the session then lasts 30
# days (the store entry and a persistent cookie). Never in a badge session:
# a badge login cannot ask for it, and a session marked as both is treated
# as a badge session.

REMEMBER_KEY = "rm"
REMEMBER_SECONDS = 30 * 24 * 3600


def is_remembered(session: object) -> bool:
    return isinstance(session, dict) and session.get(REMEMBER_KEY) is True and kiosk_of(session) is None


@dataclass
class QuietSessionConfig(ServerSideSessionConfig):
    _backend_class = QuietSessionBackend


# -- badge (kiosk) sessions -------------------------------------------------
#
# A login with a badge at a shared terminal must not outlive the worker in
# front of it. The session records it under KIOSK_KEY: the language the
# terminal showed before the login ("lang", where logging out returns) and
# the time of the last request ("at"). identity_middleware refreshes "at" on
# every request and treats a session idle for IDLE_SECONDS as logged out;
# static/js/kiosk.js shows the countdown and asks "Are you still there?".

KIOSK_KEY = "kiosk"
# What the middleware puts on the scope for the page (the countdown).
KIOSK_SCOPE = "werkpas.kiosk"
IDLE_SECONDS = 90
WARN_SECONDS = 30  # the "Are you still there?" prompt, before the end


def clock() -> float:
    """Now, in Unix seconds (a function, so tests can move time)."""
    return time.time()


def badge_session(data: dict[str, Any], terminal_language: str) -> dict[str, Any]:
    """The session `data` (a fresh login) marked as a badge session."""
    return {**data, KIOSK_KEY: {"lang": terminal_language, "at": round(clock(), 1)}}


def kiosk_of(session: object) -> dict[str, Any] | None:
    """The badge-session record of a session, or None for any other."""
    value = session.get(KIOSK_KEY) if isinstance(session, dict) else None
    if isinstance(value, dict) and isinstance(value.get("lang"), str) and isinstance(value.get("at"), int | float):
        return value
    return None


def is_idle(kiosk: dict[str, Any]) -> bool:
    return clock() - float(kiosk["at"]) >= IDLE_SECONDS


def touched(session: dict[str, Any], kiosk: dict[str, Any]) -> dict[str, Any]:
    """The session with its last activity set to now."""
    return {**session, KIOSK_KEY: {**kiosk, "at": round(clock(), 1)}}


def terminal_language(session: object) -> str | None:
    """Where a badge session's logout returns to (None: not a badge session)."""
    kiosk = kiosk_of(session)
    return kiosk["lang"] if kiosk else None
