"""Minutes (versioned saves, conflicts never overwrite, only the note-taker
and the moderator edit, read-only once published), the agenda and the
action points with their history."""

from __future__ import annotations

import asyncio

from app.domain.participation.actions import actions_of
from app.domain.participation.agenda import agenda_of
from app.domain.participation.minutes import template
from app.storage.participation import ActionPoint, ActionPointChange, Minutes
from tests.participation.test_meetings import table_with_chairs
from tests.support.participation import do, person


async def _roles():
    w, ann, table, (bert, carl) = await table_with_chairs(2)
    assert (
        await do("participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": carl}, ann)
    ).applied
    return w, ann, table, bert, carl


async def _minutes(table: int) -> dict | None:
    return await Minutes.select().where(Minutes.table == table).first()


async def test_saves_count_versions_and_a_stale_save_is_a_conflict():
    _w, _ann, table, bert, carl = await _roles()
    first = await do(
        "participation.save_minutes", {"table_id": table, "body": "## Aanwezig\n- Ann", "version": 0}, carl
    )
    assert first.applied and first.ids["version"] == 1
    second = await do(
        "participation.save_minutes", {"table_id": table, "body": "## Aanwezig\n- Ann\n- Bert", "version": 1}, bert
    )
    assert second.applied and second.ids["version"] == 2
    stale = await do("participation.save_minutes", {"table_id": table, "body": "mijn tekst", "version": 1}, carl)
    assert stale.errors == {"body": "minutes_conflict"} and stale.reasons[0].params == {"version": 2}
    row = await _minutes(table)
    assert row["body"] == "## Aanwezig\n- Ann\n- Bert" and row["version"] == 2


async def test_thirty_parallel_saves_on_one_version_one_wins():
    _w, _ann, table, _bert, carl = await _roles()
    await do("participation.save_minutes", {"table_id": table, "body": "start", "version": 0}, carl)
    outcomes = await asyncio.gather(
        *(
            do("participation.save_minutes", {"table_id": table, "body": f"tekst {n}", "version": 1}, carl)
            for n in range(30)
        )
    )
    winners = [n for n, o in enumerate(outcomes) if o.applied]
    assert len(winners) == 1
    assert {o.code("body") for o in outcomes if not o.applied} == {"minutes_conflict"}
    row = await _minutes(table)
    assert row["version"] == 2 and row["body"] == f"tekst {winners[0]}"


async def test_thirty_parallel_first_saves_create_one_row():
    _w, _ann, table, _bert, carl = await _roles()
    outcomes = await asyncio.gather(
        *(
            do("participation.save_minutes", {"table_id": table, "body": f"eerste {n}", "version": 0}, carl)
            for n in range(30)
        )
    )
    assert sum(o.applied for o in outcomes) == 1
    assert await Minutes.count().where(Minutes.table == table) == 1


async def test_editing_someone_elses_minutes_is_refused():
    w, ann, table, _bert, _carl = await _roles()
    outcome = await do("participation.save_minutes", {"table_id": table, "body": "van Ann", "version": 0}, ann)
    assert outcome.code() == "not_minutes_writer"
    stranger = await person("x@example.be", w.org, w.early)
    assert (
        await do("participation.save_minutes", {"table_id": table, "body": "x", "version": 0}, stranger)
    ).code() == "not_minutes_writer"
    assert await _minutes(table) is None


async def test_minutes_before_during_and_until_closing_then_read_only():
    _w, _ann, table, bert, carl = await _roles()
    # Before the meeting (no date at all) is fine; so is a huge text and odd Unicode.
    body = "Ünïcødé ‮ 🧾 " + "x" * 40_000
    assert (await do("participation.save_minutes", {"table_id": table, "body": body, "version": 0}, carl)).applied
    huge = await do("participation.save_minutes", {"table_id": table, "body": "x" * 60_000, "version": 1}, carl)
    assert huge.code("body") == "too_long"
    nul = await do("participation.save_minutes", {"table_id": table, "body": "a\x00", "version": 1}, carl)
    assert nul.code("body") == "invalid_value"
    await do("participation.start_meeting", {"table_id": table}, bert)
    assert (await do("participation.save_minutes", {"table_id": table, "body": "tijdens", "version": 1}, carl)).applied
    await do("participation.close_meeting", {"table_id": table}, bert)
    after = await do("participation.save_minutes", {"table_id": table, "body": "te laat", "version": 2}, carl)
    assert after.code() == "minutes_published"
    row = await _minutes(table)
    assert row["body"] == "tijdens" and row["published_at"] is not None


async def test_without_roles_the_opener_writes():
    _w, ann, table, (bert, _carl) = await table_with_chairs(2)
    assert (
        await do("participation.save_minutes", {"table_id": table, "body": "Ann schrijft", "version": 0}, ann)
    ).applied
    assert (
        await do("participation.save_minutes", {"table_id": table, "body": "Bert", "version": 1}, bert)
    ).code() == "not_minutes_writer"


def test_the_template_has_the_headings():
    from app import i18n

    i18n.set_language("en")  # the headings in the current language; another test may leave nl set
    text = template(["Ann", "Bert"], ["Pauzes", "Stoelen"])
    assert text.index("Present") < text.index("- Ann") < text.index("1. Pauzes") < text.index("2. Stoelen")
    assert text.index("2. Stoelen") < text.index("Decisions") < text.index("Action points")


async def test_agenda_add_order_remove():
    w, ann, table, bert, carl = await _roles()
    stranger = await person("x@example.be", w.org, w.early)
    ids = []
    for who, text in [(ann, "Pauzes"), (carl, "Stoelen"), (bert, "  Koffie   automaat ")]:
        outcome = await do("participation.add_agenda_point", {"table_id": table, "text": text}, who)
        assert outcome.applied, outcome.errors
        ids.append(outcome.ids["point_id"])
    assert (
        await do("participation.add_agenda_point", {"table_id": table, "text": "x"}, stranger)
    ).code() == "not_agenda_author"
    assert (await do("participation.add_agenda_point", {"table_id": table, "text": "   "}, ann)).errors == {
        "text": "agenda_text_missing"
    }
    assert [p["text"] for p in await agenda_of(table)] == ["Pauzes", "Stoelen", "Koffie automaat"]
    assert (
        await do("participation.move_agenda_point", {"point_id": ids[2], "direction": "up"}, ann)
    ).code() == "not_agenda_orderer"
    assert (await do("participation.move_agenda_point", {"point_id": ids[2], "direction": "up"}, bert)).applied
    assert (
        await do("participation.move_agenda_point", {"point_id": ids[0], "direction": "up"}, bert)
    ).applied  # already first
    assert [p["text"] for p in await agenda_of(table)] == ["Pauzes", "Koffie automaat", "Stoelen"]
    assert (await do("participation.remove_agenda_point", {"point_id": ids[1]}, ann)).code() == "not_agenda_remover"
    assert (await do("participation.remove_agenda_point", {"point_id": ids[1]}, carl)).applied
    assert (await do("participation.remove_agenda_point", {"point_id": ids[0]}, bert)).applied
    assert [p["text"] for p in await agenda_of(table)] == ["Koffie automaat"]


async def test_action_points_stay_editable_after_publication_with_history():
    w, ann, table, bert, carl = await _roles()
    stranger = await person("x@example.be", w.org, w.early)
    bad = await do(
        "participation.add_action_point",
        {"table_id": table, "what": " ", "who_id": stranger, "due_on": "2027-02-30"},
        carl,
    )
    assert bad.errors == {"what": "action_what_missing", "due_on": "action_due_invalid", "who_id": "action_who_unknown"}
    first = await do(
        "participation.add_action_point",
        {"table_id": table, "what": "Offerte vragen", "who_id": bert, "due_on": "2027-01-15"},
        carl,
    )
    assert first.applied, first.errors
    typed = await do(
        "participation.add_action_point", {"table_id": table, "what": "Bellen", "who_text": "Mieke (HR)"}, ann
    )
    assert typed.applied
    point = first.ids["action_point_id"]
    assert (
        await do("participation.add_action_point", {"table_id": table, "what": "x"}, stranger)
    ).code() == "not_participant"
    assert (
        await do(
            "participation.update_action_point",
            {"action_point_id": point, "status": "doing", "what": "Twee offertes vragen"},
            bert,
        )
    ).applied
    await do("participation.start_meeting", {"table_id": table}, bert)
    await do("participation.close_meeting", {"table_id": table}, bert)
    # Published: status still changes, the rest no longer.
    refused = await do(
        "participation.update_action_point", {"action_point_id": point, "status": "done", "what": "iets anders"}, ann
    )
    assert refused.code() == "only_status_after_publication"
    assert (await do("participation.update_action_point", {"action_point_id": point, "status": "help"}, ann)).applied
    assert (await do("participation.update_action_point", {"action_point_id": point, "status": "done"}, carl)).applied
    assert (
        await do("participation.update_action_point", {"action_point_id": point, "status": "done"}, stranger)
    ).code() == "not_participant"
    bad_status = await do("participation.update_action_point", {"action_point_id": point, "status": "gone"}, carl)
    assert bad_status.code("status") == "invalid_value"
    row = await ActionPoint.select().where(ActionPoint.id == point).first()
    assert row["status"] == "done" and row["what"] == "Twee offertes vragen"
    history = [
        (c["field"], c["old"], c["new"]) for c in await ActionPointChange.select().order_by(ActionPointChange.id)
    ]
    assert history == [
        ("status", "open", "doing"),
        ("what", "Offerte vragen", "Twee offertes vragen"),
        ("status", "doing", "help"),
        ("status", "help", "done"),
    ]
    points = await actions_of(table)
    assert [len(p["history"]) for p in points] == [4, 0] and points[1]["who_text"] == "Mieke (HR)"
