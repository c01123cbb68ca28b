"""The demo invitations: one per state for brouwerij-de-klok, issued by
hr@deklok.example, and running the demo twice adds nothing."""

from app import demo as foundation
from app.domain.commands import utcnow
from app.domain.invitations.demo import demo
from app.domain.invitations.queries import effective_status
from app.storage.people import Invitation, Person
from app.storage.tables import Organisation, User


async def test_demo_is_idempotent_and_covers_the_states(settings):
    await foundation.load(settings)
    await demo(settings)
    await demo(settings)
    rows = await Invitation.select()
    assert len(rows) == 5 and await Person.count() == 5
    hr = await User.select(User.id).where(User.email == "hr@deklok.example").first()
    org = await Organisation.select(Organisation.id).where(Organisation.slug == "brouwerij-de-klok").first()
    assert {row["issued_by"] for row in rows} == {hr["id"]} and {row["organisation"] for row in rows} == {org["id"]}
    assert sorted(effective_status(row, utcnow()) for row in rows) == ["created", "expired", "opened", "revoked", "sent"]
