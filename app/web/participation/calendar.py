"""/participation/calendar: the person's subscribable calendar address (to
copy into Outlook, Google or a phone), a button that makes a new one (the
old one stops working), and the feed itself at
/participation/calendar/<token>.ics, public: the token is the secret."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.config import get_settings
from app.domain.participation.calendar_queries import feed_for_token, my_feed
from app.i18n import _
from app.web.core.commands import run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data
from app.web.core.guards import PUBLIC, permission
from app.web.core.pages import page, redirect

TAKE_PART = permission("participation.take_part")
FEED_PATH = "/participation/calendar/{token:str}"


@get("/participation/calendar", opt=TAKE_PART, include_in_schema=False)
async def calendar_page(request: Request) -> Response:
    feed = await my_feed(signed_in_user(request).id)
    address = None
    if feed["token"]:
        address = f"{get_settings().base_url.rstrip('/')}/participation/calendar/{feed['token']}.ics"
    return page(request, "participation/meeting/calendar.html", {"address": address, "meetings": feed["meetings"]})


@post("/participation/calendar/reset", opt=TAKE_PART, include_in_schema=False)
async def reset_feed(request: Request) -> Response:
    data = await form_data(request)
    outcome = await run(request, "participation.reset_calendar_feed", {}, data)
    if outcome.applied:
        text = (
            _("Done: this is your new calendar address. The old one no longer works.")
            if outcome.ids.get("reset")
            else _("Done: this is your calendar address.")
        )
        flash(request, text, "success")
    return redirect(request, "/participation/calendar")


@get(FEED_PATH, opt=PUBLIC, include_in_schema=False)
async def calendar_feed(token: FromPath[str]) -> Response:
    if not token.endswith(".ics"):
        raise NotFoundException()
    ics = await feed_for_token(token[: -len(".ics")])
    if ics is None:
        raise NotFoundException()
    return Response(
        ics,
        media_type="text/calendar; charset=utf-8",
        headers={"cache-control": "private, max-age=300", "content-disposition": 'inline; filename="werkpas.ics"'},
    )


handlers: list = [calendar_page, reset_feed, calendar_feed]
