"""The worker's help pages: "rules here" (prices, coins, chairs, the goal,
who the ambassadors are), "ask my ambassador" and the FAQ with search."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app.domain.participation.ambassadors import ASK_LIMIT, post_for, posts
from app.domain.participation.faq import faq_for
from app.domain.participation.goals import current_progress
from app.domain.participation.setup import PERIOD_LABELS, REFILL_LABELS, settings_of
from app.i18n import _, current_language
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import form_data, query_value
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.participation.common import chosen_member

GUARD = permission("participation.take_part")


@get("/participation/rules", opt=GUARD, include_in_schema=False)
async def rules_page(request: Request) -> Response:
    me, organisations = await chosen_member(request)
    organisation_id = me.organisation_id
    every = await posts(organisation_id)
    mine = next((p for p in every if p["unit"]["id"] == me.unit_id), None)
    others = [p for p in every if p is not mine and p["active"]]
    context = {
        "me": me,
        "organisation": next(org for org in organisations if org["id"] == organisation_id),
        "organisations": organisations,
        "settings": await settings_of(organisation_id),
        "goal": await current_progress(organisation_id),
        "mine": mine,
        "others": others,
        "period_label": _(PERIOD_LABELS.get((await settings_of(organisation_id)).period, "month")),
        "refill_labels": {key: _(label) for key, label in REFILL_LABELS.items()},
    }
    return page(request, "participation/help/rules.html", context)


async def _ask_page(request: Request, errors: dict | None = None, values: dict | None = None, status_code: int = 200):
    me, organisations = await chosen_member(request)
    context = {
        "me": me,
        "organisation": next(org for org in organisations if org["id"] == me.organisation_id),
        "organisations": organisations,
        "post": await post_for(me.organisation_id, me.unit_id),
        "limit": ASK_LIMIT,
        "errors": errors or {},
        "values": values or {},
    }
    return page(request, "participation/help/ambassador.html", context, status_code=status_code)


@get("/participation/ambassador", opt=GUARD, include_in_schema=False)
async def ambassador_page(request: Request) -> Response:
    return await _ask_page(request)


@post("/participation/ambassador", opt=GUARD, include_in_schema=False)
async def ask_ambassador(request: Request) -> Response:
    me, _organisations = await chosen_member(request)
    data = await form_data(request)
    payload = {"organisation_id": me.organisation_id, "question": data.get("question", "")}
    outcome = await run(request, "participation.ask_ambassador", payload, data)
    if not outcome.applied:
        return await _ask_page(request, messages(outcome), data, status_code=422)
    flash(request, _("Sent: your ambassador gets your question by mail and answers you."), "success")
    return redirect(request, f"/participation/ambassador?organisation={me.organisation_id}")


@get("/participation/faq", opt=GUARD, include_in_schema=False)
async def faq_page(request: Request) -> Response:
    me, organisations = await chosen_member(request)
    query = query_value(request, "q", 200)
    faq = await faq_for(me.organisation_id, current_language(), await settings_of(me.organisation_id), query)
    context = {
        "me": me,
        "organisation": next(org for org in organisations if org["id"] == me.organisation_id),
        "organisations": organisations,
        "faq": faq,
        "query": query,
    }
    return page(request, "participation/help/faq.html", context, partial="participation/help/_faq_list.html")


handlers = [rules_page, ambassador_page, ask_ambassador, faq_page]
