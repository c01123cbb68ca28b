"""Job invitations.send_mail: the mail in the invitation's language with
link and short code, marking the invitation sent exactly once, and skipping
invitations that can no longer be used."""

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.domain.invitations import secrets
from app.domain.invitations.mails import send_invitation_mail
from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.storage.tables import CommandRecord
from tests.invitations.test_single_support import Invitation, create, events, invitation, make_org, run, staff


def _bodies(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


async def test_mail_has_link_and_code_and_marks_sent(settings):
    org, user = await staff("hr", await make_org(name="Brouwerij De Klok"))
    invitation_id = (await create(user, org, language="en"))["invitation_id"]
    assert await run_due_jobs() == 1
    [message] = outbox(settings)
    row = await invitation(invitation_id)
    link = secrets.invitation_url(invitation_id, row["salt"])
    code = secrets.display(secrets.code_for(secrets.INVITATION, row["salt"]))
    text, html = _bodies(message)
    assert message["To"] == "anais.dupre@example.be"
    assert "Brouwerij De Klok" in message["Subject"]
    for body in (text, html):
        assert link in body and code in body and "Anaïs" in body and "Brouwerij De Klok" in body
    assert row["status"] == "sent" and row["sent_at"] is not None
    [event] = await events("invitations.mark_sent")
    assert (event["channel"], event["actor_id"], event["outcome"]) == ("job", None, "applied")


async def test_mail_is_in_the_invitations_language(settings):
    org, user = await staff("hr")
    await create(user, org, language="fr")
    await run_due_jobs()
    [message] = outbox(settings)
    assert message["Content-Language"] == "fr"


async def test_job_running_twice_marks_sent_once(settings):
    org, user = await staff("hr")
    invitation_id = (await create(user, org))["invitation_id"]
    assert await send_invitation_mail(invitation_id, job_id=4242)
    first = (await invitation(invitation_id))["sent_at"]
    assert await send_invitation_mail(invitation_id, job_id=4242)
    assert (await invitation(invitation_id))["sent_at"] == first
    assert await CommandRecord.count().where(CommandRecord.type == "invitations.mark_sent") == 1


async def test_revoked_registered_or_expired_are_skipped(settings):
    org, user = await staff("hr")
    ids = [(await create(user, org, last_name=name))["invitation_id"] for name in ("Revoked", "Registered", "Expired")]
    assert (await run("invitations.revoke", {"invitation_id": ids[0]}, user)).applied
    await Invitation.update({Invitation.status: "registered"}).where(Invitation.id == ids[1])
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(minutes=5)}).where(Invitation.id == ids[2])
    assert await run_due_jobs() == 3
    assert outbox(settings) == []
    assert [(await invitation(i))["sent_at"] for i in ids] == [None, None, None]
    from app.storage.tables import Job

    assert {row["status"] for row in await Job.select(Job.status)} == {"done"}


async def test_opened_invitation_keeps_its_status_when_resent(settings):
    org, user = await staff("hr")
    invitation_id = (await create(user, org))["invitation_id"]
    await Invitation.update({Invitation.status: "opened", Invitation.opened_at: utcnow()}).where(
        Invitation.id == invitation_id
    )
    await run_due_jobs()
    assert len(outbox(settings)) == 1
    row = await invitation(invitation_id)
    assert row["status"] == "opened" and row["sent_at"] is not None


async def test_mark_sent_is_for_the_system_only(settings):
    org, user = await staff("org_admin")
    invitation_id = (await create(user, org))["invitation_id"]
    assert not (await run("invitations.mark_sent", {"invitation_id": invitation_id}, user)).applied
    assert (await invitation(invitation_id))["status"] == "created"
