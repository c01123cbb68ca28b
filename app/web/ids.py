"""Ids in paths (`/admin/units/{unit_id:int}`) that cannot name a row, such
as 0, -1 or 10**20 (too big for the database's integer: SQLite raised an
OverflowError, a 500), are 404 for every route before its handler runs."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException

from app.domain.core.ids import parse_id


async def impossible_ids(request: Request) -> None:
    """App-level before_request hook."""
    for value in request.path_params.values():
        if isinstance(value, int) and not isinstance(value, bool) and parse_id(value) is None:
            raise NotFoundException()
