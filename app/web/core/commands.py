"""Running one command for the signed-in user, with one policy for a form
sent again with other values, and refusals turned into inline messages."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException

from app.domain.core.commands import Command, Conflict, Outcome, execute
from app.domain.core.reasons import Reason, area_of, message
from app.web.core.context import current_user
from app.web.core.forms import command_id


class _SignedIn:
    """The default actor of run(): the signed-in user, or nobody."""


SIGNED_IN = _SignedIn()


async def run(
    request: Request, type: str, payload: Any, data: dict[str, str], *, actor_id: int | None | _SignedIn = SIGNED_IN
) -> Outcome:
    """Executes one command for the signed-in user. A command about an object
    outside the user's reach answers 404; a form whose id was already used
    with other values is refused with `resent` (the person checks the values
    and sends again, with the fresh id the re-rendered form carries).

    `actor_id` names the account that acts when it is not the signed-in
    user: a login records itself for the account that just proved its
    password, a link from a mail acts for the account it was mailed to."""
    if isinstance(actor_id, _SignedIn):
        user = current_user(request)
        actor_id = user.id if user else None
    command = Command(type=type, payload=payload, actor_id=actor_id, channel="web", id=command_id(data))
    try:
        outcome = await execute(command)
    except Conflict:
        return Outcome("rejected", command.id, reasons=(Reason("resent"),), type=type)
    if outcome.code() == "not_found":
        raise NotFoundException()
    return outcome


def messages(outcome_or_errors: Outcome | dict[str, str], area: str | None = None) -> dict[str, str]:
    """{field: message in the user's language} for a refusal."""
    if isinstance(outcome_or_errors, Outcome):
        area = area or area_of(outcome_or_errors.type)
        reasons = outcome_or_errors.reasons
    else:
        reasons = tuple(Reason(code, None if key == "_" else key) for key, code in outcome_or_errors.items())
    texts: dict[str, str] = {}
    for reason in reasons:
        texts.setdefault(reason.field or "_", message(reason, area or ""))
    return texts
