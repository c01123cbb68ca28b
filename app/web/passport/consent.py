"""/passport/consent: "who can see what". Per organisation the worker joined:
what it may see now, for which purpose and until when; a form to change it,
a button to withdraw everything, the organisations' open requests to
answer, and the receipts of every grant and withdrawal."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.passport.categories import CATEGORIES
from app.domain.passport.consent import ACTIONS as RECEIPT_ACTIONS
from app.domain.passport.consent import DEFAULT_MONTHS, PURPOSES
from app.domain.passport.consent_queries import consent_overview, receipt, receipt_record, receipts
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, path_id, read_fields
from app.web.core.guards import permission
from app.web.core.pages import page, redirect

PERMISSION = "passport.view"


def _labels() -> dict:
    return {
        "category_labels": {category.code: _(category.label) for category in CATEGORIES},
        "purpose_labels": {code: _(label) for code, label in PURPOSES.items()},
        "action_labels": {code: _(label) for code, label in RECEIPT_ACTIONS.items()},
        "categories": [category.code for category in CATEGORIES],
        "months": DEFAULT_MONTHS,
    }


async def _page(request: Request, errors: dict[int, dict[str, str]] | None = None, status_code: int = 200) -> Response:
    user = signed_in_user(request)
    context = {
        "organisations": await consent_overview(user.id),
        "receipts": await receipts(user.id),
        "errors_by_organisation": errors or {},
        **_labels(),
    }
    return page(request, "passport/consent.html", context, status_code=status_code)


@get("/passport/consent", opt=permission(PERMISSION), include_in_schema=False)
async def consent_page(request: Request) -> Response:
    return await _page(request)


@post("/passport/consent/{organisation_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def set_consent(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    chosen = (await read_fields(request, "categories"))["categories"]
    payload = {"organisation_id": organisation_id, "categories": chosen, "purpose": data.get("purpose", "")}
    outcome = await run(request, "passport.set_consent", payload, data)
    if not outcome.applied:
        return await _page(request, {organisation_id: messages(outcome)}, status_code=422)
    flash(request, _(_done(outcome.ids.get("action"))), "success")
    return redirect(request, "/passport/consent")


def _done(action: str | None) -> str:
    return {
        "grant": lazy("Saved: the organisation may now see what you ticked."),
        "change": lazy("Saved: the organisation sees only what you ticked, from now on."),
        "withdraw": lazy("Withdrawn: the organisation no longer sees anything of your passport."),
    }.get(action or "", lazy("Nothing changed."))


@post("/passport/consent/{organisation_id:int}/withdraw", opt=permission(PERMISSION), include_in_schema=False)
async def withdraw_consent(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    outcome = await run(request, "passport.withdraw_consent", {"organisation_id": organisation_id}, data)
    if not outcome.applied:
        return await _page(request, {organisation_id: messages(outcome)}, status_code=422)
    flash(request, _(_done(outcome.ids.get("action") or "withdraw")), "success")
    return redirect(request, "/passport/consent")


@post("/passport/requests/{request_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def answer_request(request: Request, request_id: FromPath[int]) -> Response:
    request_id = path_id(request_id)
    data = await form_data(request)
    chosen = (await read_fields(request, "categories"))["categories"]
    answer = data.get("answer", "")
    payload = {"request_id": request_id, "answer": answer, "categories": chosen if answer == "accept" else []}
    outcome = await run(request, "passport.answer_request", payload, data)
    if not outcome.applied:
        flash(request, messages(outcome).get("categories") or next(iter(messages(outcome).values())), "error")
        return redirect(request, "/passport/consent")
    status = outcome.ids.get("status")
    text = {
        "accepted": _("Accepted: the organisation may now see what it asked for."),
        "narrowed": _("Accepted in part: the organisation may now see only what you ticked."),
    }.get(status or "", _("Refused: the organisation sees nothing more than before."))
    flash(request, text, "success")
    return redirect(request, "/passport/consent")


@get("/passport/consent/receipts/{receipt_id:str}", opt=permission(PERMISSION), include_in_schema=False)
async def receipt_page(request: Request, receipt_id: FromPath[str]) -> Response:
    found = await receipt(signed_in_user(request).id, receipt_id[:64])
    if found is None:
        raise NotFoundException()
    return page(request, "passport/receipt.html", {"receipt": found, **_labels()})


@get("/passport/consent/receipts/{receipt_id:str}/json", opt=permission(PERMISSION), include_in_schema=False)
async def receipt_json(request: Request, receipt_id: FromPath[str]) -> Response:
    user = signed_in_user(request)
    found = await receipt(user.id, receipt_id[:64])
    if found is None:
        raise NotFoundException()
    return Response(
        receipt_record(found, user.id),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="consent-receipt-{found.receipt}.json"'},
    )


handlers: list = [consent_page, set_consent, withdraw_consent, answer_request, receipt_page, receipt_json]
