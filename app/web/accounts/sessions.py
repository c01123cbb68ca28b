"""Starting and ending a signed-in session.

A login gets a brand-new session id (the old one is deleted from the store),
so an id planted before login (session fixation) is worth nothing after it.
Litestar keeps the parsed cookies in the connection state it shares with the
session middleware; dropping our cookie there makes the middleware mint a new
id when it writes the session.
"""

from __future__ import annotations

from litestar import Request

from app.web.app import SESSION_COOKIE


async def _forget_session(request: Request) -> None:
    old_id = request.cookies.pop(SESSION_COOKIE, None)
    if old_id:
        await request.app.stores.get("sessions").delete(old_id)
    request.clear_session()


async def start_session(request: Request, user_id: int) -> None:
    await _forget_session(request)
    request.set_session({"uid": user_id})


async def end_session(request: Request) -> None:
    await _forget_session(request)
    request.set_session({})
