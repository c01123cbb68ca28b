"""Opening a table and a table's page over HTTP: chairs, give back,
cancel, invitations, the thread, practice tables; bad input and forged ids."""

from __future__ import annotations

from app.storage.participation import CoinEntry, ParticipationTable, Seat, TableInvite, TableMessage
from tests.support.factories import login
from tests.support.participation import do, open_table, person, world
from tests.support.registration import english, post


async def _signed_in(client, email: str) -> None:
    client.cookies.clear()
    english(client)
    assert (await login(client, email)).status_code == 303


async def test_a_worker_opens_a_table_and_a_colleague_buys_a_chair(client):
    w = await world()
    await person("ann@example.be", w.org, w.early, display_name="Ann Peeters")
    await person("bob@example.be", w.org, w.early, display_name="Bob Maes")
    await _signed_in(client, "ann@example.be")
    form = await client.get("/participation/tables/new")
    assert form.status_code == 200
    assert "Opening a table costs 3 coins; you have 10." in form.text
    assert "Practice table (play coins)" in form.text and "On behalf of a colleague" not in form.text
    response = await post(
        client,
        "/participation/tables/new",
        {
            "room_id": str(w.room),
            "title": "Pauzeruimte",
            "about": "Te klein\nvoor twee ploegen.",
            "why": "",
            "preferred_moments": "Na de vroege ploeg",
        },
    )
    assert response.status_code == 303
    [table] = await ParticipationTable.select()
    assert response.headers["location"] == f"/participation/tables/{table['id']}"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Pauzeruimte" in page.text and "Opened by Ann Peeters." in page.text
    assert "Needs 2 more chairs to be held." in page.text and "our choice" in page.text
    assert "Na de vroege ploeg" in page.text and f"/participation/tables/{table['id']}/meeting" in page.text

    await _signed_in(client, "bob@example.be")
    page = await client.get(f"/participation/tables/{table['id']}")
    assert "Buy a chair for 1 coin" in page.text
    assert (await post(client, f"/participation/tables/{table['id']}/chairs")).status_code == 303
    page = await client.get(f"/participation/tables/{table['id']}")
    assert "You have a chair at this table." in page.text and "Needs 1 more chair to be held." in page.text
    assert "Give back my chair" in page.text
    # A second buy: refused with a message, nothing charged.
    again = await post(client, f"/participation/tables/{table['id']}/chairs")
    assert again.status_code == 422 and "You already have a seat at this table." in again.text
    assert await Seat.count().where(Seat.role == "chair") == 1
    # The thread, oldest first.
    assert (
        await post(client, f"/participation/tables/{table['id']}/messages", {"body": "Dinsdag?"})
    ).status_code == 303
    await _signed_in(client, "ann@example.be")
    await post(client, f"/participation/tables/{table['id']}/messages", {"body": "Goed!"})
    page = await client.get(f"/participation/tables/{table['id']}")
    assert page.text.index("Dinsdag?") < page.text.index("Goed!")
    # Bob gives back; Ann cancels: everyone has their coins back.
    await _signed_in(client, "bob@example.be")
    assert (await post(client, f"/participation/tables/{table['id']}/give-back")).status_code == 303
    await _signed_in(client, "ann@example.be")
    assert (await post(client, f"/participation/tables/{table['id']}/cancel")).status_code == 303
    total = sum(row["amount"] for row in await CoinEntry.select(CoinEntry.amount))
    assert total == 20
    closed = await post(client, f"/participation/tables/{table['id']}/messages", {"body": "Nog iets"})
    assert closed.status_code == 422 and "no longer takes changes" in closed.text


async def test_bad_input_is_refused_inline_with_the_values_kept(client):
    w = await world()
    await person("ann@example.be", w.org, w.early)
    await _signed_in(client, "ann@example.be")
    response = await post(
        client,
        "/participation/tables/new",
        {"room_id": "", "title": "  ", "about": "Iets \u202eomgekeerd\u202c", "why": "x" * 4500},
    )
    assert response.status_code == 422
    assert "Choose a room from the list." in response.text
    assert "omgekeerd" in response.text  # kept in the form
    both = await post(client, "/participation/tables/new", {"room_id": str(w.room), "title": " ", "about": ""})
    assert both.status_code == 422
    assert "Give the table a title." in both.text and "Say what the table is about." in both.text
    assert 'href="#table-title"' in both.text and 'aria-invalid="true"' in both.text
    long = await post(
        client, "/participation/tables/new", {"room_id": str(w.room), "title": "T", "about": "A", "why": "x" * 4500}
    )
    assert long.status_code == 422 and "Use at most 4000 characters." in long.text
    assert "x" * 4500 in long.text  # the text is kept whole, not cut
    nul = await post(
        client,
        "/participation/tables/new",
        {"room_id": str(w.room), "title": "Pauze\x00ruimte", "about": "Over\x00de pauze"},
    )
    assert nul.status_code == 303  # NUL bytes are dropped at the edge
    [table] = await ParticipationTable.select()
    assert table["title"] == "Pauzeruimte" and "\x00" not in table["about"]
    odd = await post(
        client,
        "/participation/tables/new",
        {
            "room_id": str(w.room),
            "title": "\u0396\u0338\u0322a\u0334l\u0337g\u0336o 🍺 " + "\ufdfa" * 3,
            "about": "\u200b\u200d",
        },
    )
    assert odd.status_code == 303
    page = await client.get(odd.headers["location"])
    assert page.status_code == 200 and "🍺" in page.text
    huge = await post(client, "/participation/tables/new", {"room_id": str(w.room), "title": "T" * 300, "about": "A"})
    assert huge.status_code == 422 and "Use at most 200 characters." in huge.text
    assert await ParticipationTable.count() == 2


async def test_not_enough_coins_full_and_closed_tables_say_so(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    await person("bob@example.be", w.org, w.early)
    for n in range(3):
        await open_table(ann, w.room, title=f"T{n}")
    await _signed_in(client, "ann@example.be")
    response = await post(client, "/participation/tables/new", {"room_id": str(w.room), "title": "Vier", "about": "x"})
    assert response.status_code == 422
    assert "You do not have enough coins for this: you have 1, it costs 3." in response.text
    assert 'value="Vier"' in response.text
    first = (await ParticipationTable.select(ParticipationTable.id).order_by(ParticipationTable.id).first())["id"]
    await ParticipationTable.update({ParticipationTable.max_chairs: 0}).where(ParticipationTable.id == first)
    await _signed_in(client, "bob@example.be")
    full = await post(client, f"/participation/tables/{first}/chairs")
    assert full.status_code == 422 and "This table is full" in full.text
    await ParticipationTable.update({ParticipationTable.phase: "held"}).where(ParticipationTable.id == first)
    closed = await post(client, f"/participation/tables/{first}/chairs")
    assert closed.status_code == 422 and "no longer takes changes" in closed.text
    assert await Seat.count().where(Seat.role == "chair") == 0


async def test_forged_ids_of_another_organisation_and_subgroup(client):
    w = await world()
    other = await world(slug="elders")
    ann = await person("ann@example.be", w.org, w.early)
    lia = await person("lia@example.be", w.org, w.late)
    out = await person("out@example.be", other.org, other.early)
    mine = (await open_table(ann, w.room, title="Vroeg")).ids["table_id"]
    late = (await open_table(lia, w.room, title="Laat geheim")).ids["table_id"]
    theirs = (await open_table(out, other.room, title="Van elders")).ids["table_id"]
    await _signed_in(client, "ann@example.be")
    # Another organisation: plain 404, nothing learned.
    response = await client.get(f"/participation/tables/{theirs}")
    assert response.status_code == 404 and "Van elders" not in response.text and "subgroup" not in response.text
    # Another subgroup: 404 with the not_visible message.
    response = await client.get(f"/participation/tables/{late}")
    assert response.status_code == 404 and "belongs to a subgroup you cannot see" in response.text
    assert "Laat geheim" not in response.text
    for action in ("chairs", "give-back", "cancel", "invite", "messages", "make-real"):
        data = {"user_id": str(lia), "body": "Hallo"}
        assert (await post(client, f"/participation/tables/{theirs}/{action}", data)).status_code == 404, action
        response = await post(client, f"/participation/tables/{late}/{action}", data)
        assert response.status_code == 404 and "cannot see" in response.text, action
    # Forged ids in form fields: a room of elsewhere, a colleague of elsewhere or of another subgroup.
    response = await post(client, "/participation/tables/new", {"room_id": str(other.room), "title": "X", "about": "Y"})
    assert response.status_code == 404
    response = await post(client, f"/participation/tables/{mine}/invite", {"user_id": str(out)})
    assert response.status_code == 422 and "Choose a colleague from the list." in response.text
    response = await post(client, f"/participation/tables/{mine}/invite", {"user_id": str(lia)})
    assert response.status_code == 422 and "Only an ambassador invites" in response.text
    response = await post(
        client,
        "/participation/tables/new",
        {"room_id": str(w.room), "title": "X", "about": "Y", "unit_id": str(other.early)},
    )
    assert response.status_code == 422 and "Only an ambassador opens a table for another subgroup." in response.text
    for bad in ("99999999999", "0", "-1"):
        assert (await client.get(f"/participation/tables/{bad}")).status_code == 404
    assert await TableInvite.count() == 0 and await TableMessage.count() == 0
    assert await ParticipationTable.count() == 3


async def test_an_ambassador_opens_on_behalf_and_invites_across_subgroups(client):
    w = await world()
    await person("amb@example.be", w.org, w.early, role="ambassador", display_name="Amber Bosman")
    ann = await person("ann@example.be", w.org, w.early, display_name="Ann Peeters")
    lia = await person("lia@example.be", w.org, w.late, display_name="Lia Laat")
    await _signed_in(client, "amb@example.be")
    form = await client.get("/participation/tables/new")
    assert "On behalf of a colleague" in form.text and "Ploeg Laat" in form.text
    response = await post(
        client,
        "/participation/tables/new",
        {
            "room_id": str(w.room),
            "title": "Idee op papier",
            "about": "Van de ideeënbus",
            "author_id": str(ann),
            "channel": "paper",
            "unit_id": str(w.late),
        },
    )
    assert response.status_code == 303, response.text
    [table] = await ParticipationTable.select()
    assert (table["opener"], table["opened_by"], table["channel"], table["unit"]) == (
        ann,
        table["opened_by"],
        "paper",
        w.late,
    )
    page = await client.get(response.headers["location"])
    assert "Opened by Ann Peeters." in page.text and "Opened by Amber Bosman on behalf, on paper." in page.text
    response = await post(client, f"/participation/tables/{table['id']}/invite", {"user_id": str(lia)})
    assert response.status_code == 303
    assert await TableInvite.count() == 1


async def test_a_practice_table_is_marked_and_can_be_made_real(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    await _signed_in(client, "ann@example.be")
    response = await post(
        client,
        "/participation/tables/new",
        {"room_id": str(w.room), "title": "Oefentafel", "about": "Introductie", "practice": "1"},
    )
    assert response.status_code == 303
    [table] = await ParticipationTable.select()
    assert table["practice"] is True
    page = await client.get(response.headers["location"])
    assert "practice table for an introduction session" in page.text and "Make it a real table" in page.text
    await _signed_in(client, "bob@example.be")
    page = await client.get(response.headers["location"])
    assert "Buy a chair for 1 play coin" in page.text
    # The page said practice; meanwhile the table became real: no real coins are taken.
    assert (await do("participation.make_real", {"table_id": table["id"]}, ann)).applied
    refused = await post(client, f"/participation/tables/{table['id']}/chairs", {"practice": "1"})
    assert refused.status_code == 422 and "Play coins are for practice tables only" in refused.text
    assert await Seat.count().where(Seat.user == bob) == 0
