"""Job `invitations.send_mail` {"invitation_id"}: mail the link and short
code in the invitation's language, then mark the invitation sent.

The job payload holds only the id: the link and code are derived from the
row's salt when the mail is written, so no secret sits in the jobs table.
An invitation that is revoked, registered or expired by then is skipped.
The mark-sent command's id is derived from the job id, so a job that runs
again does not record a second sending.
"""

from __future__ import annotations

import uuid

from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.invitations import secrets
from app.domain.invitations.lifecycle import INVITATION, is_open
from app.domain.invitations.payloads import MarkSent
from app.domain.jobs import job_handler
from app.domain.mail import send_mail
from app.storage.people import Invitation, Person
from app.storage.tables import Organisation

JOB = "invitations.send_mail"
TEMPLATE = "invitation"
COMMAND_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "werkpas:invitations.mark_sent")


def mark_sent_command_id(job_id: int) -> uuid.UUID:
    return uuid.uuid5(COMMAND_NAMESPACE, str(job_id))


@handler("invitations.mark_sent", MarkSent)
async def mark_sent(command: Command[MarkSent]) -> Effect:
    """Record that the invitation was mailed. Only the system (the mail job) records a sending."""
    if command.actor_id is not None or command.channel != "job":
        raise Rejected("not_allowed")
    invitation = await Invitation.select().where(Invitation.id == command.payload.invitation_id).first()
    if invitation is None:
        raise Rejected("not_found")
    # created -> sent; a later status stays, only the time of sending is kept.
    status = invitation["status"]
    status = INVITATION.after(status, "send") if INVITATION.can(status, "send") else status
    await Invitation.update({Invitation.status: status, Invitation.sent_at: utcnow()}).where(
        Invitation.id == invitation["id"]
    )
    return Effect(
        target_type="invitation",
        target_id=invitation["id"],
        organisation_id=invitation["organisation"],
        ids={"invitation_id": invitation["id"]},
    )


async def _mail_context(invitation: dict, person: dict) -> dict:
    organisation = (
        await Organisation.select(Organisation.name).where(Organisation.id == invitation["organisation"]).first()
    )
    if organisation is None:
        raise LookupError(f"organisation {invitation['organisation']} of invitation {invitation['id']} is gone")
    return {
        "first_name": person["first_name"],
        "organisation": organisation["name"],
        "link": secrets.invitation_url(invitation["id"], invitation["salt"]),
        "code": secrets.display(secrets.code_for(secrets.INVITATION, invitation["salt"])),
        "expires_at": invitation["expires_at"],
    }


async def send_invitation_mail(invitation_id: int, job_id: int) -> bool:
    """Mail one invitation; False when there is nothing (more) to send."""
    invitation = await Invitation.select().where(Invitation.id == invitation_id).first()
    if invitation is None or not is_open(invitation, utcnow()):
        return False
    person = await Person.select(Person.first_name, Person.email).where(Person.id == invitation["person"]).first()
    if person is None or not person["email"]:
        return False
    await send_mail(
        to=person["email"],
        template=TEMPLATE,
        language=invitation["language"],
        context=await _mail_context(invitation, person),
    )
    await execute(
        Command(
            type="invitations.mark_sent",
            payload=MarkSent(invitation_id=invitation_id),
            actor_id=None,
            channel="job",
            id=mark_sent_command_id(job_id),
        )
    )
    return True


@job_handler(JOB)
async def send_mail_job(payload: dict, job_id: int) -> None:
    await send_invitation_mail(int(payload["invitation_id"]), job_id)
