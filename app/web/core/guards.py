"""Deny by default. Every route names one permission in its `opt`
(`opt=permission("admin.units")`), or is listed as public (`opt=PUBLIC`).
A route with neither is refused for everyone; a test checks none exists."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

PUBLIC = {"public": True}
# Routes Litestar itself registers (the OpenAPI schema) are public by path;
# a route of ours under that prefix (/schema/commands.json) names its permission.
PUBLIC_PREFIXES = ("/schema",)


def permission(name: str) -> dict:
    return {"permission": name}


async def authorize(connection: ASGIConnection, route_handler: BaseRouteHandler) -> None:
    # async: a plain function would be run in a worker thread on every request.
    opt = route_handler.opt
    needed = opt.get("permission")
    if opt.get("public") or (not needed and connection.scope["path"].startswith(PUBLIC_PREFIXES)):
        return
    if not needed:
        raise PermissionDeniedException("route without permission")
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException("login required")
    if not user.has_permission(needed):
        raise PermissionDeniedException(needed)
