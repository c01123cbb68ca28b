"""What every admin controller does with a form: read it, run one command
as the signed-in user, and turn refusals into translated inline messages."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException

from app.domain.admin.common import NOT_FOUND, parse_id
from app.domain.commands import Command, Conflict, Outcome, execute
from app.i18n import _, lazy
from app.web.context import current_user

RESENT = lazy("This form was already sent with other values. Check them and send it again.")


def clean(value: str | None, limit: int = 1000) -> str:
    """Text from a request, trimmed and cut to a sane length (every field is
    validated on far shorter limits). NUL characters go: PostgreSQL refuses
    them in text, which would turn a typo into a server error."""
    return (value or "").replace("\x00", "").strip()[:limit]


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: clean(value) for key, value in form.items() if isinstance(value, str)}


def query_value(request: Request, key: str, limit: int = 200) -> str:
    return clean(request.query_params.get(key), limit)


def command_id(data: dict[str, str]) -> uuid.UUID:
    """The id minted when the form was rendered: sending it twice (double
    click, retry after a lost answer) applies the command once."""
    try:
        return uuid.UUID(data.get("command_id", ""))
    except ValueError:
        return uuid.uuid4()


async def run(request: Request, type: str, payload: dict[str, Any], data: dict[str, str]) -> Outcome:
    """Execute one command for the signed-in user; a command about an object
    outside the user's reach answers 404."""
    user = current_user(request)
    command = Command(type=type, payload=payload, actor_id=user.id if user else None, channel="web", id=command_id(data))
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
