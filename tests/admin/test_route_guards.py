"""Deny by default: every route names a permission or is on the public list."""

# Exactly these (method, path) pairs may be reached without a permission.
PUBLIC_ROUTES = {
    ("GET", "/"),
    ("GET", "/privacy"),
    ("POST", "/language"),
    ("GET", "/healthz"),
    ("GET", "/.well-known/security.txt"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/password/forgot"),
    ("POST", "/password/forgot"),
    ("GET", "/password/set/{secret:str}"),
    ("POST", "/password/set/{secret:str}"),
    ("GET", "/password/reset/{secret:str}"),
    ("POST", "/password/reset/{secret:str}"),
    ("GET", "/email/confirm/{secret:str}"),
    ("POST", "/email/confirm/{secret:str}"),
    ("GET", "/static/{file_path:path}"),
    ("HEAD", "/static/{file_path:path}"),
    # Registration: the link token or the short code is the secret.
    ("GET", "/i/{token:str}"),
    ("GET", "/register"),
    ("POST", "/register"),
    ("GET", "/register/identity"),
    ("POST", "/register/identity"),
    ("GET", "/register/language"),
    ("POST", "/register/language"),
    ("GET", "/register/privacy"),
    ("POST", "/register/privacy"),
    ("GET", "/register/account"),
    ("POST", "/register/account"),
    ("GET", "/pin/reset"),
    ("POST", "/pin/reset"),
    # Kiosk login: the badge and the PIN are the secrets.
    ("GET", "/badge"),
    ("POST", "/badge"),
}


def _handlers(app):
    """(method, path, handler) for every route handler we registered:
    Litestar's automatic OPTIONS handlers and the OpenAPI pages are not ours."""
    for route in app.routes:
        if route.path == "/schema" or route.path.startswith("/schema/"):
            continue
        for handler in getattr(route, "route_handlers", ()):
            if handler.handler_name == "options_handler":
                continue
            for method in sorted(handler.http_methods):
                yield method, route.path, handler


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
    assert len(permissions) > 30
