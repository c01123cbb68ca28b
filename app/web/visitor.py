"""What a visitor who is not logged in carries between requests: the
registration progress and flash messages, in a signed, expiring cookie.

Anonymous requests must create no server-side session (anyone could fill the
session store), so this state travels with the browser instead. The cookie
is `werkpas_visitor` = "<payload>.<expires>.<signature>": the payload is
hex-encoded JSON, `expires` Unix seconds, and the signature
HMAC-SHA256(key, payload.expires) with a key derived from the server key. A
changed, foreign or expired cookie reads as empty. It is HttpOnly, SameSite
Lax, Secure with https, and lives LIFETIME seconds from its last change.

The payload is readable by whoever holds the browser (signed, not
encrypted): it holds only ids, a language, a time, a keyed birth-date
digest (useless without the server key) and the visitor's own messages.

identity_middleware loads it into the scope (`load`) and writes it back on
the response when a controller changed it (`set_cookie_header`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import msgspec

from app.config import get_settings

COOKIE = "werkpas_visitor"
LIFETIME = 3600  # seconds: a registration takes minutes; a stolen copy soon expires
MAX_FLASHES = 5
MAX_COOKIE = 3800  # browsers keep at most ~4 KB per cookie
SCOPE_KEY = "werkpas.visitor"


def _key() -> bytes:
    # A key of its own, derived from the server key, so this signature can
    # never be mistaken for another HMAC the server makes (links, proofs).
    return hmac.new(get_settings().secret_key.encode(), b"werkpas-visitor-cookie", hashlib.sha256).digest()


def _sign(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def encode(data: dict[str, Any], now: float | None = None, key: bytes | None = None) -> str:
    payload = msgspec.json.encode(data).hex()
    body = f"{payload}.{int((now if now is not None else time.time()) + LIFETIME)}"
    return f"{body}.{_sign(key or _key(), body)}"


def decode(value: str | None, now: float | None = None) -> dict[str, Any]:
    """The state in a cookie value; {} for anything not signed by us, or expired."""
    if not value or len(value) > 2 * MAX_COOKIE or not value.isascii():
        return {}
    payload, _sep, rest = value.partition(".")
    expires, _sep, signature = rest.partition(".")
    if not hmac.compare_digest(signature, _sign(_key(), f"{payload}.{expires}")):
        return {}
    if not expires.isdigit() or int(expires) <= (now if now is not None else time.time()):
        return {}
    try:
        data = msgspec.json.decode(bytes.fromhex(payload))
    except (ValueError, msgspec.DecodeError):
        return {}
    return data if isinstance(data, dict) else {}


class VisitorState:
    """The decoded cookie of one request; `changed` once a controller wrote."""

    def __init__(self, data: dict[str, Any], came_with_cookie: bool):
        self.data = data
        self.came_with_cookie = came_with_cookie
        self.changed = False

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.changed = True

    def discard(self, key: str) -> None:
        if key in self.data:
            del self.data[key]
            self.changed = True


def load(scope, raw: str | None) -> VisitorState:
    state = VisitorState(decode(raw), came_with_cookie=bool(raw))
    scope[SCOPE_KEY] = state
    return state


def of(scope) -> VisitorState:
    """The state of the current request (an empty one outside the middleware)."""
    state = scope.get(SCOPE_KEY)
    if state is None:
        state = scope[SCOPE_KEY] = VisitorState({}, came_with_cookie=False)
    return state


def _cookie(value: str, max_age: int) -> bytes:
    secure = "; Secure" if get_settings().secure_cookies else ""
    return f"{COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()


def set_cookie_header(state: VisitorState) -> bytes | None:
    """The Set-Cookie value for the response, or None when nothing changed.
    An emptied state deletes the cookie (only if the browser had one)."""
    if not state.changed:
        return None
    if not state.data:
        return _cookie("", 0) if state.came_with_cookie else None
    value = encode(state.data)
    while len(value) > MAX_COOKIE and state.data.get("flash"):
        # Never lose the registration progress to a pile of old messages.
        state.data["flash"] = state.data["flash"][1:]
        value = encode(state.data)
    return _cookie(value, LIFETIME) if len(value) <= MAX_COOKIE else None
