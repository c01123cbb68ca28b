"""An outside review's attacks on the participation area: the same command
30 times at once (no coin lost or made, unique rows stay unique), ids of
another organisation or subgroup, who may change whom, and hostile text."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from piccolo.query.methods.select import Sum

from app.domain.participation import wallet
from app.storage.participation import (
    CoinEntry,
    Evaluation,
    Minutes,
    Nudge,
    ParticipationSettings,
    ParticipationTable,
    Seat,
    TableInvite,
    TableMessage,
    Wallet,
)
from tests.support.evaluations import GOOD, held_table
from tests.support.participation import do, open_table, person, world

N = 30


async def _coins(org: int, user: int | None = None, kind: str = "real") -> int:
    query = CoinEntry.select(Sum(CoinEntry.amount).as_alias("total")).where(
        (CoinEntry.wallet.organisation == org) & (CoinEntry.wallet.kind == kind)
    )
    if user is not None:
        query = query.where(CoinEntry.wallet.user == user)
    row = await query.first()
    return int(row["total"] or 0)


async def _refills(org: int) -> int:
    rows = await CoinEntry.select(CoinEntry.amount).where(
        (CoinEntry.wallet.organisation == org) & (CoinEntry.reason == "refill")
    )
    return sum(row["amount"] for row in rows)


async def _held_coins(org: int) -> int:
    """Coins held in seats (paid, not refunded or returned)."""
    rows = await Seat.select(Seat.coins).where(
        (Seat.table.organisation == org)
        & Seat.refunded_at.is_null()
        & Seat.returned_at.is_null()
        & (Seat.table.practice == False)  # noqa: E712
    )
    return sum(row["coins"] for row in rows)


async def _conserved(org: int) -> None:
    """No coin lost or made: the ledger is the refills minus the seats held,
    and no wallet is below zero."""
    assert await _coins(org) == await _refills(org) - await _held_coins(org)
    for row in await Wallet.select(Wallet.id, Wallet.user, Wallet.kind).where(Wallet.organisation == org):
        total = await CoinEntry.select(Sum(CoinEntry.amount).as_alias("t")).where(CoinEntry.wallet == row["id"]).first()
        assert int(total["t"] or 0) >= 0
    # One wallet per person and kind.
    pairs = [(row["user"], row["kind"]) for row in await Wallet.select().where(Wallet.organisation == org)]
    assert len(pairs) == len(set(pairs))


def _code(outcome) -> str | None:
    return outcome.reasons[0].code if outcome.reasons else None


async def _many(type: str, payload: dict, actor: int, count: int = N):
    return await asyncio.gather(*(do(type, payload, actor) for _ in range(count)))


async def _rich(org: int, **columns) -> None:
    values = {"coins_per_period": 100, "chair_price": 3, "table_price": 2, "max_chairs": 40, **columns}
    await ParticipationSettings.insert(ParticipationSettings(organisation=org, updated_at=datetime.now(UTC), **values))


# -- thirty at once ------------------------------------------------------------------------------


async def test_thirty_parallel_open_tables_never_overdraw():
    w = await world()
    await _rich(w.org, coins_per_period=10, table_price=3)
    ann = await person("ann@example.be", w.org, w.early)
    outcomes = await asyncio.gather(*(open_table(ann, w.room, title=f"T{n}") for n in range(N)))
    assert sum(o.applied for o in outcomes) == 3
    assert {_code(o) for o in outcomes if not o.applied} == {"not_enough_coins"}
    assert await _coins(w.org, ann) == 1
    assert await ParticipationTable.count() == 3
    await _conserved(w.org)


async def test_thirty_parallel_chairs_by_one_person_at_one_table_make_one_seat():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    outcomes = await _many("participation.buy_chair", {"table_id": table}, bob)
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"already_seated"}
    assert await Seat.count().where((Seat.table == table) & (Seat.user == bob)) == 1
    assert await _coins(w.org, bob) == 97
    await _conserved(w.org)


async def test_thirty_buyers_for_three_chairs_fill_exactly_three():
    w = await world()
    await _rich(w.org, max_chairs=3)
    ann = await person("ann@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    buyers = [await person(f"b{n}@example.be", w.org, w.early) for n in range(N)]
    outcomes = await asyncio.gather(*(do("participation.buy_chair", {"table_id": table}, b) for b in buyers))
    assert sum(o.applied for o in outcomes) == 3
    assert {_code(o) for o in outcomes if not o.applied} == {"table_full"}
    assert await Seat.count().where((Seat.table == table) & (Seat.role == "chair")) == 3
    await _conserved(w.org)


async def test_thirty_parallel_give_backs_refund_once():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    outcomes = await _many("participation.give_back_chair", {"table_id": table}, bob)
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"not_seated"}
    assert await _coins(w.org, bob) == 100
    await _conserved(w.org)


async def test_thirty_parallel_cancels_refund_every_seat_once():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    chairs = [await person(f"c{n}@example.be", w.org, w.early) for n in range(3)]
    table = (await open_table(ann, w.room)).ids["table_id"]
    for chair in chairs:
        assert (await do("participation.buy_chair", {"table_id": table}, chair)).applied
    outcomes = await _many("participation.cancel_table", {"table_id": table}, ann)
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"table_closed"}
    assert await _coins(w.org, ann) == 100
    for chair in chairs:
        assert await _coins(w.org, chair) == 100
    await _conserved(w.org)


async def test_cancel_and_buy_at_once_lose_no_coin():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    buyers = [await person(f"b{n}@example.be", w.org, w.early) for n in range(N)]
    table = (await open_table(ann, w.room)).ids["table_id"]
    jobs = [do("participation.buy_chair", {"table_id": table}, b) for b in buyers]
    jobs.insert(N // 2, do("participation.cancel_table", {"table_id": table}, ann))
    await asyncio.gather(*jobs)
    for buyer in buyers:
        assert (await wallet.balance_now(w.org, buyer)).coins == 100  # refunded or never charged
    await _conserved(w.org)


async def test_thirty_parallel_closes_return_the_coins_once():
    w = await world()
    await _rich(w.org, min_chairs=1)
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    table = (await open_table(ann, w.room)).ids["table_id"]
    assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    assert (await do("participation.start_meeting", {"table_id": table}, amb)).applied
    outcomes = await _many("participation.close_meeting", {"table_id": table}, amb)
    assert sum(o.applied for o in outcomes) == 1, [_code(o) for o in outcomes]
    assert {_code(o) for o in outcomes if not o.applied} == {"table_closed"}
    assert await _coins(w.org, ann) == 100 and await _coins(w.org, bob) == 100
    assert await Minutes.count().where(Minutes.table == table) == 1
    assert await CoinEntry.count().where(CoinEntry.reason == "returned") == 2
    await _conserved(w.org)


async def test_thirty_parallel_evaluations_make_one_row():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, ann, [bob], unit=w.early)
    outcomes = await _many("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, bob)
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"already_evaluated"}
    assert await Evaluation.count() == 1


async def test_thirty_parallel_leaves_refund_once():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    tables = [(await open_table(ann, w.room, title=f"T{n}")).ids["table_id"] for n in range(3)]
    for table in tables:
        assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    outcomes = await _many("participation.leave", {"organisation_id": w.org}, bob)
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"already_left"}
    assert await _coins(w.org, bob) == 100
    await _conserved(w.org)


async def test_thirty_parallel_nudges_send_one():
    w = await world()
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    bob = await person("bob@example.be", w.org, w.early)
    outcomes = await _many("participation.nudge", {"user_id": bob}, admin)
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"nudged_recently"}
    assert await Nudge.count() == 1


async def test_thirty_parallel_invites_make_one_invitation():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    outcomes = await _many("participation.invite", {"table_id": table, "user_id": bob}, ann)
    assert sum(o.applied for o in outcomes) == 1, [_code(o) for o in outcomes]
    assert {_code(o) for o in outcomes if not o.applied} == {"already_invited"}
    assert await TableInvite.count() == 1


async def test_balance_now_matches_the_ledger_after_the_storm():
    w = await world()
    await _rich(w.org, coins_per_period=10)
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    tables = [(await open_table(ann, w.room, title=f"T{n}")).ids["table_id"] for n in range(5)]
    jobs = []
    for table in tables:
        jobs += [do("participation.buy_chair", {"table_id": table}, bob) for _ in range(3)]
        jobs += [do("participation.give_back_chair", {"table_id": table}, bob) for _ in range(3)]
    await asyncio.gather(*jobs)
    assert (await wallet.balance_now(w.org, bob)).coins == await _coins(w.org, bob) >= 0
    await _conserved(w.org)


# -- another organisation, another subgroup -----------------------------------------------------


async def test_every_table_command_with_another_organisations_table_is_not_found():
    w = await world()
    other = await world("andere")
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    eve = await person("eve@example.be", other.org, other.early)
    eve_admin = await person("evadmin@example.be", other.org, None, role="org_admin")
    eve_amb = await person("evamb@example.be", other.org, other.early, role="ambassador")
    table = (await open_table(ann, w.room)).ids["table_id"]
    before = await _coins(w.org)
    for actor in (eve, eve_admin, eve_amb):
        for type, payload in [
            ("participation.buy_chair", {"table_id": table}),
            ("participation.give_back_chair", {"table_id": table}),
            ("participation.cancel_table", {"table_id": table}),
            ("participation.invite", {"table_id": table, "user_id": bob}),
            ("participation.post_message", {"table_id": table, "body": "hallo"}),
            ("participation.make_real", {"table_id": table}),
            ("participation.close_meeting", {"table_id": table}),
            ("participation.start_meeting", {"table_id": table}),
            ("participation.submit_evaluation", {"table_id": table, "answers": GOOD}),
            ("participation.add_agenda_point", {"table_id": table, "text": "x"}),
            ("participation.add_action_point", {"table_id": table, "what": "x"}),
            ("participation.save_minutes", {"table_id": table, "body": "x", "version": 0}),
            ("participation.choose_roles", {"table_id": table, "moderator_id": ann}),
            ("participation.add_guest", {"table_id": table, "email": "bob@example.be"}),
            ("participation.set_minutes_visibility", {"table_id": table, "visibility": "participants"}),
            ("participation.record_outcome", {"table_id": table, "outcome": "x"}),
            ("participation.nudge", {"user_id": bob}),
            ("participation.nudge", {"user_id": bob, "organisation_id": w.org}),
            ("participation.leave", {"organisation_id": w.org, "user_id": bob}),
            ("participation.leave", {"organisation_id": w.org, "user_id": ann}),
        ]:
            outcome = await do(type, payload, actor)
            assert not outcome.applied, (type, actor)
            # not_allowed: a worker of B holds no right to nudge or remove anyone at all.
            assert _code(outcome) in ("not_found", "not_allowed"), (type, actor, _code(outcome))
    # An open_table in another organisation's room.
    outcome = await open_table(eve, w.room)
    assert _code(outcome) in ("room_unknown", "not_found")
    assert await _coins(w.org) == before
    assert await TableInvite.count() == 0 and await TableMessage.count() == 0
    assert await Nudge.count() == 0


async def test_invite_someone_of_another_organisation_is_refused():
    w = await world()
    other = await world("andere")
    ann = await person("ann@example.be", w.org, w.early)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    eve = await person("eve@example.be", other.org, other.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    for actor in (ann, amb):
        outcome = await do("participation.invite", {"table_id": table, "user_id": eve}, actor)
        assert _code(outcome) == "invitee_unknown"
    assert await TableInvite.count() == 0


async def test_another_subgroups_table_is_not_visible_and_invite_across_needs_an_ambassador():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    lea = await person("lea@example.be", w.org, w.late)
    table = (await open_table(ann, w.room)).ids["table_id"]
    assert _code(await do("participation.buy_chair", {"table_id": table}, lea)) == "not_visible"
    assert _code(await do("participation.post_message", {"table_id": table, "body": "x"}, lea)) == "not_visible"
    assert _code(await do("participation.invite", {"table_id": table, "user_id": lea}, ann)) == "not_visible"
    assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    assert _code(await do("participation.invite", {"table_id": table, "user_id": lea}, bob)) == "not_visible"
    assert await Seat.count().where(Seat.user == lea) == 0


async def test_open_table_for_a_unit_of_another_organisation_is_refused():
    w = await world()
    other = await world("andere")
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    eve = await person("eve@example.be", other.org, other.early)
    assert _code(await open_table(amb, w.room, unit_id=other.early)) == "unit_unknown"
    assert _code(await open_table(amb, w.room, author_id=eve, channel="paper")) == "author_unknown"
    assert await ParticipationTable.count() == 0


# -- who changes whom ----------------------------------------------------------------------------


async def test_a_worker_cannot_remove_an_org_admin_or_a_colleague():
    w = await world()
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    for target in (admin, bob):
        outcome = await do("participation.leave", {"organisation_id": w.org, "user_id": target}, ann)
        assert not outcome.applied and _code(outcome) in ("not_found", "not_allowed", "more_rights")
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    outcome = await do("participation.leave", {"organisation_id": w.org, "user_id": admin}, amb)
    assert _code(outcome) == "more_rights"


async def test_only_a_seated_person_cancels_and_a_chair_holder_does_not():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    assert _code(await do("participation.cancel_table", {"table_id": table}, bob)) == "not_opener"
    assert _code(await do("participation.make_real", {"table_id": table}, bob)) == "not_opener"


async def test_a_non_participant_cannot_evaluate():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    carl = await person("carl@example.be", w.org, w.early)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    table = await held_table(w.org, w.room, ann, [bob], unit=w.early)
    for actor in (carl, amb):
        assert _code(await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, actor)) == (
            "not_participant"
        )
    outcome = await do("participation.submit_evaluation", {"table_id": table, "answers": GOOD}, admin)
    assert not outcome.applied
    assert await Evaluation.count() == 0


# -- hostile input -------------------------------------------------------------------------------

HOSTILE = [
    "a\x00b",
    "\u202eevil\u202c",
    "\u200b\u200b",
    "\ufeff",
    "x" * 1_000_000,
]


async def test_hostile_titles_and_messages_never_crash():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    for text in HOSTILE:
        outcome = await open_table(ann, w.room, title=text)
        assert outcome.status in ("applied", "rejected", "invalid"), text[:10]
        if "\x00" in text or len(text) > 10_000:
            assert not outcome.applied, repr(text[:10])
        outcome = await do("participation.post_message", {"table_id": table, "body": text}, ann)
        if "\x00" in text or len(text) > 10_000:
            assert not outcome.applied, repr(text[:10])
    for row in await ParticipationTable.select(ParticipationTable.title, ParticipationTable.about):
        assert "\x00" not in row["title"] and len(row["title"]) < 10_000


async def test_a_title_of_only_invisible_characters_is_refused():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    for text in ("\u200b\u200b", "\ufeff", "\u202e\u202c", "\u2060"):
        outcome = await open_table(ann, w.room, title=text)
        assert _code(outcome) == "title_missing", repr(text)


async def test_bidi_overrides_and_zero_width_characters_leave_a_title():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    outcome = await open_table(ann, w.room, title="\u202eetsiuR\u202c Pauze\u200bruimte")
    assert outcome.applied, outcome.errors
    row = await ParticipationTable.select(ParticipationTable.title).first()
    assert row["title"] == "etsiuR Pauzeruimte"


# -- agenda points under parallel edits -----------------------------------------------------------


async def test_moving_and_removing_one_agenda_point_at_once_never_crashes():
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    points = []
    for n in range(3):
        outcome = await do("participation.add_agenda_point", {"table_id": table, "text": f"Punt {n}"}, ann)
        assert outcome.applied, outcome.errors
        points.append(outcome.ids["point_id"])
    jobs = [do("participation.move_agenda_point", {"point_id": points[1], "direction": "up"}, ann) for _ in range(N)]
    jobs.insert(3, do("participation.remove_agenda_point", {"point_id": points[1]}, ann))
    outcomes = await asyncio.gather(*jobs)
    assert {o.status for o in outcomes} <= {"applied", "rejected"}
    removes = await _many("participation.remove_agenda_point", {"point_id": points[0]}, ann)
    assert sum(o.applied for o in removes) == 1, [_code(o) for o in removes]


# -- the barometer's anonymity ----------------------------------------------------------------------


async def test_fewer_than_three_answers_show_no_number_per_month_subgroup_room_or_meeting():
    from datetime import date, timedelta

    from app.domain.participation import barometer
    from app.domain.participation.barometer import Period
    from tests.support.evaluations import answer_row

    w = await world()
    people = [await person(f"p{n}@example.be", w.org, w.early) for n in range(3)]
    table = await held_table(w.org, w.room, people[0], people[1:], unit=w.early)
    moment = datetime(2026, 11, 10, 12, tzinfo=UTC)
    for user in people[:2]:
        await answer_row(table, w.org, user, at=moment, sentence="Geheim zinnetje", other="Nog iets")
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    report = await barometer.organisation_report(w.org, period, whole="whole")
    for score in [report.overall] + [row.score for row in report.months + report.subgroups + report.rooms]:
        assert not score.enough and score.answers is None and score.total is None and not score.dimensions
    for row in report.meetings:
        assert not row.score.enough and row.score.total is None
    assert report.texts == []
    assert not (await barometer.meeting_score(table)).enough
    # A third answer a month later: the meeting reaches three, November still has two.
    await answer_row(table, w.org, people[2], at=moment + timedelta(days=25))
    november = await barometer.organisation_report(w.org, period, whole="whole")
    assert not november.overall.enough
    assert all(not row.score.enough for row in november.months + november.subgroups + november.rooms)


async def test_one_answer_cannot_be_worked_out_from_two_shown_groups():
    from datetime import date

    from app.domain.participation import barometer
    from app.domain.participation.barometer import Period
    from tests.support.evaluations import answer_row

    w = await world()
    early = [await person(f"e{n}@example.be", w.org, w.early) for n in range(3)]
    lone = await person("lone@example.be", w.org, w.late)
    other = await person("other@example.be", w.org, w.late)
    a = await held_table(w.org, w.room, early[0], early[1:], unit=w.early)
    b = await held_table(w.org, w.room, lone, [other], unit=w.late)
    moment = datetime(2026, 11, 10, 12, tzinfo=UTC)
    for user in early:
        await answer_row(a, w.org, user, at=moment)
    await answer_row(b, w.org, lone, at=moment, process=0, satisfaction=1, duration=100, heard=False)
    report = await barometer.organisation_report(w.org, Period(date(2026, 11, 1), date(2026, 11, 30)))
    shown = [row for row in report.subgroups if row.score.enough]
    # Either the whole or the only shown subgroup must be held back, or the lone answer follows.
    assert not (report.overall.enough and shown and report.overall.answers - shown[0].score.answers < 3)


# -- set-up ids of another organisation ------------------------------------------------------------


async def test_admins_and_ambassadors_of_a_cannot_touch_the_set_up_of_b():
    from app.storage.participation import Announcement, ConsultationMoment, FaqEntry, Room

    a = await world()
    b = await world("andere")
    b_admin = await person("badmin@example.be", b.org, None, role="org_admin")
    b_worker = await person("bworker@example.be", b.org, b.early)
    a_admin = await person("aadmin@example.be", a.org, None, role="org_admin")
    a_amb = await person("aamb@example.be", a.org, a.early, role="ambassador")
    moment = await do(
        "participation.save_moment",
        {"organisation_id": b.org, "weekday": 1, "time": "14:00", "place": "Refter"},
        b_admin,
    )
    faq = await do(
        "participation.add_faq",
        {"organisation_id": b.org, "language": "nl", "question": "Vraag?", "answer": "Antwoord."},
        b_admin,
    )
    news = await do(
        "participation.post_announcement", {"organisation_id": b.org, "title": "Nieuws", "body": "Tekst."}, b_admin
    )
    assert moment.applied and faq.applied and news.applied, (moment.errors, faq.errors, news.errors)
    moment_id, faq_id, news_id = moment.ids["moment_id"], faq.ids["entry_id"], news.ids["announcement_id"]
    tables = {"rooms": await Room.select(), "moments": await ConsultationMoment.select()}
    tables |= {"faq": await FaqEntry.select(), "news": await Announcement.select()}
    seen: list = []
    for actor in (a_admin, a_amb):
        for type, payload in [
            (
                "participation.update_settings",
                {
                    "organisation_id": b.org,
                    "table_price": 0,
                    "chair_price": 0,
                    "coins_per_period": 999,
                    "period": "month",
                    "refill": "add",
                    "min_chairs": 1,
                    "max_chairs": 5,
                    "practice_coins": 5,
                },
            ),
            ("participation.save_moment", {"organisation_id": b.org, "weekday": 2, "time": "09:00", "place": "X"}),
            (
                "participation.save_moment",
                {"organisation_id": a.org, "moment_id": moment_id, "weekday": 2, "time": "09:00", "place": "X"},
            ),
            (
                "participation.save_moment",
                {"organisation_id": a.org, "weekday": 2, "time": "09:00", "place": "X", "unit_id": b.early},
            ),
            ("participation.remove_moment", {"moment_id": moment_id}),
            ("participation.update_room", {"room_id": b.room, "name": "Overgenomen"}),
            ("participation.archive_room", {"room_id": b.room}),
            ("participation.move_room", {"room_id": b.room, "direction": "down"}),
            ("participation.add_room", {"organisation_id": b.org, "name": "Nieuw"}),
            ("participation.update_faq", {"entry_id": faq_id, "question": "Weg?", "answer": "Weg."}),
            ("participation.remove_faq", {"entry_id": faq_id}),
            ("participation.move_faq", {"entry_id": faq_id, "direction": "up"}),
            ("participation.add_faq", {"organisation_id": b.org, "language": "nl", "question": "Q?", "answer": "A"}),
            ("participation.copy_default_faq", {"organisation_id": b.org, "language": "nl"}),
            ("participation.delete_announcement", {"announcement_id": news_id}),
            ("participation.post_announcement", {"organisation_id": b.org, "title": "T", "body": "B"}),
            (
                "participation.post_announcement",
                {"organisation_id": a.org, "unit_id": b.early, "title": "T", "body": "B"},
            ),
            (
                "participation.set_ambassador_post",
                {"organisation_id": b.org, "unit_id": b.early, "ambassador_id": b_worker},
            ),
            ("participation.set_ambassador_post", {"organisation_id": a.org, "unit_id": b.early}),
            (
                "participation.set_ambassador_post",
                {"organisation_id": a.org, "unit_id": a.early, "ambassador_id": b_worker},
            ),
            ("participation.nudge", {"user_id": b_worker}),
            ("participation.leave", {"organisation_id": b.org, "user_id": b_worker}),
        ]:
            outcome = await do(type, payload, actor)
            assert not outcome.applied, (type, actor)
            seen.append((type, _code(outcome)))
    # B is never named: refused like a missing id, or as a colleague/subgroup A does not know.
    assert {code for _, code in seen} <= {"not_found", "unit_unknown", "not_allowed", "not_an_ambassador"}, seen
    assert tables == {
        "rooms": await Room.select(),
        "moments": await ConsultationMoment.select(),
        "faq": await FaqEntry.select(),
        "news": await Announcement.select(),
    }


# -- a worker and someone else's minutes, agenda and action points -------------------------------------


async def _meeting():
    w = await world()
    await _rich(w.org, min_chairs=1)
    ann = await person("ann@example.be", w.org, w.early)
    bert = await person("bert@example.be", w.org, w.early)
    carl = await person("carl@example.be", w.org, w.early)
    dirk = await person("dirk@example.be", w.org, w.early)  # same subgroup, no seat
    table = (await open_table(ann, w.room)).ids["table_id"]
    for user in (bert, carl):
        assert (await do("participation.buy_chair", {"table_id": table}, user)).applied
    roles = {"table_id": table, "moderator_id": bert, "note_taker_id": carl}
    assert (await do("participation.choose_roles", roles, ann)).applied
    return w, ann, bert, carl, dirk, table


async def test_workers_cannot_change_what_is_not_theirs():
    _w, ann, _bert, carl, dirk, table = await _meeting()
    point = (await do("participation.add_agenda_point", {"table_id": table, "text": "Van Ann"}, ann)).ids["point_id"]
    action = await do("participation.add_action_point", {"table_id": table, "what": "Stoelen"}, carl)
    assert action.applied, action.errors
    action_id = action.ids["action_point_id"]
    # The minutes: only the note-taker (and moderator).
    for actor in (ann, dirk):
        outcome = await do(
            "participation.save_minutes", {"table_id": table, "body": "Overgenomen", "version": 0}, actor
        )
        assert _code(outcome) in ("not_minutes_writer", "not_visible"), _code(outcome)
    # Someone else's agenda point: a chair holder neither removes nor orders it.
    assert _code(await do("participation.remove_agenda_point", {"point_id": point}, carl)) == "not_agenda_remover"
    move = {"point_id": point, "direction": "down"}
    assert _code(await do("participation.move_agenda_point", move, carl)) == "not_agenda_orderer"
    # A colleague without a seat adds nothing and changes no action point.
    assert _code(await do("participation.add_agenda_point", {"table_id": table, "text": "x"}, dirk)) == (
        "not_agenda_author"
    )
    update = {"action_point_id": action_id, "status": "done", "what": "Iets anders"}
    assert _code(await do("participation.update_action_point", update, dirk)) == "not_participant"
    # Another organisation's worker: not found.
    other = await world("andere")
    eve = await person("eve@example.be", other.org, other.early)
    assert _code(await do("participation.update_action_point", update, eve)) == "not_found"
    assert _code(await do("participation.remove_agenda_point", {"point_id": point}, eve)) == "not_found"
    from app.storage.participation import ActionPoint, AgendaPoint

    assert (await ActionPoint.select().first())["status"] == "open"
    assert await AgendaPoint.count() == 1
    assert await Minutes.count() == 0


async def test_thirty_parallel_minute_saves_on_one_version_keep_one():
    _w, _ann, _bert, carl, _dirk, table = await _meeting()
    outcomes = await asyncio.gather(
        *(
            do("participation.save_minutes", {"table_id": table, "body": f"Tekst {n}", "version": 0}, carl)
            for n in range(N)
        )
    )
    assert sum(o.applied for o in outcomes) == 1
    assert {_code(o) for o in outcomes if not o.applied} == {"minutes_conflict"}
    row = await Minutes.select().first()
    assert row["version"] == 1 and await Minutes.count() == 1


async def test_thirty_parallel_role_choices_and_guests_keep_one_seat_each():
    w, _ann, bert, _carl, _dirk, table = await _meeting()
    await person("gast@example.be", w.org, None, role="org_admin")
    outcomes = await _many("participation.add_guest", {"table_id": table, "email": "gast@example.be"}, bert)
    assert sum(o.applied for o in outcomes) == 1, [_code(o) for o in outcomes]
    assert await Seat.count().where(Seat.role == "guest") == 1


async def test_hostile_text_in_minutes_agenda_actions_and_evaluations():
    w, ann, bert, carl, _dirk, table = await _meeting()
    for text in HOSTILE:
        big_or_nul = "\x00" in text or len(text) > 100_000
        minutes = await do("participation.save_minutes", {"table_id": table, "body": text, "version": 0}, carl)
        agenda = await do("participation.add_agenda_point", {"table_id": table, "text": text}, ann)
        action = await do("participation.add_action_point", {"table_id": table, "what": text}, carl)
        for outcome in (minutes, agenda, action):
            assert outcome.status in ("applied", "rejected", "invalid")
            if big_or_nul:
                assert not outcome.applied, (outcome.type, repr(text[:5]))
        if minutes.applied:
            await Minutes.delete().where(Minutes.table == table)
    held = await held_table(w.org, w.room, ann, [bert], unit=w.early)
    for text in HOSTILE:
        answers = {**GOOD, "sentence": text, "other": text}
        outcome = await do("participation.submit_evaluation", {"table_id": held, "answers": answers}, bert)
        if "\x00" in text or len(text) > 100_000:
            assert not outcome.applied
        if outcome.applied:
            await Evaluation.delete().where(Evaluation.id > 0)
    for row in await Evaluation.select():
        assert "\x00" not in row["sentence"]


async def test_one_line_texts_of_only_invisible_characters_are_missing():
    w, ann, _bert, carl, _dirk, table = await _meeting()
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    blank = "\u200b\u2060\u202e"
    assert _code(await do("participation.add_agenda_point", {"table_id": table, "text": blank}, ann)) == (
        "agenda_text_missing"
    )
    outcome = await do("participation.add_action_point", {"table_id": table, "what": blank}, carl)
    assert outcome.errors.get("what") == "action_what_missing"
    outcome = await do(
        "participation.post_announcement", {"organisation_id": w.org, "title": blank, "body": "B"}, admin
    )
    assert outcome.errors.get("title") == "announcement_title_missing"
    faq = {"organisation_id": w.org, "language": "nl", "question": blank, "answer": "Antwoord."}
    assert (await do("participation.add_faq", faq, admin)).errors.get("question") == "question_missing"
    news = {"organisation_id": w.org, "title": "\u202eNieuws\u202c", "body": "Tekst."}
    assert (await do("participation.post_announcement", news, admin)).applied
    from app.storage.participation import Announcement

    assert (await Announcement.select(Announcement.title).first())["title"] == "Nieuws"


# -- over HTTP: every URL with another organisation's ids, broken bytes -----------------------------

PASSWORD = "correct horse battery staple"


async def _as(client, email: str):
    from tests.support.factories import login
    from tests.support.registration import english

    client.cookies.clear()
    english(client)
    assert (await login(client, email, PASSWORD)).status_code == 303


async def test_every_participation_url_with_another_organisations_ids_is_404(client):
    from app.storage.participation import ActionPoint, AgendaPoint
    from tests.support.registration import post

    w, ann, bert, carl, dirk, table = await _meeting()
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    point = (await do("participation.add_agenda_point", {"table_id": table, "text": "Punt"}, ann)).ids["point_id"]
    action = (await do("participation.add_action_point", {"table_id": table, "what": "Doen"}, carl)).ids[
        "action_point_id"
    ]
    faq = await do(
        "participation.add_faq",
        {"organisation_id": w.org, "language": "en", "question": "Q?", "answer": "A."},
        admin,
    )
    news = await do("participation.post_announcement", {"organisation_id": w.org, "title": "T", "body": "B"}, admin)
    held = await held_table(w.org, w.room, ann, [bert], unit=w.early, title="Geheime tafel")
    other = await world("andere")
    await person("eve@andere.be", other.org, other.early)
    await person("evadmin@andere.be", other.org, None, role="org_admin")
    await person("evamb@andere.be", other.org, other.early, role="ambassador")
    before = {
        "tables": await ParticipationTable.select(),
        "seats": await Seat.select(),
        "agenda": await AgendaPoint.select(),
        "actions": await ActionPoint.select(),
        "coins": await CoinEntry.count(),
    }
    base = f"/participation/tables/{table}"
    gets = [
        base,
        f"{base}/meeting",
        f"{base}/meeting/minutes",
        f"/participation/tables/{held}/evaluation",
        f"/participation/barometer/tables/{held}",
    ]
    posts = [
        (f"{base}/chairs", {}),
        (f"{base}/give-back", {}),
        (f"{base}/cancel", {}),
        (f"{base}/invite", {"user_id": str(dirk)}),
        (f"{base}/messages", {"body": "hallo"}),
        (f"{base}/make-real", {}),
        (f"{base}/meeting/schedule", {"date": "01/01/2030", "time": "14:00", "place": "x"}),
        (f"{base}/meeting/roles", {"moderator_id": str(ann)}),
        (f"{base}/meeting/start", {}),
        (f"{base}/meeting/close", {}),
        (f"{base}/meeting/guests", {"email": "eve@andere.be"}),
        (f"{base}/meeting/agenda", {"text": "x"}),
        (f"{base}/meeting/agenda/{point}/move", {"direction": "up"}),
        (f"{base}/meeting/agenda/{point}/remove", {}),
        (f"{base}/meeting/minutes", {"body": "x", "version": "0"}),
        (f"{base}/meeting/actions", {"what": "x"}),
        (f"{base}/meeting/actions/{action}", {"status": "done"}),
        (f"{base}/meeting/visibility", {"visibility": "participants"}),
        (f"{base}/meeting/outcome", {"outcome": "x"}),
        (f"/participation/tables/{held}/evaluation", {"process": "50", "satisfaction": "3"}),
        (f"/admin/participation/{w.org}/settings", {"coins_per_period": "999"}),
        (f"/admin/participation/{w.org}/rooms", {"name": "x"}),
        (f"/admin/participation/{w.org}/rooms/{w.room}", {"name": "x"}),
        (f"/admin/participation/{w.org}/posts/{w.early}", {"ambassador_id": ""}),
        (f"/admin/participation/{w.org}/goal", {"target": "5"}),
        (f"/admin/participation/{w.org}/moments", {"weekday": "1", "time": "14:00", "place": "x"}),
        (f"/admin/participation/faq/{w.org}/add", {"question": "q", "answer": "a", "language": "en"}),
        (f"/admin/participation/faq/{w.org}/entries/{faq.ids['entry_id']}", {"question": "q", "answer": "a"}),
        (f"/admin/participation/announcements/{news.ids['announcement_id']}/delete", {}),
        (f"/participation/impact/nudge/{dirk}", {}),
        ("/participation/people/remove", {"user_id": str(dirk), "organisation_id": str(w.org)}),
    ]
    for email in ("eve@andere.be", "evadmin@andere.be", "evamb@andere.be"):
        await _as(client, email)
        for path in gets:
            response = await client.get(path)
            assert response.status_code in (403, 404), (email, path, response.status_code)
            assert "Pauzeruimte" not in response.text and "Geheime tafel" not in response.text
            if response.status_code == 403:
                assert "subgroup" not in response.text, (email, path)  # no hint that the table exists
        for path, data in posts:
            response = await post(client, path, data)
            assert response.status_code in (403, 404), (email, path, response.status_code)
            assert "Pauzeruimte" not in response.text
    for path in (
        f"/participation/organisation?organisation={w.org}",
        f"/participation?organisation={w.org}",
        f"/participation/barometer?organisation={w.org}",
        f"/participation/impact?organisation={w.org}",
        f"/participation/faq?organisation={w.org}",
        f"/participation/rules?organisation={w.org}",
    ):
        response = await client.get(path)
        assert response.status_code in (403, 404) or "Pauzeruimte" not in response.text, path
        assert "Brouwerij De Klok" not in response.text or response.status_code != 200, path
    assert before == {
        "tables": await ParticipationTable.select(),
        "seats": await Seat.select(),
        "agenda": await AgendaPoint.select(),
        "actions": await ActionPoint.select(),
        "coins": await CoinEntry.count(),
    }


async def test_broken_bytes_nul_and_huge_forms_are_422_or_400_never_500(client):
    from tests.support.registration import csrf

    w = await world()
    await person("ann@example.be", w.org, w.early)
    await _as(client, "ann@example.be")
    await client.get("/participation/tables/new")
    token = csrf(client)
    bodies = [
        b"room_id=%d&title=%%FF%%FE&about=x&_csrf_token=" % w.room + token.encode(),
        b"room_id=%d&title=\xff\xfe&about=x&_csrf_token=" % w.room + token.encode(),
        b"room_id=%d&title=a%%00b&about=x&_csrf_token=" % w.room + token.encode(),
        b"room_id=%d&title=" % w.room + b"x" * 1_000_000 + b"&about=x&_csrf_token=" + token.encode(),
        b"room_id=99999999999999999999&title=x&about=x&_csrf_token=" + token.encode(),
        b"room_id=-1&title=x&about=x&_csrf_token=" + token.encode(),
    ]
    for body in bodies:
        response = await client.post(
            "/participation/tables/new",
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        if b"%00" in body and response.status_code == 303:
            continue  # the form dropped the NUL: checked below, nothing of it is stored
        assert response.status_code in (400, 413, 422), (body[:40], response.status_code)
    for row in await ParticipationTable.select(ParticipationTable.title):
        assert row["title"] == "ab"
    assert await ParticipationTable.count() <= 1
