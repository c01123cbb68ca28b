"""The jobs page: failures visible, retry, platform admins only."""

from datetime import UTC, datetime, timedelta

from app.storage.tables import Job
from tests.admin import helpers as h


async def _job(kind="mail.send", status="queued", attempts=0, error=None, minutes=0):
    now = datetime.now(UTC)
    rows = await Job.insert(
        Job(
            kind=kind,
            payload="{}",
            status=status,
            due_at=now + timedelta(minutes=minutes),
            attempts=attempts,
            max_attempts=5,
            last_error=error,
            created_at=now,
        )
    )
    return rows[0]["id"]


async def test_retry_failed_job_queues_it_now(settings):
    admin = await h.user("platform_admin")
    failed = await _job(status="failed", attempts=5, error="Traceback\nConnectionRefusedError: smtp down", minutes=-60)
    before = datetime.now(UTC)
    outcome = await h.run("admin.retry_job", {"job_id": failed}, admin)
    assert outcome.applied
    row = await Job.select().where(Job.id == failed).first()
    assert (row["status"], row["attempts"], row["lease_until"]) == ("queued", 0, None)
    assert before - timedelta(seconds=5) <= row["due_at"] <= datetime.now(UTC)
    [event] = await h.events("admin.retry_job")
    assert (event["target_type"], event["target_id"], event["actor_id"]) == ("job", str(failed), admin)


async def test_only_failed_jobs_can_be_retried_and_only_by_platform_admins(settings):
    organisation = await h.org()
    admin = await h.user("platform_admin")
    org_admin = await h.user("org_admin", organisation)
    done = await _job(status="done", attempts=1)
    failed = await _job(status="failed", attempts=5, error="boom")
    assert (await h.run("admin.retry_job", {"job_id": done}, admin)).errors == {"_": "job_not_failed"}
    assert (await h.run("admin.retry_job", {"job_id": failed}, org_admin)).errors == {"_": "not_allowed"}
    assert (await Job.select(Job.status).where(Job.id == failed).first())["status"] == "failed"
    assert (await Job.select(Job.status).where(Job.id == done).first())["status"] == "done"


async def test_jobs_page_shows_failures_filters_and_retries(client):
    await h.as_role(client, "platform_admin")
    failed = await _job(
        "accounts.send_set_password_mail",
        "failed",
        5,
        "Traceback (most recent call last):\nSMTPConnectError: <refused>",
    )
    await _job("mail.send", "done", 1)
    await _job("mail.send", "queued", 0, minutes=30)

    page = await client.get("/admin/jobs")
    assert page.status_code == 200 and "3 jobs" in page.text
    assert "SMTPConnectError: &lt;refused&gt;" in page.text  # escaped
    assert "5 of 5" in page.text

    only_failed = await client.get("/admin/jobs?status=failed", headers={"HX-Request": "true"})
    assert "<html" not in only_failed.text and "1 job" in only_failed.text
    assert f'action="/admin/jobs/{failed}/retry"' in only_failed.text
    assert "Retry" not in (await client.get("/admin/jobs?status=done")).text

    response = await h.post_form(client, f"/admin/jobs/{failed}/retry", {"next": "/admin/jobs?status=failed"})
    assert response.status_code == 303 and response.headers["location"] == "/admin/jobs?status=failed"
    assert (await Job.select(Job.status).where(Job.id == failed).first())["status"] == "queued"
    after = await client.get(response.headers["location"])
    assert "The job will be tried again shortly." in after.text and "0 jobs" in after.text

    again = await h.post_form(client, f"/admin/jobs/{failed}/retry", {"next": "https://evil.example/"})
    assert again.headers["location"] == "/admin/jobs"
    assert "Only a failed job can be retried." in (await client.get("/admin/jobs")).text
    assert (await h.post_form(client, "/admin/jobs/999999/retry", {})).status_code == 404


async def test_jobs_pagination(client):
    await h.as_role(client, "platform_admin")
    for minute in range(27):
        await _job(minutes=minute)
    assert "Page 1 of 2" in (await client.get("/admin/jobs")).text
    assert "Page 2 of 2" in (await client.get("/admin/jobs?page=2")).text


async def test_jobs_read_as_names_for_the_person_they_serve(client):
    klok = await h.org("De Klok", "de-klok")
    piet = await h.user(organisation=klok, name="Piet Peeters")
    rows = await Job.insert(
        Job(
            kind="accounts.send_set_password_mail",
            payload=f'{{"user_id": {piet}, "token_id": 1}}',
            status="queued",
            due_at=datetime.now(UTC),
            created_at=datetime.now(UTC),
        )
    )
    await _job(kind="newarea.something_added_today")
    await _job(kind="invitations.thing_added_today")
    await h.as_role(client, "platform_admin")
    page = await client.get("/admin/jobs")
    assert page.status_code == 200
    assert f'E-mail a link to choose a password, for <a href="/admin/users/{piet}">Piet Peeters</a>' in page.text
    assert "Background work: invitations" in page.text and "Background work<" in page.text
    assert "accounts.send_set_password_mail" not in page.text and "something_added_today" not in page.text
    assert f'id="job-{rows[0]["id"]}"' in page.text


async def test_empty_job_list_says_none_yet_or_none_with_this_status(client):
    await h.as_role(client, "platform_admin")
    assert "No background jobs yet." in (await client.get("/admin/jobs")).text
    await _job(status="done")
    failed = await client.get("/admin/jobs?status=failed")
    assert "No jobs with this status." in failed.text and "No background jobs yet." not in failed.text
