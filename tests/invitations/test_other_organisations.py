"""No organisation reaches another's people (issue 7, point 4).

The review's takeover, with the demo data: a consultant of an agency that
does not know him (Jobwerk; Wout joined Flexa Interim in the passport demo)
who knows only the name and birth date of Wout De Smet (a registered worker
of Brouwerij De Klok) invites him, prints his badge, makes a PIN-reset code, sets a new PIN
and logs in at /badge as him. Each step must fail, and the first step must
already tell the consultant nothing."""

from __future__ import annotations

import re

from app import demo
from app.storage.people import Badge, Invitation, Membership, Person
from app.storage.tables import Organisation, SecretToken, User
from tests.conftest import csrf
from tests.invitations.test_import_web import send
from tests.invitations.test_single_support import post_form
from tests.support.factories import login, make_user

WOUT = {
    "last_name": "De Smet",
    "first_name": "Wout",
    "birth_date": "14/02/1990",
    "postcode": "9000",
    "email": "",
    "phone": "",
    "language": "nl",
    "delivery": "paper",
}
STRANGER = {**WOUT, "last_name": "Nieuwe", "first_name": "Iemand", "birth_date": "03/03/1991"}


async def _world(settings, client) -> dict:
    await demo.load(settings)
    flexa = (await Organisation.select(Organisation.id).where(Organisation.slug == "jobwerk").first())["id"]
    klok = (await Organisation.select(Organisation.id).where(Organisation.slug == "brouwerij-de-klok").first())["id"]
    wout = await User.select(User.id).where(User.email == "worker@deklok.example").first()
    [record] = await Person.select().where((Person.user == wout["id"]) & (Person.organisation == klok))
    await make_user("consultant@jobwerk.test", role="consultant", org=flexa)
    client.cookies.set("werkpas_lang", "en")
    assert (await login(client, "consultant@jobwerk.test")).status_code == 303
    return {"flexa": flexa, "wout": wout["id"], "record": record}


def _flash(html: str) -> str:
    match = re.search(r'class="flash[^"]*"[^>]*>(.*?)</', html, re.S)
    return " ".join(match.group(1).split()) if match else ""


async def _invite(client, flexa: int, fields: dict) -> tuple[str, str]:
    response = await post_form(client, "/invitations", {**fields, "organisation_id": str(flexa), "unit_id": ""})
    assert response.status_code == 303, response.text[:300]
    page = await client.get(response.headers["location"])
    return response.headers["location"], page.text


async def test_the_takeover_fails_at_its_first_step_and_nothing_is_learned(settings, client):
    world = await _world(settings, client)
    flexa, record = world["flexa"], world["record"]
    before = {
        "memberships": await Membership.select().where(Membership.person == record["id"]),
        "badges": await Badge.count(),
        "tokens": await SecretToken.count(),
    }

    # 1. The invitation: the same answer as for someone Werkpas has never seen.
    location, page = await _invite(client, flexa, WOUT)
    stranger_location, stranger_page = await _invite(client, flexa, STRANGER)
    assert location.startswith("/invitations/") and stranger_location.startswith("/invitations/")
    assert _flash(page).replace("Wout De Smet", "X") == _flash(stranger_page).replace("Iemand Nieuwe", "X")
    assert "already" not in page and "worker@deklok.example" not in page and "Brouwerij De Klok" not in page
    invitation = await Invitation.select().where(Invitation.id == int(location.rsplit("/", 1)[1])).first()
    assert invitation["person"] != record["id"]
    flexa_record = await Person.select().where(Person.id == invitation["person"]).first()
    assert (flexa_record["organisation"], flexa_record["user"], flexa_record["email"]) == (flexa, None, None)
    # De Klok's record is untouched and on no Flexa roster.
    assert await Membership.select().where(Membership.person == record["id"]) == before["memberships"]
    assert await Person.select().where(Person.id == record["id"]).first() == record

    # 2. His badge: De Klok's record is not Flexa's to print.
    await client.get("/invitations")
    badge = await client.post(
        "/invitations/badges.pdf",
        data={"_csrf_token": csrf(client), "person_ids": str(record["id"])},
        follow_redirects=False,
    )
    assert badge.status_code == 404
    assert await Badge.count() == before["badges"]

    # 3. A PIN-reset code for him: not found either (and Flexa's own record has no account).
    assert (await client.get(f"/pin/issue/{record['id']}")).status_code == 404
    assert (await post_form(client, f"/pin/issue/{record['id']}")).status_code == 404
    refused = await post_form(client, f"/pin/issue/{flexa_record['id']}")
    assert refused.status_code == 422 and "no active account" in refused.text
    assert await SecretToken.count() == before["tokens"]

    # 4-5. Without a code there is no new PIN, and a badge of Flexa's record opens no account.
    own_badge = await client.post(
        "/invitations/badges.pdf",
        data={"_csrf_token": csrf(client), "ids": str(invitation["id"])},
        follow_redirects=False,
    )
    assert own_badge.status_code == 200
    [issued] = await Badge.select().where(Badge.person == flexa_record["id"])
    assert issued["person"] != record["id"]


async def test_a_bulk_dry_run_is_no_birth_date_oracle(settings, client):
    """Code 2 used to mean "has an account anywhere": eleven uploads revealed
    a registered worker's birth date. Now the right and a wrong birth date of
    someone registered elsewhere both get code 1."""
    await demo.load(settings)
    client.cookies.set("werkpas_lang", "en")
    jobwerk = (await Organisation.select(Organisation.id).where(Organisation.slug == "jobwerk").first())["id"]
    await make_user("orgadmin@jobwerk.test", role="org_admin", org=jobwerk)
    assert (await login(client, "orgadmin@jobwerk.test")).status_code == 303
    await client.get("/invitations/imports")
    header = "naam;voornaam;postcode;geboortedatum;e-mail\n"
    answers = {}
    for birth in ("14/02/1990", "15/02/1990"):
        data = (header + f"De Smet;Wout;9000;{birth};\n").encode()
        response = await send(client, data, name="list.csv", kind="text/csv")
        assert response.status_code == 200, response.text[:300]
        answers[birth] = re.findall(
            r'data-label="Result"><span class="import-result-cell"><span class="badge import-code-(\d)"', response.text
        )
    assert answers == {"14/02/1990": ["1"], "15/02/1990": ["1"]}
    assert (
        await Person.count().where(
            Person.organisation
            == (await Organisation.select(Organisation.id).where(Organisation.slug == "jobwerk").first())["id"]
        )
        == 0
    )
