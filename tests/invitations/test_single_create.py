"""Inviting one person: delivery by e-mail, paper or both, validation that
keeps the typed values, a known person linked instead of duplicated, an
already registered person, and who may invite."""

from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest

from app.storage.tables import Job
from tests.invitations.test_single_support import (
    PERSON,
    Invitation,
    Membership,
    Person,
    command_id_of,
    create,
    events,
    invite,
    make_org,
    make_unit,
    make_user,
    run,
    signed_in,
    staff,
)
from tests.support.factories import login


async def _mail_jobs() -> list[dict]:
    rows = await Job.select().where(Job.kind == "invitations.send_mail")
    return [msgspec.json.decode(row["payload"]) for row in rows]


@pytest.mark.parametrize("delivery, mailed", [("email", True), ("paper", False), ("both", True)])
async def test_create_by_delivery(client, delivery, mailed):
    org, user = await signed_in(client, "hr")
    unit = await make_unit(org, "Gent")
    response = await invite(client, org, delivery=delivery, unit_id=str(unit))
    assert response.status_code == 303
    [row] = await Invitation.select()
    assert response.headers["location"] == f"/invitations/{row['id']}"
    assert (row["delivery"], row["status"], row["language"], row["unit"], row["issued_by"]) == (
        delivery,
        "created",
        "fr",
        unit,
        user,
    )
    expires_in = row["expires_at"] - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < expires_in <= timedelta(days=30)
    [person] = await Person.select()
    assert (person["last_name"], person["first_name"], person["birth_date"], person["phone"]) == (
        "Dupré",
        "Anaïs",
        date(1992, 2, 14),
        "+32470123456",
    )
    [member] = await Membership.select()
    assert (member["organisation"], member["unit"], member["source"]) == (org, unit, "invitation")
    assert await _mail_jobs() == ([{"invitation_id": row["id"]}] if mailed else [])
    [event] = await events("invitations.create")
    assert (event["outcome"], event["target_type"], event["organisation_id"]) == ("applied", "invitation", org)
    page = await client.get(response.headers["location"])
    assert "Dupré" in page.text


async def test_expiry_follows_the_organisations_days(client):
    org, _user = await signed_in(client, "consultant")
    from app.storage.tables import Organisation

    await Organisation.update({Organisation.invitation_days: 7}).where(Organisation.id == org)
    await invite(client, org, delivery="paper", email="")
    [row] = await Invitation.select()
    assert timedelta(days=6, hours=23) < row["expires_at"] - datetime.now(UTC) <= timedelta(days=7)


async def test_invalid_input_keeps_the_values_and_changes_nothing(client):
    org, _user = await signed_in(client, "hr")
    form = await client.get("/invitations/new")
    first_id = command_id_of(form.text)
    response = await invite(
        client,
        org,
        last_name="",
        birth_date="31/02/1990",
        postcode="123",
        email="anais@",
        phone="12",
        first_name="Anaïs <b>",
    )
    assert response.status_code == 422
    html = response.text
    assert "The last name is missing." in html
    assert "31 February does not exist: check the day and the month." in html
    assert "dd/mm/yyyy." not in html.split('id="invite-birth_date-hint"')[0]  # only the hint names the format
    assert "A Belgian postcode has four digits, from 1000 to 9999." in html
    assert "This is not a valid e-mail address." in html
    assert "This is not a valid phone number." in html
    assert 'value="31/02/1990"' in html and 'value="123"' in html and 'value="anais@"' in html
    assert "Anaïs &lt;b&gt;" in html  # escaped, kept
    assert 'id="invite-postcode"' in html and 'aria-describedby="invite-postcode-error"' in html
    assert html.count('aria-invalid="true"') >= 5
    assert command_id_of(html) != first_id
    assert await Invitation.count() == 0 and await Person.count() == 0 and await Membership.count() == 0


@pytest.mark.parametrize(
    ("typed", "language", "answer"),
    [
        ("30/02/1990", "fr", "Le 30 février n\u2019existe pas"),
        ("31-04-1990", "nl", "31 april bestaat niet"),
        ("1990-06-31", "en", "31 June does not exist"),
        ("next week", "en", "The birth date is not a date; write it as dd/mm/yyyy."),
        ("32/01/1990", "en", "The birth date is not a date; write it as dd/mm/yyyy."),
    ],
)
async def test_a_day_that_does_not_exist_is_named_in_the_users_language(client, typed, language, answer):
    from app.storage.tables import User

    org, user = await staff("hr")
    await User.update({User.language: language}).where(User.id == user)
    email = (await User.select(User.email).where(User.id == user).first())["email"]
    assert (await login(client, email)).status_code == 303
    response = await invite(client, org, birth_date=typed)
    assert response.status_code == 422
    assert answer in response.text.replace("&#39;", "'")
    assert await Invitation.count() == 0


async def test_email_delivery_needs_an_email(client):
    org, _user = await signed_in(client, "hr")
    response = await invite(client, org, email="", delivery="both")
    assert response.status_code == 422
    assert "An invitation by e-mail needs an e-mail address." in response.text
    assert 'value="both" checked' in response.text
    response = await invite(client, org, email="", delivery="carrier pigeon")
    assert "Choose how the invitation is delivered." in response.text
    assert await Invitation.count() == 0


async def test_impossible_birth_date_and_other_organisations_unit(client):
    org, _user = await signed_in(client, "hr")
    their_unit = await make_unit(await make_org(), "Elders")
    response = await invite(client, org, birth_date="2020-01-01", unit_id=str(their_unit))
    assert response.status_code == 422
    assert "This birth date is impossible" in response.text
    assert "This unit does not exist in the organisation." in response.text
    assert await Invitation.count() == 0


async def test_other_organisation_is_refused(client):
    _org, _user = await signed_in(client, "hr")
    other = await make_org()
    response = await invite(client, other)
    assert response.status_code == 422
    assert "Choose an organisation." in response.text
    assert await Invitation.count() == 0


async def test_known_person_is_linked_not_duplicated(settings):
    org, user = await staff("hr")
    first = await create(user, org, delivery="paper")
    await Invitation.update({Invitation.status: "revoked"}).where(Invitation.id == first["invitation_id"])
    # The same person typed differently, invited again by the same organisation.
    second = await create(
        user, org, last_name="DUPRE", first_name="anais", birth_date="1992-02-14", email="", delivery="paper"
    )
    assert first["person_created"] and not second["person_created"]
    assert first["person_id"] == second["person_id"]
    assert await Person.count() == 1 and await Membership.count() == 1
    assert await Invitation.count() == 2


async def test_each_organisation_keeps_its_own_record(settings):
    """An agency inviting someone an employer already knows gets a record of
    its own: what each typed stays apart, and nothing is linked."""
    org, user = await staff("hr")
    other_org, other_user = await staff("consultant", await make_org(kind="agency"))
    first = await create(user, org)
    second = await create(
        other_user,
        other_org,
        last_name="DUPRE",
        first_name="anais",
        birth_date="1992-02-14",
        email="",
        postcode="1000",
        delivery="paper",
    )
    assert first["person_created"] and second["person_created"]
    assert first["person_id"] != second["person_id"]
    rows = {row["id"]: row for row in await Person.select()}
    assert (rows[first["person_id"]]["organisation"], rows[first["person_id"]]["postcode"]) == (org, "9000")
    assert (
        rows[second["person_id"]]["organisation"],
        rows[second["person_id"]]["postcode"],
        rows[second["person_id"]]["email"],
    ) == (other_org, "1000", None)
    assert {(row["person"], row["organisation"]) for row in await Membership.select()} == {
        (first["person_id"], org),
        (second["person_id"], other_org),
    }
    assert await Invitation.count() == 2


async def test_second_invitation_in_the_same_organisation_points_to_the_open_one(client):
    org, user = await signed_in(client, "hr")
    first = await create(user, org)
    response = await invite(client, org, delivery="paper")
    assert response.status_code == 303
    assert response.headers["location"] == f"/invitations/{first['invitation_id']}"
    assert await Invitation.count() == 1
    page = await client.get(response.headers["location"])
    assert "already has an open invitation" in page.text


async def test_already_registered_person_gets_no_second_invitation(client):
    org, _user = await signed_in(client, "hr")
    worker = await make_user("anais@example.be", role="worker", org=org)
    from app.domain.invitations.people import match_key

    rows = await Person.insert(
        Person(
            organisation=org,
            user=worker,
            last_name="Dupré",
            first_name="Anaïs",
            birth_date=date(1992, 2, 14),
            postcode="9000",
            language="fr",
            match_key=match_key("Dupré", "Anaïs", date(1992, 2, 14)),
            created_at=datetime.now(UTC),
        )
    )
    await Membership.insert(
        Membership(person=rows[0]["id"], organisation=org, source="invitation", created_at=datetime.now(UTC))
    )
    response = await invite(client, org)
    assert response.status_code == 303 and response.headers["location"] == "/invitations"
    assert await Invitation.count() == 0 and await Job.count() == 0
    assert await Membership.count() == 1 and await Person.count() == 1
    page = await client.get("/invitations")
    assert "Anaïs Dupré is already registered with your organisation" in page.text
    [event] = await events("invitations.create")
    assert event["outcome"] == "applied" and event["target_type"] == "person"


async def test_a_person_registered_elsewhere_is_invited_like_anyone(client):
    """The first step of the takeover the review found: the answer and the
    data are those of any new person; the other organisation's record and
    account are not touched."""
    org, _user = await signed_in(client, "hr")
    elsewhere = await make_org(kind="employer")
    worker = await make_user("anais@example.be", role="worker", org=elsewhere)
    from app.domain.invitations.people import match_key

    rows = await Person.insert(
        Person(
            organisation=elsewhere,
            user=worker,
            last_name="Dupré",
            first_name="Anaïs",
            birth_date=date(1992, 2, 14),
            postcode="3000",
            language="fr",
            match_key=match_key("Dupré", "Anaïs", date(1992, 2, 14)),
            created_at=datetime.now(UTC),
        )
    )
    theirs = rows[0]["id"]
    await Membership.insert(
        Membership(person=theirs, organisation=elsewhere, source="invitation", created_at=datetime.now(UTC))
    )
    response = await invite(client, org, email="", delivery="paper")
    assert response.status_code == 303 and response.headers["location"].startswith("/invitations/")
    page = await client.get(response.headers["location"])
    assert "The invitation was created" in page.text and "already" not in page.text
    assert "3000" not in page.text and "anais@example.be" not in page.text
    [invitation] = await Invitation.select()
    assert invitation["organisation"] == org and invitation["person"] != theirs
    assert await Membership.count().where(Membership.person == theirs) == 1
    assert (await Person.select(Person.user).where(Person.id == invitation["person"]).first())["user"] is None


async def test_same_command_id_twice_creates_one_invitation(client):
    org, _user = await signed_in(client, "hr")
    from tests.conftest import csrf

    form = await client.get("/invitations/new")
    data = {**PERSON, "organisation_id": str(org), "_csrf_token": csrf(client), "command_id": command_id_of(form.text)}
    first = await client.post("/invitations", data=data, follow_redirects=False)
    second = await client.post("/invitations", data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await Invitation.count() == 1 and await Job.count() == 1


async def test_platform_admin_picks_an_organisation(client):
    org = await make_org(name="Kies Mij")
    await make_org(name="Andere")
    admin = await make_user("root@example.be", role="platform_admin", language="en")
    from tests.support.factories import login

    await login(client, "root@example.be")
    form = await client.get("/invitations/new")
    assert 'name="organisation_id"' in form.text and "Kies Mij" in form.text and "Andere" in form.text
    response = await invite(client, org)
    assert response.status_code == 303
    [row] = await Invitation.select()
    assert row["organisation"] == org and row["issued_by"] == admin
    response = await invite(client, "", last_name="Other")
    assert response.status_code == 422 and "Choose an organisation." in response.text


@pytest.mark.parametrize("role", ["worker", "planner", "team_lead", "ambassador"])
async def test_roles_without_permission_are_denied(client, role):
    org, user = await signed_in(client, role)
    for path in ("/invitations", "/invitations/new"):
        assert (await client.get(path)).status_code == 403
    response = await invite(client, org)
    assert response.status_code == 403
    outcome = await run("invitations.create", {**PERSON, "organisation_id": str(org)}, user)
    assert not outcome.applied
    assert await Invitation.count() == 0


@pytest.mark.parametrize("role", ["consultant", "hr", "org_admin"])
async def test_staff_roles_may_invite(client, role):
    org, _user = await signed_in(client, role)
    assert (await client.get("/invitations/new")).status_code == 200
    assert (await invite(client, org)).status_code == 303
    assert await Invitation.count() == 1


async def test_anonymous_is_sent_to_login(client):
    response = await client.get("/invitations", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
