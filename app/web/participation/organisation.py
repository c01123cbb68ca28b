"""/participation/organisation: the organisation's tables by phase (proposed,
planned, held, evaluated; cancelled folded away), as far as the person may
see them, and a search over the published minutes."""

from __future__ import annotations

from litestar import Request, Response, get

from app.domain.core.pagination import page_number
from app.domain.participation.home import organisation_tables, search_minutes
from app.web.core.forms import query_value
from app.web.core.guards import permission
from app.web.core.pages import page
from app.web.participation.common import chosen_member
from app.web.participation.home import labels

TAKE_PART = "participation.take_part"


@get("/participation/organisation", opt=permission(TAKE_PART), include_in_schema=False)
async def organisation_page(request: Request) -> Response:
    me, organisations = await chosen_member(request)
    words = query_value(request, "q", 200)
    found = await search_minutes(me, words, page_number(query_value(request, "page", 10)))
    query = {"q": words}
    if len(organisations) > 1:
        query["organisation"] = str(me.organisation_id)
    context = {
        "groups": await organisation_tables(me),
        "minutes": found,
        "words": words,
        "query": query,
        "member": me,
        "organisations": organisations,
        "organisation": next((o for o in organisations if o["id"] == me.organisation_id), None),
        **labels(),
    }
    return page(
        request, "participation/organisation/index.html", context, partial="participation/organisation/_minutes.html"
    )


handlers: list = [organisation_page]
