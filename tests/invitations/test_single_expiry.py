"""Expiry: the daily job marks open invitations past their time as expired
(one audited command each, safe to run twice); pages treat them as expired
even before the job runs."""

from datetime import UTC, datetime, timedelta

from app.domain.core.commands import utcnow
from app.domain.invitations import status_of
from app.domain.invitations.expiry import KIND, expire_due
from app.domain.jobs.queue import enqueue, periodic_jobs
from app.domain.jobs.worker import run_due_jobs
from tests.invitations.test_single_support import Invitation, create, events, invitation, run, staff


async def _setup():
    org, user = await staff("hr")
    ids = [
        (await create(user, org, last_name=name, email="", delivery="paper"))["invitation_id"]
        for name in ("Late", "Fresh", "Revoked", "Opened")
    ]
    past = utcnow() - timedelta(hours=1)
    await Invitation.update({Invitation.expires_at: past}).where(Invitation.id.is_in([ids[0], ids[2], ids[3]]))
    await Invitation.update({Invitation.status: "revoked"}).where(Invitation.id == ids[2])
    await Invitation.update({Invitation.status: "opened"}).where(Invitation.id == ids[3])
    return org, user, ids


async def test_expire_job_marks_only_open_invitations_past_their_time(settings):
    org, _user, (late, fresh, revoked, opened) = await _setup()
    await enqueue(KIND, {})
    assert await run_due_jobs() == 1
    assert [(await invitation(i))["status"] for i in (late, fresh, revoked, opened)] == [
        "expired",
        "created",
        "revoked",
        "expired",
    ]
    audited = await events("invitations.expire")
    assert sorted(int(e["target_id"]) for e in audited) == sorted([late, opened])
    assert {(e["channel"], e["organisation_id"], e["outcome"]) for e in audited} == {("job", org, "applied")}


async def test_running_the_same_job_twice_applies_once(settings):
    _org, _user, (late, *_rest) = await _setup()
    assert len(await expire_due(job_id=7)) == 2
    await Invitation.update({Invitation.status: "sent"}).where(Invitation.id == late)
    # Same job again: its commands replay, nothing is applied twice.
    assert await expire_due(job_id=7) == [late]  # a replayed outcome
    assert (await invitation(late))["status"] == "sent"
    assert len(await events("invitations.expire")) == 2
    # The next day's job does expire it.
    assert await expire_due(job_id=8) == [late]
    assert (await invitation(late))["status"] == "expired"


async def test_expiry_is_daily_and_staff_cannot_run_it(settings):
    assert KIND in [job.kind for job in periodic_jobs()]
    _org, user, (late, *_rest) = await _setup()
    assert not (await run("invitations.expire", {"invitation_id": late}, user)).applied
    assert (await invitation(late))["status"] == "created"


def test_effective_status():
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    before, after = now - timedelta(seconds=1), now + timedelta(days=1)
    assert status_of({"status": "sent", "expires_at": before}, now) == "expired"
    assert status_of({"status": "created", "expires_at": now}, now) == "expired"
    assert status_of({"status": "opened", "expires_at": after}, now) == "opened"
    assert status_of({"status": "registered", "expires_at": before}, now) == "registered"
    assert status_of({"status": "revoked", "expires_at": before}, now) == "revoked"


async def test_pages_show_expired_before_the_job_runs(client):
    from tests.invitations.test_single_support import signed_in

    org, user = await signed_in(client, "hr")
    invitation_id = (await create(user, org))["invitation_id"]
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(minutes=1)}).where(
        Invitation.id == invitation_id
    )
    page = await client.get(f"/invitations/{invitation_id}")
    assert "invitation-status-expired" in page.text and "Send the e-mail again" not in page.text
    assert (await invitation(invitation_id))["status"] == "created"
