"""Demo invitations for brouwerij-de-klok, issued by hr@deklok.example, one
in each state staff see in the list: created (paper), sent, opened,
expired and revoked. (The demo worker, registered through his invitation,
is registration's demo step: app.domain.registration.demo.)

Idempotent: every command has an id derived from the person, so running the
demo again replays instead of adding; states are reached through the same
commands the pages use; only the passing of time for the expired one is
written directly (its expiry date is moved into the past).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.config import Settings
from app.domain.core.commands import Command, execute, utcnow
from app.domain.invitations.mails import mark_sent_command_id
from app.domain.registry import load_handlers
from app.storage.people import Invitation
from app.storage.tables import Organisation, User

ORGANISATION = "brouwerij-de-klok"
ISSUER = "hr@deklok.example"
_NAMESPACE = uuid.UUID("0d5c2f7e-6a3b-4c1e-9f8d-2b7a4e6c1d93")

# last name, first name, birth date, postcode, e-mail, language, delivery, state
PEOPLE = [
    ("Vermeulen", "Lotte", "12/03/1994", "9000", None, "nl", "paper", "created"),
    ("Dubois", "Camille", "05/11/1988", "9300", "camille.dubois@example.be", "fr", "email", "sent"),
    ("Yilmaz", "Emre", "23/07/2001", "9050", "emre.yilmaz@example.be", "nl", "both", "opened"),
    ("Janssens", "Bram", "30/01/1979", "9200", "bram.janssens@example.be", "nl", "email", "expired"),
    ("Nowak", "Zofia", "14/09/1996", "9000", "zofia.nowak@example.be", "en", "email", "revoked"),
]


def _id(*key: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "|".join(str(part) for part in key))


async def _run(type: str, payload: dict, actor_id: int | None, channel: str, command_id: uuid.UUID) -> dict:
    outcome = await execute(Command(type=type, payload=payload, actor_id=actor_id, channel=channel, id=command_id))
    if not outcome.applied:
        raise RuntimeError(f"demo: {type} was refused: {outcome.errors}")
    return outcome.ids


async def _reach(state: str, invitation_id: int, issuer_id: int, key: str) -> None:
    if state in ("sent", "opened", "expired"):
        # A negative number cannot collide with a real job id.
        await _run(
            "invitations.mark_sent", {"invitation_id": invitation_id}, None, "job", mark_sent_command_id(-invitation_id)
        )
    if state == "opened":
        # As if the person followed the link in their mail.
        await _run("registration.open", {"invitation_id": invitation_id}, None, "web", _id("open", key))
    if state == "expired":
        await Invitation.update({Invitation.expires_at: utcnow() - timedelta(days=2)}).where(
            (Invitation.id == invitation_id) & (Invitation.status == "sent")
        )
        await _run("invitations.expire", {"invitation_id": invitation_id}, None, "cli", _id("expire", key))
    if state == "revoked":
        await _run("invitations.revoke", {"invitation_id": invitation_id}, issuer_id, "web", _id("revoke", key))


async def demo(settings: Settings) -> None:
    load_handlers()
    organisation = await Organisation.select(Organisation.id).where(Organisation.slug == ORGANISATION).first()
    issuer = await User.select(User.id).where(User.email == ISSUER).first()
    if organisation is None or issuer is None:
        return  # the foundation's demo data comes first
    for last, first, birth, postcode, email, language, delivery, state in PEOPLE:
        key = f"{last}|{first}|{birth}"
        payload = {
            "organisation_id": str(organisation["id"]),
            "unit_id": None,
            "last_name": last,
            "first_name": first,
            "birth_date": birth,
            "postcode": postcode,
            "email": email or "",
            "phone": "",
            "language": language,
            "delivery": delivery,
        }
        ids = await _run("invitations.create", payload, issuer["id"], "web", _id("create", key))
        if ids.get("invitation_id"):
            await _reach(state, ids["invitation_id"], issuer["id"], key)
