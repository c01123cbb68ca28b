"""Helpers of the rights tests: a worker with a full passport, another
worker, reads by an agency, and signing in."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.passport import Viewer, read_shared
from app.storage.passport import AccessLogEntry, Document, PassportItem
from app.storage.people import Badge, Person
from tests.support.factories import login
from tests.support.passport import IDENTITY, agency, consent_to, do, worker

IBAN = "BE71 0961 2345 6769"
EN = {"accept-language": "en"}


def now() -> datetime:
    return datetime.now(UTC)


async def full_worker(email: str = "wout@example.be", org: int | None = None, name: str = "Wout De Smet") -> int:
    """A worker who joined `org` (a new agency when None) with identity,
    contact, address, bank, an item and a document, and a roster record."""
    org = org or await agency()
    user_id = await worker(email, org=org, display_name=name)
    assert (await do("passport.save_identity", IDENTITY, user_id)).applied
    assert (await do("passport.save_contact", {"email": email, "mobile": "0470 12 34 56"}, user_id)).applied
    address = {"street": "Veldstraat", "house_number": "12", "postcode": "9000", "town": "Gent"}
    assert (await do("passport.save_address", address, user_id)).applied
    assert (await do("passport.save_bank", {"iban": IBAN}, user_id)).applied
    stamp = now()
    await PassportItem.insert(
        PassportItem(
            user=user_id, category="certificates", kind="vca", name="VCA basis", created_at=stamp, updated_at=stamp
        )
    )
    await Document.insert(
        Document(
            user=user_id, digest="a" * 64, media_type="application/pdf", size=2048, name="vca.pdf", created_at=stamp
        )
    )
    person = await Person.insert(
        Person(
            organisation=org,
            user=user_id,
            last_name="De Smet",
            first_name="Wout",
            birth_date=datetime(1990, 2, 14).date(),
            postcode="9000",
            email=email,
            match_key=f"de smet|wout|{user_id}",
            created_at=stamp,
        )
    )
    await Badge.insert(Badge(person=person[0]["id"], salt="s" * 32, code_lookup=f"lookup-{user_id}", issued_at=stamp))
    return user_id


async def agency_reads(org: int, user_id: int, viewer: str = "Lotte Consultant", **extra) -> None:
    shared = await read_shared(
        Viewer(organisation_id=org, organisation_name=extra.pop("org_name", "Flexa Interim"), name=viewer, **extra),
        [user_id],
        "staffing",
    )
    assert user_id in shared


async def log_entry(user_id: int, at: datetime, **values) -> None:
    row = {
        "at": at,
        "subject_id": user_id,
        "organisation_id": 1,
        "organisation_name": "Flexa Interim",
        "viewer_name": "Lotte",
        "categories": "identity",
        "purpose": "staffing",
        "legal_basis": "consent",
        "channel": "web",
        **values,
    }
    await AccessLogEntry.insert(AccessLogEntry(**row))


async def sign_in(client, email: str = "wout@example.be") -> None:
    client.headers.update(EN)
    client.cookies.set("werkpas_lang", "en")
    response = await login(client, email)
    assert response.status_code == 303, response.text


__all__ = ["IDENTITY", "agency", "consent_to", "do", "worker"]
