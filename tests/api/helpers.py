"""Test data for the API: an agency with a key, workers who consented."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.domain.api import revealing
from app.domain.core.commands import Command, execute
from tests.support.passport import IDENTITY, agency, consent_to, do, worker


async def make_key(organisation_id: int, name: str = "Payroll sync", actor_id: int | None = None) -> tuple[int, str]:
    """(key id, key), made by the command (on the command line's channel without an actor)."""
    with revealing() as made:
        outcome = await execute(
            Command(
                type="api.create_key",
                payload={"organisation_id": organisation_id, "name": name},
                actor_id=actor_id,
                channel="cli" if actor_id is None else "web",
                id=uuid.uuid4(),
            )
        )
    assert outcome.applied, outcome.errors
    api_key_id = outcome.ids["api_key_id"]
    return api_key_id, made[api_key_id]


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


@dataclass
class World:
    flexa: int
    other: int
    key_id: int
    key: str
    wout: int


async def world() -> World:
    """Flexa with a key; Wout joined Flexa and shares identity and contact."""
    flexa, other = await agency("Flexa Interim", "flexa"), await agency("Jobwerk", "jobwerk")
    wout = await worker("wout@example.be", org=flexa)
    assert (await do("passport.save_identity", IDENTITY, wout)).applied
    assert (await do("passport.save_contact", {"email": "wout@example.be", "mobile": "0470 12 34 56"}, wout)).applied
    assert (await do("passport.save_bank", {"iban": "BE71 0961 2345 6769"}, wout)).applied
    await consent_to(wout, flexa, ["identity", "contact"])
    key_id, key = await make_key(flexa)
    return World(flexa, other, key_id, key, wout)
