"""Signing in over HTTP like a browser: GET /login for the CSRF cookie, then
POST the form. Returns the cookies a load generator sends with each request."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

CSRF_COOKIE = "werkpas_csrf"
SESSION_COOKIE = "werkpas_session"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base_url: str, email: str, password: str) -> dict[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    with opener.open(base_url + "/login", timeout=10) as response:
        response.read()
    token = _cookie(jar, CSRF_COOKIE)
    if not token:
        raise RuntimeError("GET /login set no CSRF cookie")
    form = urllib.parse.urlencode({"email": email, "password": password, "_csrf_token": token}).encode()
    request = urllib.request.Request(base_url + "/login", data=form, method="POST")
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # the 303 after a successful login lands here
        status = exc.code
    if status != 303:
        raise RuntimeError(f"POST /login answered {status}, expected a 303 redirect")
    session = _cookie(jar, SESSION_COOKIE)
    if not session or session == "null":
        raise RuntimeError("login set no session cookie")
    return {CSRF_COOKIE: token, SESSION_COOKIE: session}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def get(base_url: str, path: str, cookies: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(base_url + path, headers={"Cookie": cookie_header(cookies)})
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _cookie(jar: http.cookiejar.CookieJar, name: str) -> str | None:
    return next((cookie.value for cookie in jar if cookie.name == name), None)
