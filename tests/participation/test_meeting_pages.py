"""The meeting page over HTTP: by phase, the schedule form (dd/mm/yyyy and
HH:MM Brussels), the roles, agenda, start, live minutes (fragment for HTMX,
the page otherwise), autosave with conflicts, action points, close,
visibility, outcome; refusals inline with 422 and values kept; another
organisation's table 404; the calendar page and feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from app.domain.participation import calendar
from app.i18n import TIMEZONE
from app.storage.participation import ActionPoint, AgendaPoint, Minutes, ParticipationTable
from tests.participation.test_meetings import table_with_chairs
from tests.support.factories import login
from tests.support.participation import do, open_table, person, world
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"
HTMX = {"HX-Request": "true"}


async def _as(client, email: str):
    client.cookies.clear()
    english(client)
    assert (await login(client, email, PASSWORD)).status_code == 303


async def _table(table_id: int) -> dict:
    return await ParticipationTable.select().where(ParticipationTable.id == table_id).first()


async def _roles():
    w, ann, table, (bert, carl) = await table_with_chairs(2)
    await do("participation.choose_roles", {"table_id": table, "moderator_id": bert, "note_taker_id": carl}, ann)
    return w, ann, table, bert, carl


async def test_schedule_form_takes_a_belgian_date_and_time(client):
    _w, _ann, table, _ = await table_with_chairs(2)
    await _as(client, "ann@example.be")
    page = await client.get(f"/participation/tables/{table}/meeting")
    assert page.status_code == 200 and "Set the date and place" in page.text
    day = (datetime.now(TIMEZONE) + timedelta(days=20)).date()
    response = await post(
        client,
        f"/participation/tables/{table}/meeting/schedule",
        {"date": day.strftime("%d/%m/%Y"), "time": "14:00", "place": "Kantine", "duration": "90"},
    )
    assert response.status_code == 303, response.text
    row = await _table(table)
    assert row["starts_at"] == datetime(day.year, day.month, day.day, 14, 0, tzinfo=TIMEZONE)
    assert row["phase"] == "planned" and row["duration_minutes"] == 90
    page = await client.get(f"/participation/tables/{table}/meeting")
    assert "Kantine" in page.text and "Change the date or place" in page.text
    assert 'value="14:00"' in page.text and day.strftime("%d/%m/%Y") in page.text


async def test_a_past_date_or_bad_input_is_refused_inline_with_values_kept(client):
    _w, _ann, table, _ = await table_with_chairs(2)
    await _as(client, "ann@example.be")
    yesterday = (datetime.now(TIMEZONE) - timedelta(days=1)).strftime("%d/%m/%Y")
    response = await post(
        client,
        f"/participation/tables/{table}/meeting/schedule",
        {"date": yesterday, "time": "10:00", "place": "Zaal ‮ 1"},
    )
    assert response.status_code == 422
    assert "This moment has already passed." in response.text
    assert f'value="{yesterday}"' in response.text and 'href="#schedule-date"' in response.text
    bad = await post(
        client, f"/participation/tables/{table}/meeting/schedule", {"date": "31/02/2027", "time": "25:00", "place": "x"}
    )
    assert bad.status_code == 422 and bad.text.count("Enter a date and a time") >= 2
    nul = await post(
        client,
        f"/participation/tables/{table}/meeting/schedule",
        {"date": "01/01/2030", "time": "10:00", "place": "a\x00b"},
    )
    assert nul.status_code in (303, 422)
    huge = await post(
        client,
        f"/participation/tables/{table}/meeting/schedule",
        {"date": "01/01/2030", "time": "10:00", "place": "x" * 5000},
    )
    assert huge.status_code == 422
    row = await _table(table)
    assert row["phase"] in ("proposed", "planned") and (row["starts_at"] is None or row["place"] == "ab")


async def test_another_organisation_gets_404_and_another_subgroup_a_clear_message(client):
    w, _ann, table, _ = await table_with_chairs(0)
    other = await world(slug="andere")
    await person("eve@andere.be", other.org, other.early)
    await person("laat@example.be", w.org, w.late)
    await _as(client, "eve@andere.be")
    assert (await client.get(f"/participation/tables/{table}/meeting")).status_code == 404
    assert (await client.get(f"/participation/tables/{table}/meeting/minutes", headers=HTMX)).status_code == 404
    assert (await post(client, f"/participation/tables/{table}/meeting/close")).status_code == 404
    assert (await client.get("/participation/tables/99999999/meeting")).status_code == 404
    await _as(client, "laat@example.be")
    page = await client.get(f"/participation/tables/{table}/meeting")
    assert page.status_code == 403 and "subgroup you cannot see" in page.text and "Pauzeruimte" not in page.text


async def test_the_whole_meeting_flow_over_http(client):
    w, _ann, table, bert, _carl = await _roles()
    base = f"/participation/tables/{table}/meeting"
    # The opener adds agenda points; the moderator orders them.
    await _as(client, "ann@example.be")
    for text in ("Pauzes", "Stoelen"):
        assert (await post(client, f"{base}/agenda", {"text": text})).status_code == 303
    empty = await post(client, f"{base}/agenda", {"text": "  "})
    assert empty.status_code == 422 and "Write the agenda point." in empty.text
    # The opener is not the note-taker: a clear message, nothing saved.
    refused = await post(client, f"{base}/minutes", {"body": "van Ann", "version": "0"})
    assert refused.status_code == 422 and "only they edit them" in refused.text
    assert await Minutes.count() == 0
    page = await client.get(base)
    assert 'id="minutes-live"' in page.text and 'hx-trigger="every 3s"' in page.text

    await _as(client, "chair0@example.be")  # Bert, the moderator
    [second] = await AgendaPoint.select(AgendaPoint.id).where(AgendaPoint.text == "Stoelen")
    assert (await post(client, f"{base}/agenda/{second['id']}/move", {"direction": "up"})).status_code == 303
    assert [r["text"] for r in await AgendaPoint.select().order_by(AgendaPoint.position)] == ["Stoelen", "Pauzes"]
    assert (await post(client, f"{base}/start")).status_code == 303
    page = await client.get(base)
    assert "Checklist for the moderator" in page.text and "Involve everyone" in page.text
    assert "Time left until the planned end" in page.text or "planned end has passed" in page.text

    # The note-taker writes; the template has the headings and the agenda.
    await _as(client, "chair1@example.be")
    page = await client.get(base)
    assert 'id="minutes-body"' in page.text and "## Present" in page.text and "## 1. Stoelen" in page.text
    assert "keyup changed delay:1s from:#minutes-body" in page.text and "queue last" in page.text
    saved = await post(client, f"{base}/minutes", {"body": "## Present\n- Ann", "version": "0"})
    assert saved.status_code == 303
    autosave = await client.post(
        f"{base}/minutes",
        data={"body": "## Present\n- Ann\n- Bert", "version": "1", "_csrf_token": client.cookies["werkpas_csrf"]},
        headers=HTMX,
    )
    assert autosave.status_code == 200 and 'name="version" value="2"' in autosave.text and "<html" not in autosave.text
    # A stale save: both texts are shown, nothing overwritten.
    stale = await post(client, f"{base}/minutes", {"body": "mijn eigen versie", "version": "1"})
    assert stale.status_code == 422
    assert "mijn eigen versie" in stale.text and "- Bert" in stale.text and "Save my merged text" in stale.text
    # Autosaves from the conflict page stay on the old version: refused, not written over.
    assert 'name="version" value="1"' in stale.text and 'name="seen_version" value="2"' in stale.text
    stale_htmx = await client.post(
        f"{base}/minutes",
        data={"body": "nog eens", "version": "1", "_csrf_token": client.cookies["werkpas_csrf"]},
        headers=HTMX,
    )
    assert (
        stale_htmx.status_code == 422
        and "- Bert" in stale_htmx.text
        and 'name="seen_version" value="2"' in stale_htmx.text
    )
    assert (await Minutes.select().first())["body"] == "## Present\n- Ann\n- Bert"
    merged = await post(
        client, f"{base}/minutes", {"body": "samengevoegd", "version": "1", "seen_version": "2", "resolve": "1"}
    )
    assert merged.status_code == 303
    assert (await Minutes.select().first())["body"] == "samengevoegd"

    # The others see the live fragment (HTMX) or the page (a normal request).
    await _as(client, "ann@example.be")
    fragment = await client.get(f"{base}/minutes", headers=HTMX)
    assert fragment.status_code == 200 and "samengevoegd" in fragment.text and "<html" not in fragment.text
    full = await client.get(f"{base}/minutes")
    assert "<html" in full.text and "samengevoegd" in full.text

    # Action points: a bad date is refused inline, a good one is added.
    bad = await post(
        client, f"{base}/actions", {"what": "Offerte", "who": str(bert), "due": "32/13/2027", "status": "open"}
    )
    assert bad.status_code == 422 and "Enter a real date" in bad.text and 'value="Offerte"' in bad.text
    good = await post(
        client, f"{base}/actions", {"what": "Offerte", "who": str(bert), "due": "15/01/2027", "status": "open"}
    )
    assert good.status_code == 303
    [point] = await ActionPoint.select()
    assert point["who"] == bert and point["due_on"].isoformat() == "2027-01-15"

    # Close (the moderator), then the published minutes are read-only.
    await _as(client, "chair0@example.be")
    assert (await post(client, f"{base}/close")).status_code == 303
    page = await client.get(base)
    assert "Published on" in page.text and 'id="minutes-body"' not in page.text and "every 3s" not in page.text
    assert f"/participation/tables/{table}/evaluation" in page.text
    again = await post(client, f"{base}/close")
    assert again.status_code == 422 and "no longer takes changes" in again.text
    # The action point's status still changes, with history.
    changed = await post(client, f"{base}/actions/{point['id']}", {"status": "help"})
    assert changed.status_code == 303
    page = await client.get(base)
    assert "History (1 changes)" in page.text and "Help needed" in page.text
    # Visibility and outcome.
    assert (await post(client, f"{base}/visibility", {"visibility": "participants"})).status_code == 303
    assert (await _table(table))["visibility"] == "participants"
    long_outcome = "Nieuwe stoelen besteld. " * 100
    assert (await post(client, f"{base}/outcome", {"outcome": long_outcome})).status_code == 303
    assert (await _table(table))["outcome"] == long_outcome.strip()
    # A colleague of the subgroup without a seat no longer reads the minutes.
    await person("dirk@example.be", w.org, w.early)
    await _as(client, "dirk@example.be")
    page = await client.get(base)
    assert page.status_code == 200 and "not shared with you" in page.text and "samengevoegd" not in page.text


async def test_start_without_enough_chairs_is_refused_on_the_page(client):
    _w, _ann, table, _ = await table_with_chairs(1)
    await _as(client, "ann@example.be")
    response = await post(client, f"/participation/tables/{table}/meeting/start")
    assert response.status_code == 422 and "at least 2 chair holders" in response.text
    assert (await _table(table))["phase"] == "proposed"


async def test_calendar_page_and_feed(client):
    _w, ann, table, _ = await table_with_chairs(0)
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    await do("participation.schedule_meeting", {"table_id": table, "starts_at": starts.isoformat(), "place": "K"}, ann)
    await _as(client, "ann@example.be")
    page = await client.get("/participation/calendar")
    assert page.status_code == 200 and "Make my calendar address" in page.text
    assert (await post(client, "/participation/calendar/reset")).status_code == 303
    page = await client.get("/participation/calendar")
    address = re.search(r'id="calendar-address" value="([^"]+)"', page.text)[1]
    path = address.replace("http://testserver.local", "")
    client.cookies.clear()  # a calendar program has no session
    feed = await client.get(path)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(feed.text).walk("VEVENT")
    assert str(event["UID"]) == calendar.uid_of(table) and event.decoded("DTSTART") == starts
    assert (await client.get(path.replace(".ics", "x.ics"))).status_code == 404
    assert (await client.get(path[: -len(".ics")])).status_code == 404
    assert (await client.get("/participation/calendar/1-abc.ics")).status_code == 404
    # Reset: the old address stops working.
    await _as(client, "ann@example.be")
    await post(client, "/participation/calendar/reset")
    client.cookies.clear()
    assert (await client.get(path)).status_code == 404


async def test_a_refused_form_that_is_not_drawn_shows_its_message_at_the_top(client):
    _w, _ann, table, _bert, _carl = await _roles()
    await _as(client, "ann@example.be")  # the opener, no longer the one who sets the date
    response = await post(
        client, f"/participation/tables/{table}/meeting/schedule", {"date": "01/01/2031", "time": "10:00", "place": "K"}
    )
    assert response.status_code == 422 and "Only the moderator sets the date" in response.text
    guest = await post(client, f"/participation/tables/{table}/meeting/guests", {"email": "x@example.be"})
    assert guest.status_code == 422 and "Only the moderator or an ambassador adds a guest." in guest.text
    assert (await _table(table))["starts_at"] is None


async def test_odd_input_never_gets_a_server_error(client):
    _w, _ann, table, _bert, _carl = await _roles()
    base = f"/participation/tables/{table}/meeting"
    await _as(client, "chair1@example.be")  # the note-taker
    for data in (
        {"body": "x", "version": "²"},
        {"body": "x", "version": "99999999999999"},
        {"body": "x" * 60_000, "version": "0"},
    ):
        response = await post(client, f"{base}/minutes", data)
        assert response.status_code == 422, data
    assert await Minutes.count() == 0
    # NUL bytes are dropped from form text (PostgreSQL refuses them), the rest is kept.
    assert (await post(client, f"{base}/minutes", {"body": "a\x00b ‮ 🧾", "version": "0"})).status_code == 303
    assert (await Minutes.select().first())["body"] == "ab ‮ 🧾"
    for data in ({"what": "x", "who": "²", "due": "١٢/٠١/٢٠٢٧"}, {"what": "\x00" * 10, "who": "9999999999"}):  # noqa: RUF001
        assert (await post(client, f"{base}/actions", data)).status_code == 422
    assert (await post(client, f"{base}/roles", {"moderator_id": "²", "note_taker_id": "𝟙"})).status_code in (303, 422)  # noqa: RUF001
    assert (
        await post(client, f"{base}/schedule", {"date": "١٥/١٢/٢٠٣٠", "time": "١٤:٠٠", "place": "K"})  # noqa: RUF001
    ).status_code == 422
    assert (await post(client, f"{base}/schedule", {"moment": "²|morgen", "place": "K"})).status_code == 422
    assert (await post(client, f"{base}/agenda/99999999999/move", {"direction": "up"})).status_code == 404
    assert (await post(client, f"{base}/agenda", {"text": "🪑" * 301})).status_code == 422
    client.cookies.clear()
    for token in ("99999999999-abc.ics", "²-abc.ics", "-.ics", "x" * 500 + ".ics"):
        assert (await client.get(f"/participation/calendar/{token}")).status_code == 404


async def test_the_live_fragment_respects_who_reads_the_minutes(client):
    w, _ann, table, bert, carl = await _roles()
    await do("participation.save_minutes", {"table_id": table, "body": "geheim verslag", "version": 0}, carl)
    await do("participation.set_minutes_visibility", {"table_id": table, "visibility": "participants"}, bert)
    await person("dirk@example.be", w.org, w.early)
    await _as(client, "dirk@example.be")
    fragment = await client.get(f"/participation/tables/{table}/meeting/minutes", headers=HTMX)
    assert fragment.status_code == 200 and "geheim" not in fragment.text and "not shared with you" in fragment.text
    await _as(client, "ann@example.be")
    fragment = await client.get(f"/participation/tables/{table}/meeting/minutes", headers=HTMX)
    assert "geheim verslag" in fragment.text and 'hx-trigger="every 3s"' in fragment.text
    await person("laat@example.be", w.org, w.late)
    await _as(client, "laat@example.be")
    assert (await client.get(f"/participation/tables/{table}/meeting/minutes", headers=HTMX)).status_code == 403


async def test_moment_roles_guest_and_agenda_removal_through_the_forms(client):
    from app.storage.participation import ConsultationMoment, Seat

    w, _ann, table, (bert, carl) = await table_with_chairs(2)
    await ConsultationMoment.insert(
        ConsultationMoment(
            organisation=w.org,
            weekday=1,
            nth=0,
            time="14:00",
            duration_minutes=45,
            place="Refter",
            created_at=datetime.now(UTC),
        )
    )
    await person("coach@elders.be", w.org, None)
    await _as(client, "ann@example.be")
    base = f"/participation/tables/{table}/meeting"
    page = await client.get(base)
    option = re.search(r'<option value="(\d+\|[^"]+)">([^<]+Refter)</option>', page.text)
    assert option, "the fixed moments are offered"
    assert (
        await post(client, f"{base}/schedule", {"moment": option[1], "place": "", "date": "", "time": ""})
    ).status_code == 303
    row = await _table(table)
    assert (
        row["place"] == "Refter" and row["duration_minutes"] == 45 and row["starts_at"].astimezone(TIMEZONE).hour == 14
    )
    same = await post(client, f"{base}/roles", {"moderator_id": str(bert), "note_taker_id": str(bert)})
    assert same.status_code == 422 and "two different people" in same.text
    assert (
        await post(client, f"{base}/roles", {"moderator_id": str(bert), "note_taker_id": str(carl)})
    ).status_code == 303
    assert (await _table(table))["moderator"] == bert
    await post(client, f"{base}/agenda", {"text": "Weg ermee"})
    [point] = await AgendaPoint.select(AgendaPoint.id)
    await _as(client, "chair0@example.be")
    assert (await post(client, f"{base}/guests", {"email": "coach@elders.be"})).status_code == 303
    assert await Seat.count().where((Seat.table == table) & (Seat.role == "guest")) == 1
    page = await client.get(base)
    assert "Coach (guest)" in page.text
    assert (await post(client, f"{base}/agenda/{point['id']}/remove")).status_code == 303
    assert await AgendaPoint.count() == 0


async def test_an_outside_guest_reads_the_page_of_their_table_only(client):
    w, ann, table, bert, _carl = await _roles()
    other = await world(slug="coaching")
    await person("coach@elders.be", other.org, other.early)  # takes part elsewhere
    assert (await do("participation.add_guest", {"table_id": table, "email": "coach@elders.be"}, bert)).applied
    await _as(client, "coach@elders.be")
    page = await client.get(f"/participation/tables/{table}/meeting")
    assert page.status_code == 200 and "Pauzeruimte" in page.text
    assert "Save the minutes" not in page.text and "Start the meeting" not in page.text
    assert (await client.get(f"/participation/tables/{table}/meeting/minutes", headers=HTMX)).status_code == 200
    assert (await post(client, f"/participation/tables/{table}/meeting/close")).status_code == 404
    # Another table of that organisation stays unknown to them.
    second = (await open_table(ann, w.room, title="Andere tafel")).ids["table_id"]
    assert (await client.get(f"/participation/tables/{second}/meeting")).status_code == 404
