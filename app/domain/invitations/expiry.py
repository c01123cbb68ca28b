"""Daily job `invitations.expire`: open invitations past their expiry become
expired, one audited command per invitation (so each organisation's audit
log shows its own). Pages do not wait for it: `lifecycle.status_of`
already shows such an invitation as expired.

Command ids derive from the job and the invitation, so a job that runs
again applies nothing twice.
"""

from __future__ import annotations

import uuid

from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.invitations.lifecycle import INVITATION, due_where, status_of
from app.domain.invitations.payloads import ExpireInvitation
from app.domain.invitations.reasons import CODES  # noqa: F401  (declares the codes answered here)
from app.domain.jobs import daily, periodic
from app.storage.people import Invitation

KIND = "invitations.expire"
DAILY = daily(2, 30)
COMMAND_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "werkpas:invitations.expire")


def expire_command_id(job_id: int, invitation_id: int) -> uuid.UUID:
    return uuid.uuid5(COMMAND_NAMESPACE, f"{job_id}:{invitation_id}")


@handler("invitations.expire", ExpireInvitation, codes=("not_due",))
async def expire_invitation(command: Command[ExpireInvitation]) -> Effect:
    """Mark an open invitation past its expiry as expired (the system only: the daily job or the CLI)."""
    if command.actor_id is not None or command.channel not in ("job", "cli"):
        raise Rejected("not_allowed")
    invitation = (
        await Invitation.select(Invitation.id, Invitation.status, Invitation.expires_at, Invitation.organisation)
        .where(Invitation.id == command.payload.invitation_id)
        .first()
    )
    if invitation is None:
        raise Rejected("not_found")
    # Checked again inside the transaction: staff may have extended it since
    # the job picked it.
    # Open by its status and past its expiry: status_of says expired.
    if not INVITATION.can(invitation["status"], "expire") or status_of(invitation, utcnow()) != "expired":
        raise Rejected("not_due", organisation_id=invitation["organisation"])
    await Invitation.update({Invitation.status: INVITATION.after(invitation["status"], "expire")}).where(
        Invitation.id == invitation["id"]
    )
    return Effect(
        target_type="invitation",
        target_id=invitation["id"],
        organisation_id=invitation["organisation"],
        ids={"invitation_id": invitation["id"]},
    )


async def due_invitations() -> list[int]:
    rows = await Invitation.select(Invitation.id).where(due_where(utcnow())).order_by(Invitation.id)
    return [row["id"] for row in rows]


async def expire_due(job_id: int) -> list[int]:
    """Expire every open invitation past its time; returns the ids expired."""
    done = []
    for invitation_id in await due_invitations():
        command = Command(
            type="invitations.expire",
            payload={"invitation_id": invitation_id},
            actor_id=None,
            channel="job",
            id=expire_command_id(job_id, invitation_id),
        )
        if (await execute(command)).applied:
            done.append(invitation_id)
    return done


@periodic(KIND, DAILY)
async def expire_job(payload: dict, job_id: int) -> None:
    await expire_due(job_id)
