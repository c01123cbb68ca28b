"""Races (issue 7, point 9): the same change sent many times at once, with
different command ids, from several database connections at once (on
PostgreSQL the pool gives each command its own connection). The database
itself must keep one person, one open invitation, one current badge."""

from __future__ import annotations

import asyncio
import uuid

from app.domain.core.commands import Command, execute
from app.domain.invitations.imports.reading import read
from app.domain.invitations.payloads import import_payload
from app.domain.registry import load_handlers
from app.storage.people import Badge, ImportRun, Invitation, Membership, Person
from tests.invitations.test_single_support import PERSON
from tests.support.factories import make_org, make_user

load_handlers()

PARALLEL = 20


async def _all_at_once(make) -> list:
    return await asyncio.gather(*(make(number) for number in range(PARALLEL)))


async def test_parallel_invitations_of_one_new_person_make_one_person_and_one_code():
    org = await make_org()
    hr = await make_user("hr@example.be", role="hr", org=org)
    payload = {**PERSON, "organisation_id": str(org), "unit_id": None, "delivery": "paper"}
    outcomes = await _all_at_once(
        lambda _n: execute(Command(type="invitations.create", payload=payload, actor_id=hr, id=uuid.uuid4()))
    )
    assert all(outcome.applied for outcome in outcomes), [o.errors for o in outcomes if not o.applied]
    assert await Person.count() == 1 and await Membership.count() == 1
    assert await Invitation.count() == 1
    assert sum(1 for outcome in outcomes if outcome.ids.get("already_invited")) == PARALLEL - 1
    assert len({outcome.ids["invitation_id"] for outcome in outcomes}) == 1


async def test_parallel_badge_renewals_leave_one_current_badge():
    org = await make_org()
    hr = await make_user("hr@example.be", role="hr", org=org)
    created = await execute(
        Command(
            type="invitations.create",
            payload={**PERSON, "organisation_id": str(org), "unit_id": None, "delivery": "paper"},
            actor_id=hr,
        )
    )
    person = created.ids["person_id"]
    outcomes = await _all_at_once(
        lambda _n: execute(
            Command(
                type="invitations.issue_badge",
                payload={"person_id": person, "organisation_id": org},
                actor_id=hr,
                id=uuid.uuid4(),
            )
        )
    )
    assert all(outcome.applied for outcome in outcomes)
    assert await Badge.count() == PARALLEL
    assert await Badge.count().where(Badge.revoked_at.is_null()) == 1


async def test_parallel_applies_of_one_file_register_each_person_once():
    org = await make_org()
    hr = await make_user("hr@example.be", role="hr", org=org)
    rows = "".join(f"Peeters;Jan{n};9000;01/02/1985;jan{n}@example.be\n" for n in range(5))
    parsed = read(("naam;voornaam;postcode;geboortedatum;e-mail\n" + rows).encode())
    payload = import_payload(parsed, org, None, "create")

    async def apply(_n: int):
        return await execute(Command(type="invitations.import_apply", payload=payload, actor_id=hr, id=uuid.uuid4()))

    outcomes = await asyncio.gather(*(apply(n) for n in range(8)))
    assert all(outcome.applied for outcome in outcomes), [o.errors for o in outcomes if not o.applied]
    assert await Person.count() == 5 and await Membership.count() == 5
    assert await Invitation.count() == 5
    assert await ImportRun.count() == 8
    assert sorted(outcome.ids["code_1"] for outcome in outcomes) == [0] * 7 + [5]
