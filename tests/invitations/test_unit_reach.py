"""A role granted on a unit acts on that unit and below only (issue 7,
point 5): every invitation, import, printing and PIN route, as HR granted on
one department, against objects of its subgroup (reachable), of a sibling
department and of the whole organisation (not reachable: 404, nothing
changed)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from app.domain.core.access import Reach
from app.domain.invitations import people
from app.storage import db
from app.storage.people import Badge, ImportRun, Invitation, Membership
from app.storage.tables import SecretToken
from tests.invitations.test_import_web import hidden, send
from tests.invitations.test_single_support import PERSON, post_form
from tests.support.factories import login, make_org, make_unit, make_user


async def _person(org: int, unit: int | None, last: str, *, account: bool = False) -> tuple[int, int]:
    """(person id, open invitation id) of a person on `unit` of the roster."""
    fields, problems = people.validate_person(
        {"last_name": last, "first_name": "Test", "birth_date": date(1990, 1, 1), "postcode": "9000", "language": "en"},
        "en",
    )
    assert not problems
    async with db.transaction():
        person_id, _created = await people.ensure_person(fields, org)
        await people.ensure_membership(person_id, org, unit, "invitation")
        invitation_id = await people.issue_invitation(
            organisation_id=org,
            unit_id=unit,
            person_id=person_id,
            issued_by=None,
            delivery="paper",
            language="en",
            valid_days=30,
        )
    if account:
        user = await make_user(f"{last.lower()}@example.be", role="worker", org=org, unit=unit)
        from app.storage.people import Person

        await Person.update({Person.user: user}).where(Person.id == person_id)
    return person_id, invitation_id


async def _run(org: int, unit: int | None) -> int:
    rows = await ImportRun.insert(
        ImportRun(
            organisation=org,
            unit=unit,
            channel="web",
            mode="create",
            file_kind="csv",
            created_at=datetime.now(UTC),
        )
    )
    return rows[0]["id"]


@pytest.fixture
async def world(client):
    org = await make_org(name="Brouwerij Test")
    site = await make_unit(org, "Gent")
    mine = await make_unit(org, "Productie", "department", site)
    below = await make_unit(org, "Ploeg Vroeg", "subgroup", mine)
    sibling = await make_unit(org, "Logistiek", "department", site)
    hr = await make_user("hr.productie@example.be", role="hr", org=org, unit=mine, language="en")
    objects = {
        "reachable": await _person(org, below, "Reachable", account=True),
        "sibling": await _person(org, sibling, "Sibling", account=True),
        "whole": await _person(org, None, "Whole", account=True),
    }
    runs = {"reachable": await _run(org, below), "sibling": await _run(org, sibling), "whole": await _run(org, None)}
    client.cookies.set("werkpas_lang", "en")
    assert (await login(client, "hr.productie@example.be")).status_code == 303
    return {"org": org, "mine": mine, "below": below, "sibling": sibling, "hr": hr, "objects": objects, "runs": runs}


def test_reach_of_unit_grants():
    reach = Reach(organisations=frozenset({1}), units=frozenset({(2, "/5/7/")}))
    assert reach.covers(1, None) and reach.covers(1, "/9/")
    assert reach.covers(2, "/5/7/") and reach.covers(2, "/5/7/12/")
    assert not reach.covers(2, "/5/")  # the unit's parent
    assert not reach.covers(2, "/5/70/") and not reach.covers(2, None) and not reach.covers(3, "/5/7/")
    assert reach.touches(2) and not reach.covers_whole(2) and reach.covers_whole(1)


async def test_list_shows_only_the_reachable_unit(client, world):
    page = await client.get("/invitations")
    assert page.status_code == 200
    assert "Reachable" in page.text and "Sibling" not in page.text and "Whole" not in page.text
    imports = await client.get("/invitations/imports")
    assert f"/invitations/imports/{world['runs']['reachable']}" in imports.text
    assert (
        f"/invitations/imports/{world['runs']['sibling']}" not in imports.text
        and f"/invitations/imports/{world['runs']['whole']}" not in imports.text
    )


@pytest.mark.parametrize("target", ["sibling", "whole"])
async def test_every_route_answers_404_beyond_the_unit(client, world, target):
    person_id, invitation_id = world["objects"][target]
    run_id = world["runs"][target]
    before = (
        await Invitation.select().where(Invitation.id == invitation_id).first(),
        await Badge.count(),
        await SecretToken.count(),
    )
    gets = [
        f"/invitations/{invitation_id}",
        f"/invitations/sheets.pdf?ids={invitation_id}",
        f"/invitations/imports/{run_id}",
        f"/invitations/imports/{run_id}/results.csv",
        f"/invitations/imports/{run_id}/results.xlsx",
        f"/invitations/imports/{run_id}/sheets.pdf",
        f"/pin/issue/{person_id}",
    ]
    for path in gets:
        assert (await client.get(path)).status_code == 404, path
    posts = [
        (f"/invitations/{invitation_id}/resend", {}),
        (f"/invitations/{invitation_id}/extend", {}),
        (f"/invitations/{invitation_id}/revoke", {}),
        ("/invitations/sheets.pdf", {"ids": str(invitation_id)}),
        ("/invitations/badges.pdf", {"ids": str(invitation_id)}),
        ("/invitations/badges.pdf", {"person_ids": str(person_id)}),
        ("/invitations/badges.pdf", {"run_id": str(run_id)}),
        (f"/pin/issue/{person_id}", {}),
    ]
    for path, data in posts:
        assert (await post_form(client, path, data)).status_code == 404, path
    assert (
        await Invitation.select().where(Invitation.id == invitation_id).first(),
        await Badge.count(),
        await SecretToken.count(),
    ) == before


async def test_the_reachable_unit_works(client, world):
    person_id, invitation_id = world["objects"]["reachable"]
    assert (await client.get(f"/invitations/{invitation_id}")).status_code == 200
    assert (await client.get(f"/invitations/sheets.pdf?ids={invitation_id}")).status_code == 200
    assert (await client.get(f"/invitations/imports/{world['runs']['reachable']}")).status_code == 200
    assert (await post_form(client, "/invitations/badges.pdf", {"person_ids": str(person_id)})).status_code == 200
    issued = await post_form(client, f"/pin/issue/{person_id}")
    assert issued.status_code == 200 and "code" in issued.text.lower()
    assert (await post_form(client, f"/invitations/{invitation_id}/revoke")).status_code == 303


async def test_inviting_needs_a_unit_within_reach(client, world):
    for unit, status in ((world["sibling"], 422), ("", 422), (world["below"], 303)):
        response = await post_form(
            client,
            "/invitations",
            {
                **PERSON,
                "last_name": f"Unit{unit or 'none'}",
                "organisation_id": str(world["org"]),
                "unit_id": str(unit),
            },
        )
        assert response.status_code == status, (unit, response.text[:300])
    assert await Invitation.count().where(Invitation.person.last_name.like("Unit%")) == 1
    form = await client.get("/invitations/new")
    assert "Logistiek" not in form.text and "Ploeg Vroeg" in form.text and "No unit" not in form.text


async def test_a_person_kept_under_another_unit_is_not_taken_over(client, world):
    """Inviting, from my department, a person the organisation keeps under a
    sibling department changes nothing there."""
    response = await post_form(
        client,
        "/invitations",
        {
            **PERSON,
            "last_name": "Sibling",
            "first_name": "Test",
            "birth_date": "01/01/1990",
            "organisation_id": str(world["org"]),
            "unit_id": str(world["below"]),
        },
    )
    assert response.status_code == 422 and "a unit you do not manage" in response.text
    sibling_person = world["objects"]["sibling"][0]
    [membership] = await Membership.select().where(Membership.person == sibling_person)
    assert membership["unit"] == world["sibling"]
    assert await Invitation.count().where(Invitation.person == sibling_person) == 1


async def test_bulk_registration_is_for_one_of_my_units(client, world):
    await client.get("/invitations/imports")
    page = await client.get("/invitations/imports")
    assert "Ploeg Vroeg" in page.text and "Logistiek" not in page.text and "The whole organisation" not in page.text
    header = "naam;voornaam;postcode;geboortedatum;e-mail;eenheid\n"
    data = (
        header + "Peeters;Jan;9000;01/02/1985;;\nMaes;An;9000;01/02/1985;;Logistiek\nSibling;Test;9000;01/01/1990;;\n"
    ).encode()
    for unit in ("", str(world["sibling"])):
        refused = await send(client, data, name="list.csv", kind="text/csv", unit_id=unit)
        assert refused.status_code == 422 and "Choose one of your units." in refused.text, unit
    dry = await send(client, data, name="list.csv", kind="text/csv", unit_id=str(world["mine"]))
    assert dry.status_code == 200
    applied = await send(
        client,
        data,
        name="list.csv",
        kind="text/csv",
        unit_id=str(world["mine"]),
        action="apply",
        command_id=str(uuid.uuid4()),
        file_sha256=hidden(dry.text, "file_sha256"),
    )
    assert applied.status_code == 303, applied.text[:300]
    run = await ImportRun.select().order_by(ImportRun.id, ascending=False).first()
    assert run["unit"] == world["mine"] and (run["done"], run["not_needed"], run["invalid"]) == (
        1,
        1,
        1,
    )  # Maes: unit outside; Sibling: another unit's person
    [jan] = await Invitation.select(Invitation.unit).where(Invitation.import_run == run["id"])
    assert jan["unit"] == world["mine"]
    assert await Invitation.count().where(Invitation.person == world["objects"]["sibling"][0]) == 1


async def test_an_import_apply_command_for_a_unit_beyond_reach_is_refused(world):
    from app.domain.core.commands import Command, execute
    from app.domain.invitations.imports.reading import read
    from app.domain.invitations.payloads import import_payload

    parsed = read(b"naam;voornaam;postcode;geboortedatum;e-mail\nPeeters;Jan;9000;01/02/1985;\n")
    for unit in (world["sibling"], None):
        payload = import_payload(parsed, world["org"], unit, "create")
        outcome = await execute(Command(type="invitations.import_apply", payload=payload, actor_id=world["hr"]))
        assert not outcome.applied and outcome.code("unit_id") == "unit_not_yours"
    assert await ImportRun.count().where(ImportRun.uploaded_by == world["hr"]) == 0
