"""The meeting of a table: date and place (changeable, never in the past),
roles, the auto-moderator, start with the minimum chairs, guests, closing
(coins back once, minutes published), visibility and outcome; the .ics
invitations (same UID, rising SEQUENCE) and the calendar feed's token."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from piccolo.query.methods.select import Sum

from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.domain.participation import calendar
from app.domain.participation.meetings import assign_due_moderators
from app.storage.participation import (
    AmbassadorPost,
    CoinEntry,
    ConsultationMoment,
    MailSetting,
    Minutes,
    ParticipationTable,
    Seat,
)
from tests.support.participation import do, open_table, person, world


def iso(moment: datetime) -> str:
    return moment.isoformat()


def soon(days: int = 10, hour: int = 14) -> datetime:
    day = datetime.now(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


async def _sum(org: int, user: int | None = None, reason: str | None = None) -> int:
    query = CoinEntry.select(Sum(CoinEntry.amount).as_alias("total")).where(CoinEntry.wallet.organisation == org)
    if user is not None:
        query = query.where(CoinEntry.wallet.user == user)
    if reason is not None:
        query = query.where(CoinEntry.reason == reason)
    row = await query.first()
    return int(row["total"] or 0)


async def table_with_chairs(chairs: int = 2, **extra):
    """A world, an opener (Ann) with a table and `chairs` chair holders."""
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    table = (await open_table(ann, w.room, **extra)).ids["table_id"]
    holders = []
    for n in range(chairs):
        user = await person(f"chair{n}@example.be", w.org, w.early)
        outcome = await do("participation.buy_chair", {"table_id": table}, user)
        assert outcome.applied, outcome.errors
        holders.append(user)
    return w, ann, table, holders


async def _table(table_id: int) -> dict:
    return await ParticipationTable.select().where(ParticipationTable.id == table_id).first()


async def _invitations() -> list[tuple[str, Calendar]]:
    await run_due_jobs()
    found = []
    for message in outbox():
        for part in message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                found.append((message["To"], Calendar.from_ical(part.get_content())))
    return found


async def test_schedule_sets_the_date_mails_an_ics_and_a_change_keeps_seats_and_coins():
    w, ann, table, _holders = await table_with_chairs(2)
    seats_before = await Seat.count().where(Seat.table == table)
    coins_before = await _sum(w.org)
    first = soon(10)
    outcome = await do(
        "participation.schedule_meeting", {"table_id": table, "starts_at": iso(first), "place": "Kantine"}, ann
    )
    assert outcome.applied, outcome.errors
    row = await _table(table)
    assert row["phase"] == "planned" and row["starts_at"] == first and row["place"] == "Kantine"
    assert row["sequence"] == 0
    mails = await _invitations()
    assert sorted(to for to, _ in mails) == ["ann@example.be", "chair0@example.be", "chair1@example.be"]
    [event] = mails[0][1].walk("VEVENT")
    assert mails[0][1]["METHOD"] == "REQUEST"
    uid = str(event["UID"])
    assert uid == calendar.uid_of(table) and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == first and str(event["LOCATION"]) == "Kantine"
    assert str(event["ORGANIZER"]) == "mailto:no-reply@werkpas.local"  # the address of MAIL_FROM, not its name

    # Change date and place twice: same table, same seats, same coins, phase planned.
    for n, (moment, place) in enumerate([(soon(12), "Kantine"), (soon(12), "Zaal 2")], start=1):
        outcome = await do(
            "participation.schedule_meeting", {"table_id": table, "starts_at": iso(moment), "place": place}, ann
        )
        assert outcome.applied, outcome.errors
        assert (await _table(table))["sequence"] == n
    row = await _table(table)
    assert row["phase"] == "planned" and row["cancelled_at"] is None and row["place"] == "Zaal 2"
    assert await Seat.count().where(Seat.table == table) == seats_before
    assert await Seat.count().where((Seat.table == table) & Seat.refunded_at.is_not_null()) == 0
    assert await _sum(w.org) == coins_before
    assert await CoinEntry.count().where(CoinEntry.reason == "refund") == 0
    # Nothing changed: no mail, no higher sequence.
    same = await do(
        "participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon(12)), "place": "Zaal 2"}, ann
    )
    assert same.applied and same.ids["sequence"] == 2 and same.ids["invitations"] == 0

    mails = await _invitations()
    to_ann = [cal for to, cal in mails if to == "ann@example.be"]
    sequences = [int(next(iter(cal.walk("VEVENT")))["SEQUENCE"]) for cal in to_ann]
    uids = {str(next(iter(cal.walk("VEVENT")))["UID"]) for cal in to_ann}
    assert sequences == [0, 1, 2] and uids == {uid}


async def test_a_date_in_the_past_or_without_offset_is_refused_and_changes_nothing():
    _w, ann, table, _ = await table_with_chairs(0)
    past = datetime.now(UTC) - timedelta(hours=1)
    outcome = await do(
        "participation.schedule_meeting", {"table_id": table, "starts_at": iso(past), "place": "Kantine"}, ann
    )
    assert outcome.errors == {"starts_at": "starts_in_past"}
    naive = await do(
        "participation.schedule_meeting", {"table_id": table, "starts_at": "2030-01-01T14:00:00", "place": "K"}, ann
    )
    assert naive.errors == {"starts_at": "starts_at_invalid"}
    junk = await do("participation.schedule_meeting", {"table_id": table, "starts_at": "morgen", "place": "K"}, ann)
    assert junk.errors == {"starts_at": "starts_at_invalid"}
    empty = await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": " "}, ann)
    assert empty.errors == {"place": "place_missing"}
    row = await _table(table)
    assert row["phase"] == "proposed" and row["starts_at"] is None
    await run_due_jobs()
    assert outbox() == []


async def test_only_the_moderator_schedules_once_there_is_one():
    _w, ann, table, (bert, carl) = await table_with_chairs(2)
    # A chair holder may not set the date while there is no moderator.
    refused = await do(
        "participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}, bert
    )
    assert refused.code() == "not_scheduler"
    roles = await do(
        "participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": carl}, ann
    )
    assert roles.applied, roles.errors
    assert (
        await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}, ann)
    ).code() == "not_scheduler"
    assert (
        await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}, bert)
    ).applied


async def test_roles_come_from_the_participants():
    w, ann, table, (bert, carl) = await table_with_chairs(2)
    stranger = await person("dirk@example.be", w.org, w.early)
    outcome = await do("participation.choose_roles", {"table_id": table, "moderator_id": stranger}, ann)
    assert outcome.errors == {"moderator_id": "role_not_participant"}
    both = await do("participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": bert}, ann)
    assert both.errors == {"note_taker_id": "same_person_both_roles"}
    not_chooser = await do("participation.choose_roles", {"table_id": table, "moderator_id": bert}, carl)
    assert not_chooser.code() == "not_role_chooser"
    assert (await _table(table))["moderator"] is None


async def test_a_consultation_moment_fills_date_and_place():
    w, ann, table, _ = await table_with_chairs(0)
    moment_id = (
        await ConsultationMoment.insert(
            ConsultationMoment(
                organisation=w.org,
                weekday=1,
                nth=1,
                time="14:00",
                duration_minutes=90,
                place="Refter",
                created_at=datetime.now(UTC),
            )
        )
    )[0]["id"]
    moment = await ConsultationMoment.select().where(ConsultationMoment.id == moment_id).first()
    dates = calendar.occurrences(moment, datetime.now(UTC), 3)
    assert len(dates) == 3 and all(d.weekday() == 1 and d.day <= 7 and d.hour == 14 for d in dates)
    outcome = await do(
        "participation.schedule_meeting",
        {"table_id": table, "starts_at": iso(dates[0]), "place": "", "moment_id": moment_id},
        ann,
    )
    assert outcome.applied, outcome.errors
    row = await _table(table)
    assert row["place"] == "Refter" and row["duration_minutes"] == 90 and row["moment"] == moment_id
    wrong = await do(
        "participation.schedule_meeting",
        {"table_id": table, "starts_at": iso(dates[0] + timedelta(days=1)), "place": "", "moment_id": moment_id},
        ann,
    )
    assert wrong.errors == {"starts_at": "not_a_moment_date"}


def test_moment_rules_every_week_and_last_of_month():
    after = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday
    weekly = calendar.occurrences({"weekday": 3, "nth": 0, "time": "09:30"}, after, 3)
    assert [d.date().isoformat() for d in weekly] == ["2026-12-03", "2026-12-10", "2026-12-17"]
    assert weekly[0].utcoffset() == timedelta(hours=1) and weekly[0].hour == 9
    last = calendar.occurrences({"weekday": 4, "nth": 5, "time": "14:00"}, after, 2)
    assert [d.date().isoformat() for d in last] == ["2026-12-25", "2027-01-29"]
    assert calendar.is_occurrence({"weekday": 4, "nth": 5, "time": "14:00"}, last[1])
    # Summer time: 14:00 Brussels is 12:00 UTC.
    june = calendar.occurrences({"weekday": 0, "nth": 1, "time": "14:00"}, datetime(2027, 5, 20, tzinfo=UTC), 1)
    assert june[0].astimezone(UTC).hour == 12 and june[0].date().isoformat() == "2027-06-07"


async def test_start_needs_the_minimum_chairs():
    w, ann, table, (bert,) = await table_with_chairs(1)
    outcome = await do("participation.start_meeting", {"table_id": table}, ann)
    assert outcome.code() == "not_enough_chairs" and outcome.reasons[0].params == {"need": 2, "have": 1}
    carl = await person("carl@example.be", w.org, w.early)
    await do("participation.buy_chair", {"table_id": table}, carl)
    assert (await do("participation.start_meeting", {"table_id": table}, bert)).code() == "not_starter"
    # Early: no date was ever set, and it starts all the same.
    assert (await do("participation.start_meeting", {"table_id": table}, ann)).applied
    assert (await _table(table))["phase"] == "running"
    # No chairs once it runs.
    dirk = await person("dirk@example.be", w.org, w.early)
    assert (await do("participation.buy_chair", {"table_id": table}, dirk)).code() == "table_closed"


async def test_close_returns_the_coins_once_and_publishes_the_minutes():
    w, ann, table, (bert, carl) = await table_with_chairs(2)
    await do("participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": carl}, ann)
    await do("participation.start_meeting", {"table_id": table}, bert)
    assert (await do("participation.close_meeting", {"table_id": table}, ann)).code() == "not_closer"
    before = {user: await _sum(w.org, user) for user in (ann, bert, carl)}
    outcomes = await asyncio.gather(*(do("participation.close_meeting", {"table_id": table}, carl) for _ in range(30)))
    assert sum(o.applied for o in outcomes) == 1
    assert {o.code() for o in outcomes if not o.applied} == {"table_closed"}
    after = {user: await _sum(w.org, user) for user in (ann, bert, carl)}
    assert after == {ann: before[ann] + 3, bert: before[bert] + 1, carl: before[carl] + 1}
    assert await _sum(w.org, reason="returned") == 5
    assert await CoinEntry.count().where(CoinEntry.reason == "returned") == 3
    row = await _table(table)
    assert row["phase"] == "held" and row["closed_at"] is not None
    minutes = await Minutes.select().where(Minutes.table == table).first()
    assert minutes["published_at"] is not None
    assert await Seat.count().where((Seat.table == table) & Seat.returned_at.is_null() & (Seat.role != "guest")) == 0


async def test_a_practice_table_returns_play_coins():
    _w, ann, table, (bert, _carl) = await table_with_chairs(2, practice=True)
    await do("participation.choose_roles", {"table_id": table, "moderator_id": bert}, ann)
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}, bert)
    # Forgot to start it: closing a planned meeting holds it too.
    assert (await do("participation.close_meeting", {"table_id": table}, bert)).applied
    kinds = {
        row["wallet.kind"]
        for row in await CoinEntry.select(CoinEntry.wallet.kind).where(CoinEntry.reason == "returned")
    }
    assert kinds == {"play"}


async def test_guest_facilitator_has_no_coins_and_no_chair():
    w, ann, table, (bert, _carl) = await table_with_chairs(2)
    facilitator = await person("coach@elders.be", w.org, None)
    assert (
        await do("participation.add_guest", {"table_id": table, "email": "coach@elders.be"}, ann)
    ).code() == "not_guest_host"
    await do("participation.choose_roles", {"table_id": table, "moderator_id": bert}, ann)
    unknown = await do("participation.add_guest", {"table_id": table, "email": "nobody@elders.be"}, bert)
    assert unknown.errors == {"email": "guest_unknown"}
    outcome = await do("participation.add_guest", {"table_id": table, "email": "COACH@elders.be"}, bert)
    assert outcome.applied, outcome.errors
    seat = await Seat.select().where((Seat.table == table) & (Seat.user == facilitator)).first()
    assert seat["role"] == "guest" and seat["coins"] == 0
    assert await CoinEntry.count().where(CoinEntry.wallet.user == facilitator) == 0
    again = await do("participation.add_guest", {"table_id": table, "email": "coach@elders.be"}, bert)
    assert again.errors == {"email": "already_seated"}
    # A guest is no participant: not a role, and no chair counted.
    roles = await do(
        "participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": facilitator}, bert
    )
    assert roles.errors == {"note_taker_id": "role_not_participant"}
    # The guest is invited too once there is a date.
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}, bert)
    assert "coach@elders.be" in {to for to, _ in await _invitations()}


async def test_invitation_mail_off_sends_nothing_and_a_late_chair_gets_the_current_invitation():
    w, ann, table, (_bert, carl) = await table_with_chairs(2)
    await MailSetting.insert(MailSetting(user=carl, kind="invitation", frequency="off", updated_at=datetime.now(UTC)))
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}, ann)
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon(11)), "place": "K"}, ann)
    late = await person("late@example.be", w.org, w.early)
    assert (await do("participation.buy_chair", {"table_id": table}, late)).applied
    sent = await _invitations()
    assert "chair1@example.be" not in {to for to, _ in sent}
    [(_to, cal)] = [(to, cal) for to, cal in sent if to == "late@example.be"]
    event = next(iter(cal.walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == calendar.uid_of(table)


async def test_visibility_and_outcome():
    _w, ann, table, (bert, carl) = await table_with_chairs(2)
    await do("participation.choose_roles", {"table_id": table, "moderator_id": bert}, ann)
    assert (
        await do("participation.set_minutes_visibility", {"table_id": table, "visibility": "participants"}, ann)
    ).code() == "not_visibility_setter"
    assert (
        await do("participation.set_minutes_visibility", {"table_id": table, "visibility": "participants"}, bert)
    ).applied
    bad = await do("participation.set_minutes_visibility", {"table_id": table, "visibility": "world"}, bert)
    assert bad.code("visibility") == "invalid_value"
    assert (await _table(table))["visibility"] == "participants"
    early = await do("participation.record_outcome", {"table_id": table, "outcome": "Nieuwe stoelen"}, ann)
    assert early.code() == "outcome_before_meeting"
    await do("participation.start_meeting", {"table_id": table}, bert)
    await do("participation.close_meeting", {"table_id": table}, bert)
    assert (await do("participation.record_outcome", {"table_id": table, "outcome": " "}, ann)).errors == {
        "outcome": "outcome_missing"
    }
    nul = await do("participation.record_outcome", {"table_id": table, "outcome": "a\x00b"}, ann)
    assert nul.code("outcome") == "invalid_value"
    assert (await do("participation.record_outcome", {"table_id": table, "outcome": "Nieuwe stoelen 🪑"}, carl)).applied
    row = await _table(table)
    assert row["outcome"] == "Nieuwe stoelen 🪑" and row["outcome_at"] is not None


async def test_another_organisation_cannot_touch_the_meeting():
    w, _ann, table, _ = await table_with_chairs(0)
    other = await world(slug="andere")
    eve = await person("eve@andere.be", other.org, other.early, role="ambassador")
    for kind, payload in [
        ("participation.schedule_meeting", {"table_id": table, "starts_at": iso(soon()), "place": "K"}),
        ("participation.close_meeting", {"table_id": table}),
        ("participation.save_minutes", {"table_id": table, "body": "x", "version": 0}),
    ]:
        assert (await do(kind, payload, eve)).code() == "not_found"
    # Another subgroup of the same organisation: not visible.
    late = await person("laat@example.be", w.org, w.late)
    assert (await do("participation.close_meeting", {"table_id": table}, late)).code() == "not_visible"


async def test_auto_moderator_takes_the_subgroup_ambassador_within_48_hours():
    w, ann, table, (_bert, _carl) = await table_with_chairs(2)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador", display_name="Amber")
    deputy = await person("deputy@example.be", w.org, w.early, role="ambassador")
    await AmbassadorPost.insert(
        AmbassadorPost(organisation=w.org, unit=w.early, ambassador=amb, deputy=deputy, updated_at=datetime.now(UTC))
    )
    starts = soon(5)
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(starts), "place": "K"}, ann)
    # 3 days before: not yet.
    assert await assign_due_moderators(now=starts - timedelta(hours=72)) == []
    assert (await _table(table))["moderator"] is None
    # 47 hours before: the ambassador becomes moderator, once.
    clock = starts - timedelta(hours=47)
    assert await assign_due_moderators(now=clock) == [table]
    assert await assign_due_moderators(now=clock) == []
    assert await assign_due_moderators(now=clock + timedelta(hours=1)) == []
    assert (await _table(table))["moderator"] == amb
    await run_due_jobs()
    mails = [m for m in outbox() if m["To"] == "amb@example.be"]
    assert len(mails) == 1


async def test_auto_moderator_falls_back_to_the_deputy_then_any_ambassador():
    w, ann, table, _ = await table_with_chairs(2)
    anyone = await person("any@example.be", w.org, w.late, role="ambassador")
    deputy = await person("deputy@example.be", w.org, w.early, role="ambassador")
    gone = await person("gone@example.be", w.org, w.early, role="ambassador", is_active=False)
    post = await AmbassadorPost.insert(
        AmbassadorPost(organisation=w.org, unit=w.early, ambassador=gone, deputy=deputy, updated_at=datetime.now(UTC))
    )
    starts = soon(1)
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": iso(starts), "place": "K"}, ann)
    row = await _table(table)
    from app.domain.participation.meetings import ambassador_for

    assert await ambassador_for(row) == deputy
    await AmbassadorPost.update({AmbassadorPost.deputy: None}).where(AmbassadorPost.id == post[0]["id"])
    assert await ambassador_for(row) == anyone


async def test_calendar_feed_token_opens_only_the_current_address():
    _w, ann, _table_id, _ = await table_with_chairs(0)
    assert await calendar.feed_token(ann) is None
    assert (await do("participation.reset_calendar_feed", {}, ann)).applied
    token = await calendar.feed_token(ann)
    assert await calendar.user_of_token(token) == ann
    user_part, mac = token.split("-", 1)
    assert await calendar.user_of_token(f"{int(user_part) + 1}-{mac}") is None
    assert await calendar.user_of_token(token[:-2] + "xx") is None
    assert await calendar.user_of_token("") is None and await calendar.user_of_token("9" * 70) is None
    await do("participation.reset_calendar_feed", {}, ann)
    assert await calendar.user_of_token(token) is None
    assert await calendar.user_of_token(await calendar.feed_token(ann)) == ann
