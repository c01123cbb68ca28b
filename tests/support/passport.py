"""Helpers for passport tests: workers with passports, consents, commands."""

from __future__ import annotations

import uuid

from app.domain.core.commands import Command, Outcome, execute
from app.domain.registry import load_handlers
from tests.support.factories import grant, make_org, make_user

load_handlers()  # domain tests run commands without starting the app


async def worker(email: str = "wout@example.be", org: int | None = None, **columns) -> int:
    """A worker account that joined `org` (a worker role there)."""
    user_id = await make_user(email, display_name=columns.pop("display_name", "Wout De Smet"), **columns)
    if org is not None:
        await grant(user_id, "worker", org)
    return user_id


async def agency(name: str = "Flexa Interim", slug: str | None = None) -> int:
    return await make_org(kind="agency", name=name, slug=slug)


async def do(type: str, payload: dict, actor_id: int | None, channel: str = "web") -> Outcome:
    return await execute(Command(type=type, payload=payload, actor_id=actor_id, channel=channel, id=uuid.uuid4()))


async def consent_to(user_id: int, org: int, categories: list[str], purpose: str = "staffing") -> Outcome:
    outcome = await do(
        "passport.set_consent", {"organisation_id": org, "categories": categories, "purpose": purpose}, user_id
    )
    assert outcome.applied, outcome.errors
    return outcome


IDENTITY = {
    "first_name": "Wout",
    "last_name": "De Smet",
    "birth_date": "14/02/1990",
    "national_number": "90.02.14-003.26",
}
