"""/schema/commands.json: the command catalogue (as `werkpas commands --json`),
for signed-in platform admins only."""

from __future__ import annotations

from litestar import Request, Response, get

from app.domain.core.catalogue import catalogue
from app.web.core.guards import permission

# Platform-only (app.domain.core.access): anyone else gets the usual refusal.
PERMISSION = "system.commands"
PATH = "/schema/commands.json"


@get(PATH, opt=permission(PERMISSION), include_in_schema=False)
async def commands_json(request: Request) -> Response:
    return Response(content=catalogue(), media_type="application/json")


handlers = [commands_json]
