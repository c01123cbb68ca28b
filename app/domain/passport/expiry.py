"""Daily job `passport.expire_consent`: consent past its expiry is removed with
an `expire` receipt, one audited command per worker and organisation. Reads
do not wait for it: the check itself compares `expires_at` with the clock
(reads.consented, consent.in_force), so an expired consent stops at once.

Command ids derive from the job, the worker and the organisation, so a job
that runs again applies nothing twice.
"""

from __future__ import annotations

import uuid

from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.jobs import daily, periodic
from app.domain.passport.consent import write_receipt
from app.domain.passport.payloads import ExpireConsent
from app.domain.passport.reasons import CONSENT_CODES  # noqa: F401  (declares the codes answered here)
from app.storage.passport import Consent

KIND = "passport.expire_consent"
DAILY = daily(2, 45)
COMMAND_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "werkpas:passport.expire_consent")


def expire_command_id(job_id: int, user_id: int, organisation_id: int) -> uuid.UUID:
    return uuid.uuid5(COMMAND_NAMESPACE, f"{job_id}:{user_id}:{organisation_id}")


@handler("passport.expire_consent", ExpireConsent, codes=("not_due",))
async def expire_consent(command: Command[ExpireConsent]) -> Effect:
    """Remove a consent past its expiry, with a receipt (the system only: the daily job or the CLI)."""
    if command.actor_id is not None or command.channel not in ("job", "cli"):
        raise Rejected("not_allowed")
    payload = command.payload
    now = utcnow()
    mine = (Consent.user == payload.user_id) & (Consent.organisation == payload.organisation_id)
    expired = await Consent.select(Consent.category, Consent.purpose).where(mine & (Consent.expires_at <= now))
    if not expired:
        raise Rejected("not_due")  # renewed or withdrawn meanwhile
    await Consent.delete().where(mine & (Consent.expires_at <= now))
    receipt = await write_receipt(
        user_id=payload.user_id,
        organisation_id=payload.organisation_id,
        action="expire",
        categories=[row["category"] for row in expired],
        purpose=expired[0]["purpose"],
        channel=command.channel,
        actor_id=None,
        at=now,
        expires_at=None,
    )
    return Effect(
        target_type="consent",
        target_id=str(receipt),
        organisation_id=payload.organisation_id,
        ids={"receipt": str(receipt), "user_id": payload.user_id},
    )


async def due_consents() -> list[tuple[int, int]]:
    rows = await Consent.select(Consent.user, Consent.organisation).where(Consent.expires_at <= utcnow())
    return sorted({(row["user"], row["organisation"]) for row in rows})


async def expire_due(job_id: int) -> list[tuple[int, int]]:
    """Expire every consent past its time; returns (worker, organisation) pairs."""
    done = []
    for user_id, organisation_id in await due_consents():
        command = Command(
            type=KIND,
            payload={"user_id": user_id, "organisation_id": organisation_id},
            actor_id=None,
            channel="job",
            id=expire_command_id(job_id, user_id, organisation_id),
        )
        if (await execute(command)).applied:
            done.append((user_id, organisation_id))
    return done


@periodic(KIND, DAILY)
async def expire_job(payload: dict, job_id: int) -> None:
    await expire_due(job_id)
