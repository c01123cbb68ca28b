"""Static files (/static/...): only plain relative paths are looked up.

A NUL byte in a path made the file lookup raise (a 500); odd bytes, a
backslash, dot segments or a hidden file name get 404 before the file
system is touched."""

from __future__ import annotations

import re
from pathlib import Path

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.router import Router
from litestar.static_files import create_static_files_router

PREFIX = "/static/"
# Segments of letters, digits, dot, dash and underscore, not starting with a dot.
PLAIN_PATH = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]*(?:/[A-Za-z0-9_\-][A-Za-z0-9_.\-]*)*", re.ASCII)


async def plain_static_path(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    path = connection.scope["path"]
    if not path.startswith(PREFIX) or not PLAIN_PATH.fullmatch(path[len(PREFIX) :]):
        raise NotFoundException()


def static_files_router(directory: Path) -> Router:
    return create_static_files_router(
        path="/static",
        directories=[directory],
        opt={"public": True},
        guards=[plain_static_path],
        include_in_schema=False,
    )
