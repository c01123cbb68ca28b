"""The demo invitations: one per state for brouwerij-de-klok, issued by
hr@deklok.example, the registered demo worker, and running the demo twice
adds nothing."""

from datetime import date

from app import demo as foundation
from app.domain.core.commands import utcnow
from app.domain.invitations import status_of
from app.domain.invitations.demo import demo
from app.storage.people import Invitation, Membership, Person
from app.storage.tables import Organisation, RoleGrant, User


async def test_demo_is_idempotent_and_covers_the_states(settings):
    await foundation.load(settings)
    await demo(settings)
    await demo(settings)
    org = await Organisation.select(Organisation.id).where(Organisation.slug == "brouwerij-de-klok").first()
    # De Klok's invitations (the passport demo adds Flexa Interim's own; the
    # twelve colleagues of Ploeg Vroeg, registered through theirs, come on top).
    everyone = await Invitation.select().where(Invitation.organisation == org["id"])
    colleagues = [row for row in everyone if row["unit"] is not None]
    assert len(colleagues) == 12 and {status_of(row, utcnow()) for row in colleagues} == {"registered"}
    rows = [row for row in everyone if row["unit"] is None]
    assert len(rows) == 6 and await Person.count().where(Person.organisation == org["id"]) == 18
    hr = await User.select(User.id).where(User.email == "hr@deklok.example").first()
    assert {row["issued_by"] for row in rows} == {hr["id"]} and {row["organisation"] for row in rows} == {org["id"]}
    assert sorted(status_of(row, utcnow()) for row in rows) == [
        "created",
        "expired",
        "opened",
        "registered",
        "revoked",
        "sent",
    ]


async def test_demo_worker_is_a_registered_person_of_de_klok_who_joined_flexa(settings):
    """The contract the checks use: worker@deklok.example is Wout De Smet,
    born 14/02/1990, postcode 9000, registered with Brouwerij De Klok; in the
    passport demo (issue 10) he joined Flexa Interim by accepting its
    invitation, as a record of Flexa's own."""
    await foundation.load(settings)
    user = await User.select().where(User.email == "worker@deklok.example").first()
    org = await Organisation.select(Organisation.id).where(Organisation.slug == "brouwerij-de-klok").first()
    flexa = await Organisation.select(Organisation.id).where(Organisation.slug == "flexa").first()
    records = await Person.select().where(Person.user == user["id"])
    assert {row["organisation"] for row in records} == {org["id"], flexa["id"]}
    [person] = [row for row in records if row["organisation"] == org["id"]]
    assert (
        person["first_name"],
        person["last_name"],
        person["birth_date"],
        person["postcode"],
        person["organisation"],
    ) == ("Wout", "De Smet", date(1990, 2, 14), "9000", org["id"])
    assert {row["organisation"] for row in await Membership.select().where(Membership.person == person["id"])} == {
        org["id"]
    }
    assert {
        (row["role"], row["organisation"]) for row in await RoleGrant.select().where(RoleGrant.user == user["id"])
    } == {("worker", org["id"]), ("worker", flexa["id"])}
    assert user["display_name"] == "Wout De Smet" and user["password_hash"]
