from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.accounts.inactivity import add_months, brussels_today, deactivate_inactive, is_inactive, last_active_day
from app.domain.accounts.schedule import next_run, schedule_daily_jobs
from app.domain.core.commands import Command, execute
from app.domain.jobs.queue import enqueue
from app.domain.jobs.worker import run_due_jobs
from app.storage.tables import AuditEvent, Job
from tests.conftest import now
from tests.support.accounts import audit_types, user_row
from tests.support.factories import login, make_org, make_unit, make_user

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def test_six_calendar_months_clamp_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 31), 6) == date(2026, 7, 31)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), 6) == date(2026, 9, 30)
    assert add_months(date(2026, 7, 15), 6) == date(2027, 1, 15)


def test_last_active_day_is_six_months_and_one_day_after_the_last_login():
    assert last_active_day(brussels(2026, 1, 31, 10, 0)) == date(2026, 8, 1)
    # The local date counts: 00:30 on Feb 1st in Brussels is still Jan 31st
    # in UTC, and must count as Feb 1st.
    assert last_active_day(brussels(2026, 1, 31, 23, 30)) == date(2026, 8, 1)
    assert last_active_day(brussels(2026, 2, 1, 0, 30).astimezone(UTC)) == date(2026, 8, 2)


def test_deactivation_starts_the_day_after_the_last_active_day():
    login_at = brussels(2026, 1, 31, 10, 0)
    assert not is_inactive(login_at, date(2026, 7, 31))
    assert not is_inactive(login_at, date(2026, 8, 1))
    assert is_inactive(login_at, date(2026, 8, 2))


async def staff_with(email: str, org: int, **columns) -> int:
    return await make_user(email, role="team_lead", org=org, **columns)


async def test_job_deactivates_exactly_at_the_boundary(client):
    org = await make_org()
    today = date(2026, 8, 2)
    over = await staff_with("over@example.be", org, last_login_at=brussels(2026, 1, 31, 18, 0))
    boundary = await staff_with("boundary@example.be", org, last_login_at=brussels(2026, 2, 1, 9, 0))
    never_old = await staff_with("never-old@example.be", org, created_at=brussels(2026, 1, 31, 8, 0))
    never_new = await staff_with("never-new@example.be", org, created_at=brussels(2026, 2, 1, 8, 0))
    # Logged in recently, although the account itself is old.
    recent = await staff_with(
        "recent@example.be", org, created_at=brussels(2024, 1, 1), last_login_at=brussels(2026, 7, 1)
    )
    worker = await make_user("worker@example.be", role="worker", org=org, last_login_at=brussels(2025, 1, 1))
    no_role = await make_user("norole@example.be", org=org, last_login_at=brussels(2025, 1, 1))

    assert await deactivate_inactive(today, job_id=41) == sorted([over, never_old])

    for user_id in (over, never_old):
        row = await user_row(user_id)
        assert row["is_active"] is False and row["deactivated_at"] is not None
    for user_id in (boundary, never_new, recent, worker, no_role):
        row = await user_row(user_id)
        assert row["is_active"] is True and row["deactivated_at"] is None
    events = await AuditEvent.select().where(AuditEvent.type == "accounts.deactivate_user")
    assert sorted(int(event["target_id"]) for event in events) == sorted([over, never_old])
    assert all(event["channel"] == "job" and event["actor_id"] is None for event in events)
    assert {event["organisation_id"] for event in events} == {org}


async def test_running_the_same_job_again_changes_nothing(client):
    org = await make_org()
    user_id = await staff_with("over@example.be", org, last_login_at=brussels(2026, 1, 1))
    assert await deactivate_inactive(date(2026, 8, 2), job_id=7) == [user_id]
    first = await user_row(user_id)
    # Same job id: the commands replay their first outcome.
    await deactivate_inactive(date(2026, 8, 3), job_id=7)
    assert await user_row(user_id) == first
    assert len(await audit_types(type="accounts.deactivate_user")) == 1


async def test_the_queued_job_runs_with_todays_date(client):
    org = await make_org()
    old = await staff_with("old@example.be", org, last_login_at=now() - timedelta(days=200))
    fresh = await staff_with("fresh@example.be", org, last_login_at=now() - timedelta(days=150))
    await enqueue("accounts.deactivate_inactive", {})
    await run_due_jobs()
    assert (await user_row(old))["is_active"] is False
    assert (await user_row(fresh))["is_active"] is True
    assert (await Job.select(Job.status).where(Job.kind == "accounts.deactivate_inactive").first())["status"] == "done"


async def test_a_deactivated_user_is_logged_out_at_the_next_request(client):
    org = await make_org()
    user_id = await staff_with("an@example.be", org, last_login_at=brussels(2026, 1, 1))
    assert (await login(client, "an@example.be")).status_code == 303
    await deactivate_inactive(date(2026, 8, 2), job_id=1)  # the login above is "today", not before
    assert (await user_row(user_id))["is_active"] is True
    await execute(Command(type="accounts.deactivate_user", payload={"user_id": user_id}, actor_id=None, channel="cli"))
    response = await client.get("/home", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_org_admin_reactivates_and_the_clock_starts_again(client):
    org = await make_org()
    admin = await make_user("admin@example.be", role="org_admin", org=org)
    user_id = await staff_with("an@example.be", org, last_login_at=now() - timedelta(days=400))
    today = brussels_today()
    await deactivate_inactive(today, job_id=1)
    assert (await user_row(user_id))["is_active"] is False

    outcome = await execute(Command(type="accounts.reactivate_user", payload={"user_id": user_id}, actor_id=admin))
    assert outcome.applied
    row = await user_row(user_id)
    assert row["is_active"] is True and row["deactivated_at"] is None
    # Reactivation counts as activity: tomorrow's run leaves the account be.
    assert await deactivate_inactive(today + timedelta(days=1), job_id=2) == []
    assert (await user_row(user_id))["is_active"] is True
    # ...but six months + 1 day later without a login it goes again.
    assert user_id in await deactivate_inactive(today + timedelta(days=200), job_id=3)
    assert (await login(client, "an@example.be")).status_code == 422


async def test_reactivated_user_can_log_in(client):
    org = await make_org()
    admin = await make_user("root@example.be", role="platform_admin")
    user_id = await staff_with("an@example.be", org, is_active=False, deactivated_at=now())
    assert (await login(client, "an@example.be")).status_code == 422
    assert (
        await execute(Command(type="accounts.reactivate_user", payload={"user_id": user_id}, actor_id=admin))
    ).applied
    assert (await login(client, "an@example.be")).status_code == 303


async def test_only_admins_of_that_organisation_may_reactivate(client):
    org, other = await make_org(), await make_org()
    unit = await make_unit(org, "Antwerpen", "site")
    user_id = await staff_with("an@example.be", org, is_active=False, deactivated_at=now())
    strangers = [
        await make_user("other-admin@example.be", role="org_admin", org=other),
        await make_user("colleague@example.be", role="hr", org=org),
        await make_user("lead@example.be", role="team_lead", unit=unit),
    ]
    for actor in (*strangers, None):
        outcome = await execute(Command(type="accounts.reactivate_user", payload={"user_id": user_id}, actor_id=actor))
        assert not outcome.applied
        assert outcome.errors == {"_": "not_found"} or actor is None
    assert (await user_row(user_id))["is_active"] is False
    assert set(await audit_types(type="accounts.reactivate_user")) == {"accounts.reactivate_user"}
    rejected = await AuditEvent.select().where(AuditEvent.type == "accounts.reactivate_user")
    assert {event["outcome"] for event in rejected} == {"rejected"}


async def test_reactivating_an_active_account_is_refused(client):
    admin = await make_user("root@example.be", role="platform_admin")
    org = await make_org()
    user_id = await staff_with("an@example.be", org)
    outcome = await execute(Command(type="accounts.reactivate_user", payload={"user_id": user_id}, actor_id=admin))
    assert outcome.errors == {"_": "already_active"}


def test_next_run_is_three_oclock_tomorrow_in_brussels_across_dst():
    # Saturday before the spring change: 03:00 CEST on Sunday is 01:00 UTC.
    assert next_run(datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == brussels(2026, 3, 29, 3, 0)
    assert next_run(datetime(2026, 3, 28, 12, 0, tzinfo=UTC)).astimezone(UTC).hour == 1
    # 23:30 UTC on Jan 10th is already Jan 11th in Brussels.
    assert next_run(datetime(2026, 1, 10, 23, 30, tzinfo=UTC)) == brussels(2026, 1, 12, 3, 0)


async def test_schedule_daily_jobs_queues_one_run_per_day(client):
    moment = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    job_id = await schedule_daily_jobs(moment)
    assert job_id is not None
    assert await schedule_daily_jobs(moment) is None
    job = await Job.select().where(Job.id == job_id).first()
    assert job["kind"] == "accounts.deactivate_inactive"
    assert job["unique_key"] == "accounts.deactivate_inactive:2026-06-11"
    assert job["due_at"] == brussels(2026, 6, 11, 3, 0)


def test_the_worker_keeps_the_daily_run_scheduled():
    from app.domain.jobs.queue import periodic_jobs

    [job] = [job for job in periodic_jobs() if job.kind == "accounts.deactivate_inactive"]
    due = job.schedule.next_after(datetime(2026, 6, 10, 15, 0, tzinfo=UTC))
    assert due == brussels(2026, 6, 11, 3, 0)
    assert job.unique_key(due) == "accounts.deactivate_inactive:2026-06-11"
