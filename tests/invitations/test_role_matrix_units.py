"""The role x route matrix with unit-scoped grants (issue 7, point 5): every
role granted on one department, against the invitation, import, printing and
PIN routes for an object in that department's subgroup and one in a sibling
department. A role with the permission gets the route for its own unit and a
404 for the sibling (nothing confirms the object exists); a role without the
permission gets 403 for both."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.core.access import PERMISSIONS
from app.domain.invitations import people
from app.storage import db
from app.storage.people import ImportRun, Person
from tests.invitations.test_single_support import post_form
from tests.support.factories import login, make_org, make_unit, make_user

# name: (method, path, permission, status when allowed); a POST sends the
# form field after "|" (or nothing).
ROUTES = {
    "invitation": ("GET", "/invitations/{invitation}", "invitations.manage", 200),
    "resend": (
        "POST",
        "/invitations/{invitation}/resend",
        "invitations.manage",
        422,
    ),  # no e-mail address: refused on content
    "extend": ("POST", "/invitations/{invitation}/extend", "invitations.manage", 303),
    "sheets": ("GET", "/invitations/sheets.pdf?ids={invitation}", "invitations.print", 200),
    "badges": ("POST", "/invitations/badges.pdf|person_ids={person}", "invitations.print", 200),
    "run": ("GET", "/invitations/imports/{run}", "invitations.import", 200),
    "run_csv": ("GET", "/invitations/imports/{run}/results.csv", "invitations.import", 200),
    "pin_issue": ("GET", "/pin/issue/{person}", "invitations.manage", 200),
}
UNIT_ROLES = ("consultant", "hr", "team_lead", "planner", "ambassador", "worker")


async def _object(org: int, unit: int, last: str) -> dict:
    fields, _problems = people.validate_person(
        {"last_name": last, "first_name": "Test", "birth_date": date(1990, 1, 1), "postcode": "9000", "language": "en"},
        "en",
    )
    async with db.transaction():
        person, _created = await people.ensure_person(fields, org)
        await people.ensure_membership(person, org, unit, "invitation")
        invitation = await people.issue_invitation(
            organisation_id=org,
            unit_id=unit,
            person_id=person,
            issued_by=None,
            delivery="paper",
            language="en",
            valid_days=3,  # shorter than the organisation's period: "Extend" gives more time
        )
    worker = await make_user(f"{last.lower()}@example.be", role="worker", org=org, unit=unit)
    await Person.update({Person.user: worker}).where(Person.id == person)
    run = (
        await ImportRun.insert(
            ImportRun(
                organisation=org,
                unit=unit,
                channel="web",
                mode="create",
                file_kind="csv",
                created_at=datetime.now(UTC),
            )
        )
    )[0]["id"]
    return {"person": person, "invitation": invitation, "run": run}


async def _request(client, method: str, target: str):
    if method == "GET":
        return await client.get(target, follow_redirects=False)
    path, _sep, field = target.partition("|")
    name, _eq, value = field.partition("=")
    return await post_form(client, path, {name: value} if name else {})


@pytest.mark.parametrize("role", UNIT_ROLES)
async def test_unit_scoped_role_matrix(client, role):
    org = await make_org()
    site = await make_unit(org, "Gent")
    mine = await make_unit(org, "Productie", "department", site)
    below = await make_unit(org, "Ploeg Vroeg", "subgroup", mine)
    sibling = await make_unit(org, "Logistiek", "department", site)
    await make_user("staff@example.be", role=role, org=org, unit=mine, language="en")
    objects = {"own": await _object(org, below, "Own"), "sibling": await _object(org, sibling, "Sibling")}
    assert (await login(client, "staff@example.be")).status_code == 303
    wrong = {}
    for name, (method, template, permission, allowed) in ROUTES.items():
        has = permission in PERMISSIONS[role]
        for place, expected in (("own", allowed if has else 403), ("sibling", 404 if has else 403)):
            response = await _request(client, method, template.format(**objects[place]))
            if response.status_code != expected:
                wrong[(name, place)] = (response.status_code, expected)
    assert wrong == {}, f"{role}: (got, expected) {wrong}"
