"""Each role's start page: what waits for them and the figures that matter
to their roles, counted within their organisation and units only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.accounts.home import OPEN_STATUSES, home_figures
from app.domain.core.identity import load_user
from app.domain.invitations import OPEN
from app.storage.people import ImportRun, Invitation, Membership, Person
from app.storage.tables import Job
from tests.support.factories import grant, login, make_org, make_unit, make_user
from tests.support.registration import invite

EN = {"accept-language": "en"}


def _now() -> datetime:
    return datetime.now(UTC)


async def _set(invitation_id: int, **values) -> None:
    await Invitation.update({getattr(Invitation, key): value for key, value in values.items()}).where(
        Invitation.id == invitation_id
    )


async def _invitations(org: int, unit: int | None = None, prefix: str = "") -> None:
    """Two open (one expiring in 3 days), one registered 2 days ago, one
    registered 20 days ago, one open but past its expiry (the job has not run)."""
    people = iter(("Aerts", "Bos", "Claes", "Dewit", "Engels"))
    rows = [await invite(org, last=prefix + next(people), email=None, unit=unit) for _ in range(5)]
    await _set(rows[1].id, expires_at=_now() + timedelta(days=3), status="sent")
    await _set(rows[2].id, status="registered", registered_at=_now() - timedelta(days=2))
    await _set(rows[3].id, status="registered", registered_at=_now() - timedelta(days=20))
    await _set(rows[4].id, expires_at=_now() - timedelta(hours=1))


async def _import_run(org: int, unit: int | None = None, invalid: int = 0, not_found: int = 0, days_ago: int = 1):
    await ImportRun.insert(
        ImportRun(
            organisation=org,
            unit=unit,
            channel="web",
            mode="create",
            file_kind="csv",
            rows_total=10,
            done=10 - invalid - not_found,
            invalid=invalid,
            not_found=not_found,
            created_at=_now() - timedelta(days=days_ago),
        )
    )


async def _figures(user_id: int):
    user = await load_user(user_id)
    assert user is not None
    return await home_figures(user)


def test_the_open_statuses_are_the_invitation_lifecycles():
    assert OPEN_STATUSES == OPEN


async def test_org_admin_sees_their_organisations_invitations_imports_and_staff_without_role(client):
    org = await make_org(name="De Klok")
    other = await make_org(name="Elders")
    await _invitations(org)
    await _invitations(other, prefix="X")
    await _import_run(org, invalid=2)
    await _import_run(org, not_found=1, days_ago=40)  # too old to ask for action
    await _import_run(org)  # all done
    await _import_run(other, invalid=3)
    admin = await make_user("admin@deklok.be", role="org_admin", org=org, display_name="Hanne Maes", language="en")
    await make_user("new@deklok.be", org=org)  # no role yet
    await make_user("gone@deklok.be", org=org, is_active=False)  # deactivated: nothing to do
    await make_user("hr@deklok.be", role="hr", org=org)
    await make_user("new@elders.be", org=other)

    figures = await _figures(admin)
    assert figures.counts == {
        "open_invitations": 2,
        "expiring_invitations": 1,
        "registered_this_week": 1,
        "imports_with_problems": 1,
        "staff_without_role": 1,
    }
    assert figures.tasks == ("expiring_invitations", "imports_with_problems", "staff_without_role")
    assert figures.upcoming == ()

    await login(client, "admin@deklok.be")
    page = (await client.get("/home", headers=EN)).text
    assert "Waiting for you" in page
    assert "1 invitation expires in the next 7 days." in page
    assert "1 staff list has rows that were not done." in page
    assert "1 staff account has no role yet." in page
    assert "open invitations" in page and "person registered in the last 7 days" in page
    assert 'href="/invitations?status=registered"' in page and 'href="/admin/users"' in page
    assert "With your roles" not in page and "give access to this start page" not in page


async def test_hr_on_a_unit_counts_only_that_unit_and_below(client):
    org = await make_org()
    site = await make_unit(org, "Gent", "site")
    team = await make_unit(org, "Inpak", "department", parent=site)
    elsewhere = await make_unit(org, "Brugge", "site")
    await _invitations(org, unit=team)
    await _invitations(org, unit=elsewhere, prefix="B")
    await _invitations(org, prefix="W")  # for the whole organisation: beyond a unit grant
    await _import_run(org, unit=site, invalid=1)
    await _import_run(org, unit=elsewhere, invalid=1)
    hr = await make_user("hr@example.be", role="hr", unit=site)
    figures = await _figures(hr)
    assert figures.counts == {
        "open_invitations": 2,
        "expiring_invitations": 1,
        "registered_this_week": 1,
        "imports_with_problems": 1,
    }


async def test_consultant_sees_their_agencys_invitations_only(client):
    agency = await make_org(kind="agency", name="Flexa")
    await _invitations(agency)
    await _invitations(await make_org(kind="agency"), prefix="O")
    consultant = await make_user("c@flexa.be", role="consultant", org=agency, language="en")
    figures = await _figures(consultant)
    assert figures.counts == {"open_invitations": 2, "expiring_invitations": 1, "registered_this_week": 1}
    await login(client, "c@flexa.be")
    page = (await client.get("/home", headers=EN)).text
    assert "1 invitation expires in the next 7 days." in page
    assert "staff account" not in page and "staff list" not in page


async def test_platform_admin_sees_organisations_and_failed_jobs(client):
    await make_org()
    await make_org()
    for status in ("failed", "failed", "done", "queued"):
        await Job.insert(Job(kind="mail.send", status=status, due_at=_now(), created_at=_now()))
    root = await make_user("root@example.be", role="platform_admin", language="en")
    figures = await _figures(root)
    assert figures.counts == {"organisations": 2, "failed_jobs": 2}
    assert figures.tasks == ("failed_jobs",)
    await login(client, "root@example.be")
    page = (await client.get("/home", headers=EN)).text
    assert "2 jobs failed." in page and 'href="/admin/jobs?status=failed"' in page
    assert 'href="/admin/organisations"' in page


async def test_nothing_waiting_says_so(client):
    org = await make_org()
    await make_user("c@example.be", role="consultant", org=org, language="en")
    await login(client, "c@example.be")
    page = (await client.get("/home", headers=EN)).text
    assert "Nothing is waiting for you right now." in page
    assert "Waiting for you" not in page


async def _roster(org: int, unit: int | None, registered: bool, user_id: int | None = None) -> None:
    rows = await Person.insert(
        Person(
            organisation=org,
            user=user_id if registered else None,
            last_name="P",
            first_name="Q",
            birth_date=datetime(1990, 1, 1).date(),
            postcode="9000",
            match_key=f"p|q|{_now().timestamp()}|{unit}|{registered}",
            created_at=_now(),
        )
    )
    await Membership.insert(
        Membership(person=rows[0]["id"], organisation=org, unit=unit, source="admin", created_at=_now())
    )


async def test_team_lead_sees_what_they_can_do_today_and_their_teams_list(client):
    org = await make_org()
    team = await make_unit(org, "Inpak", "department")
    other = await make_unit(org, "Expeditie", "department")
    worker = await make_user("w@example.be", role="worker", org=org)
    await _roster(org, team, registered=True, user_id=worker)
    await _roster(org, team, registered=False)
    await _roster(org, other, registered=False)
    lead = await make_user("lead@example.be", role="team_lead", unit=team, language="en")
    figures = await _figures(lead)
    assert figures.counts == {"roster": 2, "roster_registered": 1}
    assert figures.upcoming == ("team_lead",)
    await login(client, "lead@example.be")
    page = (await client.get("/home", headers=EN)).text
    assert "As a team lead you will approve the hours of your team here" in page
    assert "That part of Werkpas is not ready yet." in page
    assert "What you can do today" in page
    assert "people on the list of your team" in page and "of them has registered" in page
    assert "Nothing is waiting for you" not in page


async def test_planner_home_is_in_french(client):
    org = await make_org()
    planner = await make_user("plan@example.be", role="planner", org=org, language="fr")
    await grant(planner, "team_lead", org=org)
    await login(client, "plan@example.be")
    page = (await client.get("/home")).text
    assert 'lang="fr"' in page
    assert "En tant que planificateur" in page and "En tant que chef d'équipe" in page
    assert "Ce que vous pouvez déjà faire" in page


async def test_a_user_without_roles_is_told_what_to_do(client):
    await make_user("nobody@example.be", language="en")
    await login(client, "nobody@example.be")
    page = (await client.get("/home", headers=EN)).text
    assert "You have no roles yet" in page and "Ask your administrator" in page
    assert "In figures" not in page
