"""The worker answers an organisation's request to see more: accept, narrow
(accept only some of the asked categories) or refuse. Accepting adds the
categories to what the organisation may already see, for the request's
purpose (the categories already shared keep theirs), with a new receipt; refusing changes nothing but the request."""

from __future__ import annotations

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.passport import consent
from app.domain.passport.categories import known
from app.domain.passport.handlers import owner
from app.domain.passport.payloads import AnswerRequest
from app.storage.passport import ConsentRequest

ANSWERS = ("accept", "refuse")


@handler("passport.answer_request", AnswerRequest, codes=("request_answered", "categories_unknown", "value_unknown"))
async def answer_request(command: Command[AnswerRequest]) -> Effect:
    """Answer an organisation's request to see more of one's passport: accept, narrow or refuse."""
    payload = command.payload
    user_id = await owner(command)
    request = (
        await ConsentRequest.select()
        .where((ConsentRequest.id == payload.request_id) & (ConsentRequest.user == user_id))
        .first()
    )
    if request is None:
        raise Rejected("not_found")
    if request["status"] != "open":
        raise Rejected("request_answered")
    if payload.answer not in ANSWERS:
        raise Rejected("value_unknown", "answer")
    organisation_id = request["organisation"]
    asked = known(request["categories"].split(","))
    status, receipt = "refused", None
    if payload.answer == "accept":
        chosen = known(payload.categories) if payload.categories else asked
        if not chosen or any(code not in asked for code in payload.categories):
            raise Rejected("categories_unknown", "categories")
        status = "accepted" if set(chosen) == set(asked) else "narrowed"
        if not await consent.has_joined(user_id, organisation_id):
            raise Rejected("not_found")  # no longer a member: consent is not possible
        receipt = await consent.add_categories(
            user_id=user_id,
            organisation_id=organisation_id,
            categories=chosen,
            purpose=request["purpose"],
            channel=command.channel,
            actor_id=command.actor_id,
        )
    await ConsentRequest.update({ConsentRequest.status: status, ConsentRequest.answered_at: utcnow()}).where(
        ConsentRequest.id == request["id"]
    )
    return Effect(
        target_type="consent_request",
        target_id=request["id"],
        organisation_id=organisation_id,
        ids={"status": status, "receipt": str(receipt) if receipt else None},
        detail=status,
    )
