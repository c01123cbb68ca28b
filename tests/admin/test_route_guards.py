"""Deny by default: every route names a permission or is on the public list."""

from app.web.core.areas import public_routes, web_areas

# Exactly the (method, path) pairs the areas declare public (each WebArea's
# `public`, in app/web/<area>/__init__.py) may be reached without a permission.
PUBLIC_ROUTES = public_routes()


def _handlers(app):
    """(method, path, handler) for every route handler we registered:
    Litestar's automatic OPTIONS handlers and the OpenAPI pages are not ours
    (our own routes under /schema, such as /schema/commands.json, are)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if handler.handler_name == "options_handler":
                continue
            if (route.path == "/schema" or route.path.startswith("/schema/")) and _litestar_own(handler):
                continue
            for method in sorted(handler.http_methods):
                yield method, route.path, handler


def _litestar_own(handler) -> bool:
    return getattr(handler.fn, "__module__", "").startswith("litestar.")


async def test_every_route_has_a_permission_or_is_public(app):
    unguarded = [
        f"{method} {path}"
        for method, path, handler in _handlers(app)
        if not handler.opt.get("permission") and not handler.opt.get("public")
    ]
    assert unguarded == []


async def test_public_routes_are_exactly_the_allow_list(app):
    public = {(method, path) for method, path, handler in _handlers(app) if handler.opt.get("public")}
    assert public == PUBLIC_ROUTES


async def test_the_check_sees_the_admin_routes(app):
    """The enumeration must reach the routes it guards (or it proves nothing)."""
    permissions = {(method, path): handler.opt.get("permission") for method, path, handler in _handlers(app)}
    assert permissions[("GET", "/admin/users")] == "admin.users"
    assert permissions[("POST", "/admin/jobs/{job_id:int}/retry")] == "admin.jobs"
    assert permissions[("GET", "/schema/commands.json")] == "system.commands"
    assert len(permissions) > 30


def test_the_public_routes_are_declared_per_area():
    """Each public route is declared by the area whose pages it serves, and
    the allow-list is what it was before the areas declared it."""
    by_area = {area.name: area.public for area in web_areas()}
    assert ("GET", "/login") in by_area["accounts"]
    assert ("GET", "/register") in by_area["registration"]
    assert ("GET", "/healthz") in by_area["system"]
    assert not by_area["admin"] and not by_area["invitations"] and not by_area["passport"]
    # The API's three routes check an API key instead of a session (app.web.api.v1.require_key).
    assert {path for _method, path in by_area["api"]} == {
        "/api/v1/workers",
        "/api/v1/workers/{worker_id:int}",
        "/api/v1/consent-events",
    }
    # Participation's calendar feed (its token is the secret) and its one-click
    # unsubscribe (RFC 8058: a signed link, GET and POST).
    assert {path for _method, path in by_area["participation"]} == {
        "/participation/calendar/{token:str}",
        "/participation/unsubscribe/{user_id:int}/{kind:str}/{signature:str}",
    }
    assert len(PUBLIC_ROUTES) == 40 == sum(len(public) for public in by_area.values())
