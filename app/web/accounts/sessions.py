"""Starting and ending a signed-in session.

A login gets a brand-new session id (the old one is deleted from the store),
so an id planted before login (session fixation) is worth nothing after it.
Litestar keeps the parsed cookies in the connection state it shares with the
session middleware; dropping our cookie there makes the middleware mint a new
id when it writes the session.

The session holds the user id ("uid") and the account's session version at
the start ("sv"); identity_middleware treats a session whose version is no
longer the account's as logged out (app/domain/accounts/identity.py).
"""

from __future__ import annotations

from litestar import Request

from app.domain.core.identity import session_version
from app.web.sessions import REMEMBER_KEY, SESSION_COOKIE

USER_KEY = "uid"
VERSION_KEY = "sv"


async def _forget_session(request: Request) -> None:
    old_id = request.cookies.pop(SESSION_COOKIE, None)
    if old_id:
        await request.app.stores.get("sessions").delete(old_id)
    request.clear_session()


async def start_session(request: Request, user_id: int, version: int | None = None, *, remember: bool = False) -> None:
    """`version`: the account's session version read together with the
    secret just checked (a login), so sessions ended while it was checked
    void this one too; otherwise the current one. `remember`: the person
    asked to stay logged in on this device (web login only)."""
    if version is None:
        version = await session_version(user_id)
    await _forget_session(request)
    data: dict = {USER_KEY: user_id, VERSION_KEY: version or 0}
    if remember:
        data[REMEMBER_KEY] = True
    request.set_session(data)


async def end_session(request: Request) -> None:
    await _forget_session(request)
    request.set_session({})


def session_user_id(request: Request) -> int | None:
    """The account this browser's session belongs to (None: anonymous)."""
    session = request.scope.get("session")
    value = session.get(USER_KEY) if isinstance(session, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
