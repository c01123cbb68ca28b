"""The organisation page: tables by phase as far as one may see them, and
the search over published minutes with pagination."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.storage.participation import Evaluation, Minutes, ParticipationSettings, ParticipationTable
from tests.support.factories import login
from tests.support.participation import open_table, person, world
from tests.support.registration import english


async def _phase(table_id: int, phase: str, **values) -> None:
    await ParticipationTable.update({ParticipationTable.phase: phase, **values}).where(
        ParticipationTable.id == table_id
    )


async def _minutes(table_id: int, body: str, published: bool = True, at: datetime | None = None) -> None:
    now = at or datetime.now(UTC)
    await Minutes.insert(Minutes(table=table_id, body=body, updated_at=now, published_at=now if published else None))


async def _rich(org: int) -> None:
    await ParticipationSettings.insert(
        ParticipationSettings(organisation=org, coins_per_period=100, updated_at=datetime.now(UTC))
    )


async def _signed_in(client, email: str) -> None:
    client.cookies.clear()
    english(client)
    assert (await login(client, email)).status_code == 303


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("<section", start)
    return text[start : end if end > 0 else len(text)]


async def test_tables_by_phase_evaluated_apart_and_other_subgroups_hidden(client):
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    lia = await person("lia@example.be", w.org, w.late)
    proposed = (await open_table(ann, w.room, title="Voorstel")).ids["table_id"]
    planned = (await open_table(ann, w.room, title="Gepland")).ids["table_id"]
    held = (await open_table(ann, w.room, title="Gehouden")).ids["table_id"]
    evaluated = (await open_table(ann, w.room, title="Geëvalueerd")).ids["table_id"]
    cancelled = (await open_table(ann, w.room, title="Geschrapt")).ids["table_id"]
    (await open_table(lia, w.room, title="Van Ploeg Laat")).ids["table_id"]
    await _phase(planned, "planned", starts_at=datetime.now(UTC) + timedelta(days=3), place="Refter")
    await _phase(held, "held")
    await _phase(evaluated, "held")
    await _phase(cancelled, "cancelled")
    now = datetime.now(UTC)
    await Evaluation.insert(
        Evaluation(
            table=evaluated,
            user=ann,
            organisation=w.org,
            process=80,
            satisfaction=4,
            heard=True,
            opinion=True,
            expected=True,
            drifted=False,
            duration=50,
            created_at=now,
            updated_at=now,
        )
    )
    await _signed_in(client, "ann@example.be")
    page = await client.get("/participation/organisation")
    assert page.status_code == 200
    text = page.text
    assert "Voorstel" in _section(text, "Looking for chairs")
    assert "Gepland" in _section(text, "Date set") and "Refter" in _section(text, "Date set")
    assert "Gehouden" in _section(text, "Held, waiting for evaluations")
    assert "Geëvalueerd" in _section(text, "Held and evaluated") and "Geëvalueerd" not in _section(
        text, "Held, waiting for evaluations"
    )
    assert "<details" in text and "Geschrapt" in text[text.index("<details") :]
    assert "Van Ploeg Laat" not in text
    assert proposed


async def test_minutes_search_finds_words_in_title_or_text_respecting_visibility(client):
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    lia = await person("lia@example.be", w.org, w.late)
    pause = (await open_table(ann, w.room, title="Pauzeruimte")).ids["table_id"]
    gloves = (await open_table(lia, w.room, title="Handschoenen")).ids["table_id"]
    secret = (await open_table(lia, w.room, title="Alleen wij")).ids["table_id"]
    draft = (await open_table(ann, w.room, title="Ontwerp")).ids["table_id"]
    for table in (pause, gloves, secret, draft):
        await _phase(table, "held")
    await ParticipationTable.update({ParticipationTable.visibility: "participants"}).where(
        ParticipationTable.id == secret
    )
    await _minutes(pause, "We vragen een grotere koelkast 100% zeker.")
    await _minutes(gloves, "Nieuwe handschoenen voor de koelcel.")  # organisation-wide: visible to all
    await _minutes(secret, "Koelkast en loon.")
    await _minutes(draft, "Koelkast nog niet gepubliceerd.", published=False)
    await _signed_in(client, "ann@example.be")
    page = await client.get("/participation/organisation", params={"q": "koel"})
    assert "Pauzeruimte" in page.text and "Handschoenen" in page.text
    found = _section(page.text, "Published minutes")
    rest = page.text.replace(found, "")
    assert "Alleen wij" not in rest, rest[rest.find("Alleen wij") - 300 : rest.find("Alleen wij") + 50]
    assert "Alleen wij" not in found and "Ontwerp" not in found
    both = await client.get("/participation/organisation", params={"q": "KOELKAST grotere"})
    assert "Pauzeruimte" in both.text and "Handschoenen" not in _section(both.text, "Published minutes")
    title = await client.get("/participation/organisation", params={"q": "handschoen"})
    assert "Handschoenen" in _section(title.text, "Published minutes")
    literal = await client.get("/participation/organisation", params={"q": "100%"})
    assert "Pauzeruimte" in literal.text
    wildcard = await client.get("/participation/organisation", params={"q": "_"})
    assert "No published minutes match" in wildcard.text
    nothing = await client.get("/participation/organisation", params={"q": "\x00\u202e' OR 1=1 --"})
    assert nothing.status_code == 200 and "No published minutes match" in nothing.text
    # HTMX asks for the results only.
    fragment = await client.get("/participation/organisation", params={"q": "koel"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="minutes-results"' in fragment.text


async def test_minutes_are_paginated(client):
    w = await world()
    await _rich(w.org)
    ann = await person("ann@example.be", w.org, w.early)
    start = datetime.now(UTC) - timedelta(days=30)
    for n in range(12):
        table = (await open_table(ann, w.room, title=f"Overleg {n:02d}")).ids["table_id"]
        await _phase(table, "held")
        await _minutes(table, f"Verslag {n}", at=start + timedelta(days=n))
    await _signed_in(client, "ann@example.be")
    first = await client.get("/participation/organisation")
    results = _section(first.text, "Published minutes")
    assert "Overleg 11" in results and "Overleg 02" in results and "Overleg 01" not in results
    assert "Page 1 of 2" in results
    second = await client.get("/participation/organisation", params={"page": "2"})
    results = _section(second.text, "Published minutes")
    assert "Overleg 01" in results and "Overleg 00" in results and "Overleg 11" not in results
    odd = await client.get("/participation/organisation", params={"page": "999999999999"})
    assert odd.status_code == 200
