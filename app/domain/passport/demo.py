"""The passport's demo data (issue 10, "Demo"):

- worker@deklok.example (Wout De Smet, 14/02/1990, postcode 9000) keeps a
  full passport, joins Flexa Interim by accepting its invitation (he was a
  member of Brouwerij De Klok only) and consents to Flexa for identity,
  contact, certificates and skills, not for address or bank account;
- consultant@flexa.example sees him in the consultant view;
- a second worker, Nadia Benali (nadia.benali@example.be), registered with
  Flexa, consented and has withdrawn her consent since.

Runs after the registration demo (area order). Idempotent: every command has
an id derived from its purpose, so a second run replays instead of adding.
"""

from __future__ import annotations

import uuid
from datetime import date

from app.config import Settings
from app.domain.accounts import hash_secret
from app.domain.core.commands import Command, Outcome, execute, utcnow
from app.domain.registration.rules import PRIVACY_VERSION, birth_date_proof
from app.domain.registry import load_handlers
from app.storage.passport import ConsentRecord
from app.storage.people import Invitation
from app.storage.tables import Organisation, User

AGENCY = "flexa"
CONSULTANT = "consultant@flexa.example"
PASSWORD = "Werkpas-demo-2026"
_NAMESPACE = uuid.UUID("8a3e51c2-94f0-4d7b-b1a6-5c2e9d0f7b48")


def _id(*key: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "|".join(str(part) for part in key))


async def _run(type: str, payload: dict, actor_id: int | None, *key: object, channel: str = "web") -> Outcome:
    outcome = await execute(Command(type=type, payload=payload, actor_id=actor_id, channel=channel, id=_id(type, *key)))
    if not outcome.applied:
        raise RuntimeError(f"demo: {type} was refused: {outcome.errors}")
    return outcome


WOUT: dict = {
    "email": "worker@deklok.example",
    "identity": {
        "first_name": "Wout",
        "last_name": "De Smet",
        "birth_date": "14/02/1990",
        "national_number": "90.02.14-003.26",
    },
    "contact": {"email": "worker@deklok.example", "mobile": "0470 12 34 56"},
    "address": {"street": "Sint-Pietersnieuwstraat", "house_number": "41", "postcode": "9000", "town": "Gent"},
    "bank": {"iban": "BE71 0961 2345 6769"},
    "preferences": {
        "jobs": "Heftruckchauffeur, orderpicker",
        "sectors": ["logistics", "port"],
        "regimes": ["full_time", "shifts"],
        "max_distance_km": "40",
    },
    "mobility": {
        "own_car": False,
        "driving_licence": True,
        "bicycle": True,
        "public_transport": True,
        "sector_bus": True,
    },
    "availability": {"days": ["mon", "tue", "wed", "thu", "fri"], "from_date": "", "note": "Liefst vroege ploeg"},
    "items": [
        ("education", {"kind": "secondary", "name": "TSO Elektromechanica"}),
        ("training", {"kind": "", "name": "Veilig werken met de heftruck", "issued_on": "12/03/2024"}),
        ("certificates", {"kind": "vca_basic", "issued_on": "05/09/2023", "expires_on": "05/09/2033"}),
        ("certificates", {"kind": "forklift", "issued_on": "12/03/2024", "expires_on": "12/03/2029"}),
        ("certificates", {"kind": "driving_b", "issued_on": "20/06/2008"}),
        ("skills", {"kind": "", "name": "Orderpicking", "level": "expert"}),
        ("skills", {"kind": "", "name": "Heftruck rijden", "level": "experienced"}),
        ("languages", {"kind": "nl", "level": "native"}),
        ("languages", {"kind": "fr", "level": "B1"}),
        ("languages", {"kind": "en", "level": "B2"}),
    ],
    "consent": ["identity", "contact", "certificates", "skills"],
}
NADIA: dict = {
    "email": "nadia.benali@example.be",
    "person": ("Benali", "Nadia", date(1993, 6, 8), "2060"),
    "identity": {"first_name": "Nadia", "last_name": "Benali", "birth_date": "08/06/1993", "national_number": ""},
    "contact": {"email": "nadia.benali@example.be", "mobile": "0485 98 76 54"},
    "consent": ["identity", "contact"],
}


async def demo(settings: Settings) -> None:
    load_handlers()
    agency = await Organisation.select(Organisation.id).where(Organisation.slug == AGENCY).first()
    consultant = await User.select(User.id).where(User.email == CONSULTANT).first()
    wout = await User.select(User.id).where(User.email == WOUT["email"]).first()
    if agency is None or consultant is None or wout is None:
        return  # the foundation's and the registration's demo data come first
    await _join(agency["id"], consultant["id"], ("De Smet", "Wout", date(1990, 2, 14), "9000"), WOUT["email"])
    await _passport(wout["id"], WOUT)
    # He has used Werkpas for a while: past the introduction, on his passport.
    await _run("accounts.finish_introduction", {"user_id": wout["id"]}, wout["id"], "wout")
    await _run(
        "passport.set_consent",
        {"organisation_id": agency["id"], "categories": WOUT["consent"], "purpose": "staffing"},
        wout["id"],
        "wout",
    )
    nadia_id = await _join(agency["id"], consultant["id"], NADIA["person"], NADIA["email"])
    if nadia_id is None:
        return
    await _passport(nadia_id, NADIA)
    if await ConsentRecord.exists().where(ConsentRecord.subject_id == nadia_id):
        return  # she consented and withdrew in an earlier run
    await _run(
        "passport.set_consent",
        {"organisation_id": agency["id"], "categories": NADIA["consent"], "purpose": "staffing"},
        nadia_id,
        "nadia",
    )
    await _run("passport.withdraw_consent", {"organisation_id": agency["id"]}, nadia_id, "nadia")


async def _passport(user_id: int, data: dict) -> None:
    for category in ("identity", "contact", "address", "bank", "preferences", "mobility", "availability"):
        if category in data:
            await _run(f"passport.save_{category}", data[category], user_id, data["email"])
    for number, (category, item) in enumerate(data.get("items", ())):
        await _run("passport.add_item", {"category": category, **item}, user_id, data["email"], number)


async def _join(agency_id: int, consultant_id: int, person: tuple, email: str) -> int | None:
    """The consultant invites the person; they register (a new account) or,
    already having an account, accept the invitation while logged in.
    Returns the account id."""
    last, first, birth, postcode = person
    key = f"join|{email}"
    payload = {
        "organisation_id": str(agency_id),
        "unit_id": None,
        "last_name": last,
        "first_name": first,
        "birth_date": birth.strftime("%d/%m/%Y"),
        "postcode": postcode,
        "email": email,
        "phone": "",
        "language": "nl",
        "delivery": "paper",
    }
    outcome = await _run("invitations.create", payload, consultant_id, key)
    invitation_id = outcome.ids.get("invitation_id")
    invitation = (
        await Invitation.select(Invitation.status).where(Invitation.id == invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is not None and invitation_id is not None and invitation["status"] != "registered":
        existing = await User.select(User.id).where(User.email == email).first()
        proof = birth_date_proof(invitation_id, birth)
        steps = [
            ("registration.open", {"invitation_id": invitation_id}, None),
            ("registration.verify_identity", {"invitation_id": invitation_id, "proof": proof}, None),
            (
                "registration.complete",
                {
                    "invitation_id": invitation_id,
                    "proof": proof,
                    "language": "nl",
                    "privacy_version": PRIVACY_VERSION,
                    "accepted_at": utcnow().isoformat(),
                    "password_hash": None if existing else hash_secret(PASSWORD),
                    "pin_hash": None,
                },
                existing["id"] if existing else None,
            ),
        ]
        for type, step_payload, actor_id in steps:
            done = await execute(
                Command(type=type, payload=step_payload, actor_id=actor_id, channel="web", id=_id(type, key))
            )
            if not done.applied and done.errors.get("_") != "registered":
                raise RuntimeError(f"demo: {type} was refused: {done.errors}")
    account = await User.select(User.id).where(User.email == email).first()
    return account["id"] if account else None
