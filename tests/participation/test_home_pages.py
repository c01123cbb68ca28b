"""The worker's participation home, the wallet history, leaving and the
removal page, over HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.storage.participation import ActionPoint, CoinEntry, Departure, Goal, ParticipationTable
from app.storage.tables import Organisation
from tests.support.factories import grant, login
from tests.support.participation import do, open_table, person, world
from tests.support.registration import english, post


async def _signed_in(client, email: str) -> None:
    english(client)
    assert (await login(client, email)).status_code == 303


async def test_the_home_shows_wallet_tables_meetings_action_points_goal_and_help(client):
    now = datetime.now(UTC)
    w = await world()
    ann = await person("ann@example.be", w.org, w.early, display_name="Ann Peeters")
    bob = await person("bob@example.be", w.org, w.early)
    lia = await person("lia@example.be", w.org, w.late)
    mine = (await open_table(ann, w.room, title="Pauzeruimte")).ids["table_id"]
    joinable = (await open_table(bob, w.room, title="Nieuwe handschoenen")).ids["table_id"]
    (await open_table(lia, w.room, title="Geheim van Laat")).ids["table_id"]
    invited = (await open_table(bob, w.room, title="Uitnodiging")).ids["table_id"]
    await do("participation.invite", {"table_id": invited, "user_id": ann}, bob)
    await ParticipationTable.update(
        {ParticipationTable.phase: "planned", ParticipationTable.starts_at: now, ParticipationTable.place: "Kantine"}
    ).where(ParticipationTable.id == mine)
    await ActionPoint.insert(
        ActionPoint(table=mine, what="Offerte vragen", who=ann, status="open", created_at=now, updated_at=now)
    )
    today = date.today()
    await Goal.insert(
        Goal(
            organisation=w.org,
            title="Tien overleggen",
            target_coins=40,
            reward="Een ontbijt",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=30),
            created_at=now,
        )
    )
    await _signed_in(client, "ann@example.be")
    page = await client.get("/participation")
    assert page.status_code == 200
    text = page.text
    assert "Your coins" in text and ">7<" in text  # 10 minus the table price
    assert "Pauzeruimte" in text and "Kantine" in text  # my meeting, with its place
    assert "Nieuwe handschoenen" in text  # open to join
    assert "Geheim van Laat" not in text  # another subgroup's table
    assert "Tables you are invited to" in text and "Uitnodiging" in text
    assert "Offerte vragen" in text and f"/participation/tables/{mine}" in text
    assert "Tien overleggen" in text and "0 of 40 coins" in text and "Een ontbijt" in text
    for path in ("/participation/rules", "/participation/faq", "/participation/ambassador"):
        assert path in text
    assert f'/participation/tables/{joinable}"' in text
    # HTMX asks for the fragment only.
    fragment = await client.get("/participation", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "Your coins" in fragment.text


async def test_the_wallet_page_lists_coin_movements_with_their_reasons(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(bob, w.room, title="Pauzeruimte")).ids["table_id"]
    await do("participation.buy_chair", {"table_id": table}, ann)
    await do("participation.give_back_chair", {"table_id": table}, ann)
    await _signed_in(client, "ann@example.be")
    page = await client.get("/participation/wallet")
    assert page.status_code == 200
    for label in ("Coins of the new period", "Bought a chair", "Coins given back", "Pauzeruimte", "-1", "+1", "+10"):
        assert label in page.text, label


async def test_an_organisation_chooser_for_people_in_two_organisations_and_404_for_others(client):
    w = await world()
    other = await world(slug="elders")
    third = await world(slug="derde")
    await Organisation.update({Organisation.name: "Elders NV"}).where(Organisation.id == other.org)
    ann = await person("ann@example.be", w.org, w.early)
    await grant(ann, "worker", other.org, other.early)
    await open_table(ann, other.room, title="Elders tafel")
    await _signed_in(client, "ann@example.be")
    page = await client.get("/participation")
    assert 'name="organisation"' in page.text and "Elders NV" in page.text
    chosen = await client.get(f"/participation?organisation={other.org}")
    assert chosen.status_code == 200 and "Elders tafel" in chosen.text
    for bad in (third.org, 2**31 - 1):
        assert (await client.get(f"/participation?organisation={bad}")).status_code == 404, bad


async def test_leaving_and_coming_back_through_the_pages(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bob = await person("bob@example.be", w.org, w.early)
    table = (await open_table(bob, w.room)).ids["table_id"]
    await do("participation.buy_chair", {"table_id": table}, ann)
    await _signed_in(client, "ann@example.be")
    response = await post(client, "/participation/leave", {"organisation_id": str(w.org)})
    assert response.status_code == 303
    assert await Departure.count() == 1
    page = await client.get("/participation")
    assert "You left participation here" in page.text and "Take part again" in page.text
    assert (await post(client, f"/participation/tables/{table}/chairs")).status_code == 404
    assert await post(client, "/participation/rejoin", {"organisation_id": str(w.org)})
    assert await Departure.count() == 0
    assert "Your coins" in (await client.get("/participation")).text
    # Leaving another organisation's participation: nothing happens.
    other = await world(slug="elders")
    await post(client, "/participation/leave", {"organisation_id": str(other.org)})
    assert await Departure.count() == 0


async def test_an_admin_removes_a_colleague_who_left_the_job(client):
    w = await world()
    await person("admin@example.be", w.org, None, role="org_admin")
    ann = await person("ann@example.be", w.org, w.early, display_name="Ann Peeters")
    await open_table(ann, w.room)
    await _signed_in(client, "admin@example.be")
    page = await client.get(f"/participation/people?organisation={w.org}")
    assert page.status_code == 200 and "Ann Peeters" in page.text
    # Nobody chosen: the form again, nothing changed.
    response = await post(
        client, f"/participation/people/remove?organisation={w.org}", {"organisation_id": str(w.org), "user_id": ""}
    )
    assert response.status_code == 422 and "Choose a person from the list." in response.text
    assert await Departure.count() == 0
    response = await post(
        client,
        f"/participation/people/remove?organisation={w.org}",
        {"organisation_id": str(w.org), "user_id": str(ann)},
    )
    assert response.status_code == 303
    assert await Departure.count() == 1
    refunds = await CoinEntry.select(CoinEntry.amount).where(CoinEntry.reason == "refund")
    assert [row["amount"] for row in refunds] == [3]
    # A worker has no removal page.
    client.cookies.clear()
    await person("bob@example.be", w.org, w.early)
    await _signed_in(client, "bob@example.be")
    assert (await client.get("/participation/people")).status_code == 403
