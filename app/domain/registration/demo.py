"""The demo worker worker@deklok.example (Wout De Smet, born 14/02/1990,
postcode 9000), invited on paper by hr@deklok.example and registered through
that invitation, a member of Brouwerij De Klok; and his twelve colleagues
worker01@deklok.example to worker12@deklok.example of the subgroup
Gent > Productie > Ploeg Vroeg, invited by e-mail onto that subgroup (the
participation demo seats them at tables). Runs after the invitations' demo
step (area order).

Idempotent: every command has an id derived from the worker (the same ids the
invitations' demo step used when it held this step), so running the demo
again replays instead of adding.
"""

from __future__ import annotations

import uuid
from datetime import date

from app.config import Settings
from app.domain.accounts import hash_secret
from app.domain.core.commands import Command, execute, utcnow
from app.domain.registration.rules import PRIVACY_VERSION, birth_date_proof
from app.domain.registry import load_handlers
from app.storage.people import Invitation
from app.storage.tables import Organisation, Unit, User

ORGANISATION = "brouwerij-de-klok"
ISSUER = "hr@deklok.example"
# The invitations demo's namespace: command ids stay those of earlier demo runs.
_NAMESPACE = uuid.UUID("0d5c2f7e-6a3b-4c1e-9f8d-2b7a4e6c1d93")

# last name, first name, birth date, postcode, e-mail, language
WORKER = ("De Smet", "Wout", date(1990, 2, 14), "9000", "worker@deklok.example", "nl")
WORKER_PASSWORD = "Werkpas-demo-2026"
# The subgroup the colleagues are invited onto: site, department, subgroup.
SUBGROUP = ("Gent", "Productie", "Ploeg Vroeg")
COLLEAGUES = [
    ("Peeters", "Lotte", date(1994, 3, 8), "9000", "nl"),
    ("Janssens", "Ruben", date(1988, 11, 21), "9030", "nl"),
    ("Maes", "Elif", date(1997, 6, 2), "9040", "nl"),
    ("Jacobs", "Bram", date(1985, 1, 17), "9050", "nl"),
    ("Mertens", "Sara", date(1992, 9, 30), "9000", "nl"),
    ("Willems", "Youssef", date(1990, 4, 12), "9032", "nl"),
    ("Claes", "Nina", date(1999, 12, 5), "9041", "nl"),
    ("Goossens", "Tibo", date(1987, 7, 23), "9000", "nl"),
    ("Wouters", "Inès", date(1995, 2, 28), "9051", "fr"),
    ("De Clercq", "Jonas", date(1983, 10, 9), "9031", "nl"),
    ("Dubois", "Camille", date(1996, 5, 14), "9000", "fr"),
    ("Lambert", "Milan", date(1991, 8, 3), "9042", "nl"),
]


def colleague_email(number: int) -> str:
    return f"worker{number:02d}@deklok.example"


def _id(*key: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "|".join(str(part) for part in key))


async def _run(type: str, payload: dict, actor_id: int | None, channel: str, command_id: uuid.UUID) -> dict:
    outcome = await execute(Command(type=type, payload=payload, actor_id=actor_id, channel=channel, id=command_id))
    if not outcome.applied:
        raise RuntimeError(f"demo: {type} was refused: {outcome.errors}")
    return outcome.ids


async def demo(settings: Settings) -> None:
    load_handlers()
    organisation = await Organisation.select(Organisation.id).where(Organisation.slug == ORGANISATION).first()
    issuer = await User.select(User.id).where(User.email == ISSUER).first()
    if organisation is None or issuer is None:
        return  # the foundation's demo data comes first
    await _registered_worker(organisation["id"], issuer["id"], WORKER, None, "paper")
    subgroup = await _subgroup(organisation["id"])
    for number, (last, first, birth, postcode, language) in enumerate(COLLEAGUES, start=1):
        colleague = (last, first, birth, postcode, colleague_email(number), language)
        await _registered_worker(organisation["id"], issuer["id"], colleague, subgroup, "email")


async def _subgroup(organisation_id: int) -> int | None:
    """The unit Gent > Productie > Ploeg Vroeg of the organisation, if it exists."""
    parent = None
    for name in SUBGROUP:
        query = Unit.select(Unit.id).where((Unit.organisation == organisation_id) & (Unit.name == name))
        query = query.where(Unit.parent.is_null() if parent is None else Unit.parent == parent)
        row = await query.first()
        if row is None:
            return None
        parent = row["id"]
    return parent


async def _registered_worker(
    organisation_id: int, issuer_id: int, worker: tuple, unit_id: int | None, delivery: str
) -> None:
    """A demo worker registers with the invitation HR made for them (on
    paper, or by e-mail), through the same commands the registration pages
    run. An account made by an older demo (a user without a person record)
    accepts the invitation instead, as a logged-in worker would."""
    last, first, birth, postcode, email, language = worker
    key = f"worker|{email}"
    payload = {
        "organisation_id": str(organisation_id),
        "unit_id": unit_id,
        "last_name": last,
        "first_name": first,
        "birth_date": birth.strftime("%d/%m/%Y"),
        "postcode": postcode,
        "email": email,
        "phone": "",
        "language": language,
        "delivery": delivery,
    }
    ids = await _run("invitations.create", payload, issuer_id, "web", _id("create", key))
    invitation_id = ids.get("invitation_id")
    invitation = (
        await Invitation.select(Invitation.status).where(Invitation.id == invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is None or invitation_id is None or invitation["status"] == "registered":
        return  # registered by an earlier run
    proof = birth_date_proof(invitation_id, birth)
    existing = await User.select(User.id, User.password_hash).where(User.email == email).first()
    steps = [
        ("registration.open", {"invitation_id": invitation_id}, None),
        ("registration.verify_identity", {"invitation_id": invitation_id, "proof": proof}, None),
        (
            "registration.complete",
            {
                "invitation_id": invitation_id,
                "proof": proof,
                "language": language,
                "privacy_version": PRIVACY_VERSION,
                "accepted_at": utcnow().isoformat(),
                "password_hash": None if existing else hash_secret(WORKER_PASSWORD),
                "pin_hash": None,
            },
            existing["id"] if existing else None,
        ),
    ]
    for type, step_payload, actor_id in steps:
        outcome = await execute(
            Command(type=type, payload=step_payload, actor_id=actor_id, channel="web", id=_id(type, key))
        )
        if not outcome.applied and outcome.errors.get("_") != "registered":
            raise RuntimeError(f"demo: {type} was refused: {outcome.errors}")
