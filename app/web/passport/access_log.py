"""/passport/access-log: the worker sees who looked at their data (newest
first, a page at a time) and downloads it as CSV or PDF. Only the signed-in
worker's own entries."""

from __future__ import annotations

import asyncio

from litestar import Request, Response, get

from app.domain.core.commands import utcnow
from app.domain.core.pagination import page_number
from app.domain.passport import access_log
from app.i18n import local_time
from app.web.core.context import signed_in_user
from app.web.core.guards import permission
from app.web.core.pages import page

PERMISSION = "passport.view"
# The PDF is for reading: the newest entries; the CSV holds them all.
PDF_ROWS = 5_000


def download(body: bytes, media_type: str, name: str) -> Response:
    stamp = local_time(utcnow()).strftime("%Y-%m-%d")
    return Response(
        content=body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="werkpas-{name}-{stamp}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@get("/passport/access-log", opt=permission(PERMISSION), include_in_schema=False)
async def show(request: Request) -> Response:
    user = signed_in_user(request)
    result = await access_log.page_of(user.id, page_number(request.query_params.get("page")))
    describe = access_log.Describer()
    context = {"page": result, "rows": [describe(entry) for entry in result.items], "query": {}}
    return page(request, "passport/access_log.html", context, partial="passport/_access_log_table.html")


@get("/passport/access-log.csv", opt=permission(PERMISSION), include_in_schema=False)
async def as_csv(request: Request) -> Response:
    user = signed_in_user(request)
    body = access_log.to_csv(await access_log.all_entries(user.id))
    return download(body, "text/csv; charset=utf-8", "access-log.csv")


@get("/passport/access-log.pdf", opt=permission(PERMISSION), include_in_schema=False)
async def as_pdf(request: Request) -> Response:
    user = signed_in_user(request)
    entries = await access_log.all_entries(user.id, PDF_ROWS)
    # reportlab is CPU work: off the event loop (the language travels with the context).
    body = await asyncio.to_thread(access_log.to_pdf, entries, user.display_name)
    return download(body, "application/pdf", "access-log.pdf")


handlers: list = [show, as_csv, as_pdf]
