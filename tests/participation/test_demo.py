"""The participation demo (issue 11, point 13): De Klok's defaults, tables in
every phase, the thirteen workers of Ploeg Vroeg with coins for at least
three chairs, one held meeting with 2 evaluations (not enough answers for a
score) and one with 5 (a score). Running it twice adds nothing."""

from __future__ import annotations

from app import demo
from app.domain.participation.barometer import meeting_score
from app.domain.participation.people import member
from app.domain.participation.setup import settings_of
from app.domain.participation.wallet import balance_now
from app.storage.participation import (
    AmbassadorPost,
    CoinEntry,
    Evaluation,
    Goal,
    Minutes,
    ParticipationTable,
    Room,
    Seat,
)
from app.storage.tables import Organisation, Unit, User


async def test_the_participation_demo(settings):
    await demo.load(settings)
    counts = [await ParticipationTable.count(), await Seat.count(), await CoinEntry.count(), await Evaluation.count()]
    await demo.load(settings)
    assert [
        await ParticipationTable.count(),
        await Seat.count(),
        await CoinEntry.count(),
        await Evaluation.count(),
    ] == (counts)

    org = (await Organisation.select(Organisation.id).where(Organisation.slug == "brouwerij-de-klok").first())["id"]
    assert await Room.count().where(Room.organisation == org) >= 5
    assert await AmbassadorPost.count().where(AmbassadorPost.organisation == org) == 1
    assert await Goal.count().where(Goal.organisation == org) == 1
    phases = {row["phase"] for row in await ParticipationTable.select().where(ParticipationTable.organisation == org)}
    assert {"proposed", "planned", "running", "held"} <= phases

    early = (await Unit.select(Unit.id).where((Unit.organisation == org) & (Unit.name == "Ploeg Vroeg")).first())["id"]
    chair_price = (await settings_of(org)).chair_price
    emails = ["worker@deklok.example"] + [f"worker{n:02d}@deklok.example" for n in range(1, 13)]
    for email in emails:
        user = (await User.select(User.id).where(User.email == email).first())["id"]
        place = await member(user, org)
        assert place is not None and place.unit_id == early, email
        assert (await balance_now(org, user)).coins >= 3 * chair_price, email

    held = await ParticipationTable.select().where(
        (ParticipationTable.organisation == org) & (ParticipationTable.phase == "held")
    )
    by_answers = {await Evaluation.count().where(Evaluation.table == table["id"]): table for table in held}
    assert set(by_answers) == {2, 5}
    few = await meeting_score(by_answers[2]["id"])
    assert not few.enough and few.total is None
    many = await meeting_score(by_answers[5]["id"])
    assert many.enough and many.total is not None and many.answers == 5
    for table in held:
        minutes = await Minutes.select().where(Minutes.table == table["id"]).first()
        assert minutes["published_at"] is not None and minutes["body"]
    assert by_answers[5]["outcome"]
    # One table opened on behalf of a colleague, on paper; one practice table.
    paper = await ParticipationTable.select().where(ParticipationTable.channel == "paper").first()
    assert paper["opener"] != paper["opened_by"]
    assert await ParticipationTable.count().where(ParticipationTable.practice == True) == 1  # noqa: E712
