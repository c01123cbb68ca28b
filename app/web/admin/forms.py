"""What every admin controller does with a form: read it, run one command
as the signed-in user, and turn refusals into translated inline messages."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException

from app.domain.admin.common import NOT_FOUND, parse_id
from app.domain.commands import Command, Conflict, Outcome, execute
from app.i18n import _, lazy
from app.web.context import current_user
from app.web.forms import clean, command_id, read_form

RESENT = lazy("This form was already sent with other values. Check them and send it again.")


async def form_data(request: Request) -> dict[str, str]:
    """First value of every field, trimmed (the admin forms hold no secrets)."""
    return {key: clean(value) for key, value in (await read_form(request)).items()}


def query_value(request: Request, key: str, limit: int = 200) -> str:
    return clean(request.query_params.get(key), limit)


async def run(request: Request, type: str, payload: dict[str, Any], data: dict[str, str]) -> Outcome:
    """Execute one command for the signed-in user; a command about an object
    outside the user's reach answers 404."""
    user = current_user(request)
    command = Command(
        type=type, payload=payload, actor_id=user.id if user else None, channel="web", id=command_id(data)
    )
    try:
        outcome = await execute(command)
    except Conflict:
        return Outcome("rejected", command.id, errors={"_": RESENT})
    if outcome.errors.get("_") == NOT_FOUND:
        raise NotFoundException()
    return outcome


def messages(errors: dict[str, str]) -> dict[str, str]:
    return {field: _(message) for field, message in errors.items()}


def path_id(value: int) -> int:
    """An id from the URL that can exist, else 404."""
    number = parse_id(value)
    if number is None:
        raise NotFoundException()
    return number


def options(labels: dict[str, str]) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a <select>."""
    return [(value, _(label)) for value, label in labels.items()]
