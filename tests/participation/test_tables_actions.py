"""Table commands besides opening and buying: giving back, cancelling,
inviting, the thread before the meeting, practice tables made real; and
their attacks (parallel requests, other organisations and subgroups)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from piccolo.query.methods.select import Sum

from app.storage.participation import (
    CoinEntry,
    MailSetting,
    ParticipationSettings,
    ParticipationTable,
    Seat,
    TableInvite,
    TableMessage,
)
from app.storage.tables import Job
from tests.support.participation import do, open_table, person, world


async def _coins(org: int, user: int, kind: str = "real") -> int:
    row = await (
        CoinEntry.select(Sum(CoinEntry.amount).as_alias("total"))
        .where(
            (CoinEntry.wallet.organisation == org) & (CoinEntry.wallet.user == user) & (CoinEntry.wallet.kind == kind)
        )
        .first()
    )
    return int(row["total"] or 0)


async def _table(table_id: int) -> dict:
    return await ParticipationTable.select().where(ParticipationTable.id == table_id).first()


async def _set_phase(table_id: int, phase: str) -> None:
    await ParticipationTable.update({ParticipationTable.phase: phase}).where(ParticipationTable.id == table_id)


async def test_a_chair_given_back_returns_its_coins_and_can_be_bought_again():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    assert await _coins(w.org, bob) == 9
    outcome = await do("participation.give_back_chair", {"table_id": table}, bob)
    assert outcome.applied and outcome.ids["refunded"] == 1
    assert await _coins(w.org, bob) == 10
    assert (await do("participation.give_back_chair", {"table_id": table}, bob)).code() == "not_seated"
    # The opener keeps the seat: they cancel instead.
    assert (await do("participation.give_back_chair", {"table_id": table}, ann)).code() == "opener_keeps_seat"
    # Buying again works (the given-back seat no longer counts).
    assert (await do("participation.buy_chair", {"table_id": table}, bob)).applied
    assert await _coins(w.org, bob) == 9
    # Once the meeting runs, nothing is given back.
    await _set_phase(table, "running")
    assert (await do("participation.give_back_chair", {"table_id": table}, bob)).code() == "table_closed"
    assert await _coins(w.org, bob) == 9


async def test_cancelling_refunds_every_seat_and_only_before_the_meeting():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    cas = await person("cas@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    await do("participation.buy_chair", {"table_id": table}, bob)
    # A chair holder is not the opener.
    assert (await do("participation.cancel_table", {"table_id": table}, bob)).code() == "not_opener"
    outcome = await do("participation.cancel_table", {"table_id": table}, ann)
    assert outcome.applied and outcome.ids["refunded"] == 4
    assert (await _table(table))["phase"] == "cancelled"
    assert [await _coins(w.org, u) for u in (ann, bob, cas)] == [10, 10, 0]
    assert (await do("participation.cancel_table", {"table_id": table}, ann)).code() == "table_closed"
    assert (await do("participation.buy_chair", {"table_id": table}, cas)).code() == "table_closed"


async def test_an_ambassador_and_an_org_admin_cancel_a_table_and_a_held_one_stays():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    amb = await person("amb@example.be", w.org, w.late, role="ambassador")
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    first = (await open_table(ann, w.room)).ids["table_id"]
    second = (await open_table(ann, w.room, title="Tweede")).ids["table_id"]
    assert (await do("participation.cancel_table", {"table_id": first}, amb)).applied
    assert (await do("participation.cancel_table", {"table_id": second}, admin)).applied
    held = (await open_table(ann, w.room, title="Gehouden")).ids["table_id"]
    await _set_phase(held, "held")
    assert (await do("participation.cancel_table", {"table_id": held}, admin)).code() == "table_closed"
    assert await _coins(w.org, ann) == 7  # the two cancelled tables were refunded, the held one not


async def test_invitations_within_the_subgroup_and_across_only_by_an_ambassador():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    lia = await person("lia@example.be", w.org, w.late)
    amb = await person("amb@example.be", w.org, w.late, role="ambassador")
    table = (await open_table(ann, w.room)).ids["table_id"]
    outcome = await do("participation.invite", {"table_id": table, "user_id": bob}, ann)
    assert outcome.applied and outcome.ids["mailed"] is True
    [job] = await Job.select().where(Job.kind == "mail.send")
    mail = json.loads(job["payload"])
    assert mail["to"] == "bob@example.be" and mail["template"] == "participation_table_invite"
    assert mail["context"]["path"] == f"/participation/tables/{table}"
    # One invitation per person per table.
    assert (await do("participation.invite", {"table_id": table, "user_id": bob}, ann)).code("user_id") == (
        "already_invited"
    )
    # Another subgroup: only an ambassador.
    assert (await do("participation.invite", {"table_id": table, "user_id": lia}, ann)).code("user_id") == (
        "not_visible"
    )
    assert (await do("participation.invite", {"table_id": table, "user_id": lia}, amb)).applied
    # The invitee of another subgroup now sees the table and buys a chair.
    assert (await do("participation.buy_chair", {"table_id": table}, lia)).applied
    # Someone without a seat (and no ambassador) does not invite.
    cas = await person("cas@example.be", w.org, w.early)
    assert (await do("participation.invite", {"table_id": table, "user_id": ann}, cas)).code() == "not_participant"
    # A seated colleague is not invited; an unknown id neither.
    assert (await do("participation.invite", {"table_id": table, "user_id": lia}, ann)).code("user_id") in (
        "invitee_seated",
        "already_invited",
    )
    assert (await do("participation.invite", {"table_id": table, "user_id": 999999}, ann)).code("user_id") == (
        "invitee_unknown"
    )
    assert await TableInvite.count() == 2


async def test_an_invitation_mail_waits_when_the_person_turned_instant_mails_off():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    await MailSetting.insert(MailSetting(user=bob, kind="invitation", frequency="off", updated_at=datetime.now(UTC)))
    table = (await open_table(ann, w.room)).ids["table_id"]
    outcome = await do("participation.invite", {"table_id": table, "user_id": bob}, ann)
    assert outcome.applied and outcome.ids["mailed"] is False
    assert await Job.count().where(Job.kind == "mail.send") == 0


async def test_the_thread_is_for_the_table_and_closes_when_the_meeting_starts():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    assert (await do("participation.post_message", {"table_id": table, "body": "Dinsdag?"}, ann)).applied
    assert (await do("participation.post_message", {"table_id": table, "body": "Ja"}, bob)).code() == "not_participant"
    await do("participation.buy_chair", {"table_id": table}, bob)
    assert (await do("participation.post_message", {"table_id": table, "body": "  "}, bob)).code("body") == (
        "message_missing"
    )
    assert (await do("participation.post_message", {"table_id": table, "body": "Ja 👍 Ωmega"}, bob)).applied
    nul = await do("participation.post_message", {"table_id": table, "body": "a\x00b"}, bob)
    assert nul.code("body") == "invalid_value"
    huge = await do("participation.post_message", {"table_id": table, "body": "x" * 5000}, bob)
    assert huge.code("body") == "too_long"
    await _set_phase(table, "running")
    assert (await do("participation.post_message", {"table_id": table, "body": "Nu?"}, ann)).code() == "table_closed"
    bodies = [row["body"] for row in await TableMessage.select().order_by(TableMessage.id)]
    assert bodies == ["Dinsdag?", "Ja 👍 Ωmega"]


async def test_a_practice_table_made_real_swaps_play_coins_for_real_ones():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room, practice=True)).ids["table_id"]
    await do("participation.buy_chair", {"table_id": table}, bob)
    assert [await _coins(w.org, u, "play") for u in (ann, bob)] == [7, 9]
    assert (await do("participation.make_real", {"table_id": table}, bob)).code() == "not_opener"
    outcome = await do("participation.make_real", {"table_id": table}, ann)
    assert outcome.applied, outcome.errors
    assert [await _coins(w.org, u, "play") for u in (ann, bob)] == [10, 10]
    assert [await _coins(w.org, u, "real") for u in (ann, bob)] == [7, 9]
    row = await _table(table)
    assert row["practice"] is False and row["table_price"] == 3
    assert (await do("participation.make_real", {"table_id": table}, ann)).code() == "not_practice"
    # Giving the chair back now returns real coins.
    assert (await do("participation.give_back_chair", {"table_id": table}, bob)).applied
    assert await _coins(w.org, bob, "real") == 10 and await _coins(w.org, bob, "play") == 10


async def test_making_real_changes_nothing_when_someone_cannot_pay():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room, practice=True)).ids["table_id"]
    await do("participation.buy_chair", {"table_id": table}, bob)
    # Bob spends his real coins on real tables first.
    for n in range(3):
        await open_table(bob, w.room, title=f"Echt {n}")
    assert await _coins(w.org, bob) == 1
    await ParticipationSettings.insert(
        ParticipationSettings(organisation=w.org, chair_price=2, updated_at=datetime.now(UTC))
    )
    entries = await CoinEntry.count()
    outcome = await do("participation.make_real", {"table_id": table}, ann)
    assert outcome.code() == "chair_holder_short" and outcome.reasons[0].params == {"count": 1}
    assert await CoinEntry.count() == entries
    assert (await _table(table))["practice"] is True
    assert [await _coins(w.org, u, "play") for u in (ann, bob)] == [7, 9]


async def test_play_coins_meant_for_a_practice_table_never_pay_for_a_real_one():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    outcome = await do("participation.buy_chair", {"table_id": table, "practice": True}, bob)
    assert outcome.code() == "play_coins_on_real_table"
    assert await Seat.count().where(Seat.user == bob) == 0
    assert await _coins(w.org, bob, "real") == 0 and await _coins(w.org, bob, "play") == 0


async def test_tables_of_another_organisation_are_not_found_and_of_another_subgroup_not_visible():
    w = await world()
    other = await world(slug="elders")
    ann = await person("ann@example.be", w.org, w.early)
    lia = await person("lia@example.be", w.org, w.late)
    out = await person("out@example.be", other.org, other.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    for command, payload in (
        ("participation.buy_chair", {"table_id": table}),
        ("participation.give_back_chair", {"table_id": table}),
        ("participation.cancel_table", {"table_id": table}),
        ("participation.invite", {"table_id": table, "user_id": ann}),
        ("participation.post_message", {"table_id": table, "body": "Hallo"}),
        ("participation.make_real", {"table_id": table}),
    ):
        assert (await do(command, payload, out)).code() == "not_found", command
        assert (await do(command, payload, lia)).code() == "not_visible", command
    # Inviting someone of another organisation: unknown.
    assert (await do("participation.invite", {"table_id": table, "user_id": out}, ann)).code("user_id") == (
        "invitee_unknown"
    )
    # A room of another organisation opens nothing there.
    assert (await open_table(ann, other.room)).code() == "not_found"
    assert await ParticipationTable.count() == 1


async def test_thirty_parallel_buys_gives_back_and_a_cancel_lose_no_coin():
    """Chair holders buy, give back and the opener cancels, all at once: the
    ledger and the seats agree afterwards, and nobody ends below zero."""
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    people = [await person(f"p{n}@example.be", w.org, w.early) for n in range(29)]
    for buyer in people[:10]:
        assert (await do("participation.buy_chair", {"table_id": table}, buyer)).applied
    # 30 at once: 10 give back, 19 buy, the opener cancels (somewhere in between).
    jobs = [do("participation.give_back_chair", {"table_id": table}, p) for p in people[:10]]
    jobs += [do("participation.buy_chair", {"table_id": table}, p) for p in people[10:]]
    jobs.insert(15, do("participation.cancel_table", {"table_id": table}, ann))
    outcomes = await asyncio.gather(*jobs)
    assert all(o.applied or o.code() in ("table_closed", "table_full", "not_seated") for o in outcomes)
    assert (await _table(table))["phase"] == "cancelled"
    # Every person's balance plus what they hold in seats is what they were given.
    for user in [ann, *people]:
        held = await Seat.select(Seat.coins).where(
            (Seat.user == user) & Seat.refunded_at.is_null() & Seat.left_at.is_null()
        )
        given = await CoinEntry.select(CoinEntry.amount).where(
            (CoinEntry.wallet.user == user) & (CoinEntry.reason == "refill")
        )
        assert await _coins(w.org, user) + sum(s["coins"] for s in held) == sum(g["amount"] for g in given), user
        assert held == []  # the cancel refunded everything
    assert await CoinEntry.count().where(CoinEntry.amount < 0) >= 11


async def test_the_invitation_mail_renders_in_the_invitees_language():
    from app.domain.mail import render

    context = {
        "name": "Bob",
        "inviter": "Ann",
        "organisation": "Brouwerij De Klok",
        "title": "Pauzeruimte <b>",
        "about": "Te klein.",
        "practice": True,
        "path": "/participation/tables/7",
    }
    subject, text, html = render("participation_table_invite", "en", context)
    assert subject == "Ann invites you to the table “Pauzeruimte <b>”"
    assert "/participation/tables/7" in text and "practice table" in text
    assert "Pauzeruimte &lt;b&gt;" in html and "/participation/tables/7" in html


async def test_an_ambassador_opens_only_for_colleagues_and_subgroups_of_their_organisation():
    w = await world()
    other = await world(slug="elders")
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    ann = await person("ann@example.be", w.org, w.early)
    out = await person("out@example.be", other.org, other.early)
    outcome = await open_table(amb, w.room, author_id=out, channel="paper")
    assert outcome.code("author_id") == "author_unknown"
    outcome = await open_table(amb, w.room, author_id=ann, channel="sms", unit_id=other.early)
    assert outcome.code("unit_id") == "unit_unknown"
    outcome = await open_table(ann, w.room, author_id=amb, channel="paper")
    assert outcome.code("author_id") == "on_behalf_needs_ambassador"
    assert await ParticipationTable.count() == 0 and await CoinEntry.count() == 0
    outcome = await open_table(amb, w.room, author_id=ann, channel="kiosk", unit_id=w.late)
    assert outcome.applied
    row = await _table(outcome.ids["table_id"])
    assert (row["opener"], row["opened_by"], row["channel"], row["unit"]) == (ann, amb, "kiosk", w.late)
    assert await _coins(w.org, ann) == 7 and await _coins(w.org, amb) == 0


async def test_thirty_parallel_invitations_of_one_colleague_make_one_invitation_and_one_mail():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(ann, w.room)).ids["table_id"]
    holders = [await person(f"h{n}@example.be", w.org, w.early) for n in range(9)]
    for holder in holders:
        assert (await do("participation.buy_chair", {"table_id": table}, holder)).applied
    inviters = [ann, *holders]
    outcomes = await asyncio.gather(
        *[do("participation.invite", {"table_id": table, "user_id": bob}, inviters[n % 10]) for n in range(30)]
    )
    assert sum(o.applied for o in outcomes) == 1
    assert {o.code("user_id") for o in outcomes if not o.applied} == {"already_invited"}
    assert await TableInvite.count() == 1
    assert await Job.count().where(Job.kind == "mail.send") == 1
