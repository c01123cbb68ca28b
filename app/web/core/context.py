"""Request helpers shared by every controller: who is asking, from where,
in which language, and the flash messages to show on the next page."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from app.config import get_settings
from app.domain.core.access import CurrentUser
from app.web import visitor


def current_user(request: Request) -> CurrentUser | None:
    return request.scope.get("user")


def signed_in_user(request: Request) -> CurrentUser:
    """The user on a route behind a permission guard, which lets no anonymous
    request through (typed: no None to handle)."""
    user = current_user(request)
    if user is None:
        raise NotAuthorizedException("login required")
    return user


def client_address(request: Request) -> str:
    """The client's address; X-Forwarded-For counts only when the direct peer
    is a trusted proxy, and then we take the right-most untrusted hop."""
    peer = request.client.host if request.client else "unknown"
    proxies = get_settings().trusted_proxies
    if not proxies or not _is_trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


def _is_trusted(address: str, proxies) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def _session_of(request: Request) -> dict[str, Any]:
    session = request.scope.get("session")
    return session if isinstance(session, dict) else {}


def _signed_in(request: Request) -> bool:
    return bool(_session_of(request).get("uid"))


def flash(request: Request, message: str, category: str = "info") -> None:
    """Queue a message (already translated) for the next rendered page: in
    the session of a signed-in user, in the visitor cookie otherwise (an
    anonymous request must not create a server-side session)."""
    item = {"message": message, "category": category}
    if _signed_in(request):
        messages = list(request.session.get("flash", []))
        request.set_session({**request.session, "flash": [*messages, item]})
        return
    state = visitor.of(request.scope)
    messages = state.get("flash")
    messages = messages if isinstance(messages, list) else []
    state.set("flash", [*messages, item][-visitor.MAX_FLASHES :])


def pop_flashes(request: Request) -> list[dict]:
    messages: list[dict] = []
    session = _session_of(request)
    if session.get("flash"):
        messages.extend(session["flash"])
        request.set_session({key: value for key, value in session.items() if key != "flash"})
    state = visitor.of(request.scope)
    kept = state.get("flash")
    if kept:
        messages.extend(item for item in kept if isinstance(item, dict) and isinstance(item.get("message"), str))
        state.discard("flash")
    return messages


def remember_language(request: Request, response, language: str) -> None:
    """The language choice is kept in a cookie for a year (visitors too)."""
    from app.web.middleware import LANGUAGE_COOKIE

    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
