"""The set-up page /admin/participation: defaults on day one, every form a
command with inline errors (422, nothing changed), another organisation's
ids answer 404, an ambassador manages only their own organisation, and the
warning for subgroups without an active ambassador (page and panel tile)."""

from __future__ import annotations

from app.storage.participation import AmbassadorPost, ConsultationMoment, Goal, ParticipationSettings, Room
from app.storage.tables import AuditEvent, RoleGrant, User
from tests.support.factories import login, make_user
from tests.support.participation import open_table, person, world
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"


async def _admin(client, org: int, email: str = "admin@deklok.example") -> int:
    user_id = await make_user(email, role="org_admin", org=org)
    english(client)
    assert (await login(client, email, PASSWORD)).status_code == 303
    return user_id


async def test_defaults_show_on_day_one_and_the_warning_names_subgroups(client):
    w = await world()
    await _admin(client, w.org)
    page = await client.get("/admin/participation")
    assert page.status_code == 200
    text = page.text
    assert "Workplace and safety" not in text  # a Dutch organisation gets Dutch rooms
    assert "Werkplek en veiligheid" in text
    assert 'name="table_price"' in text and 'value="3"' in text
    assert "2 subgroups have no active ambassador." in text
    assert "Ploeg Vroeg" in text and "Ploeg Laat" in text
    panel = await client.get("/admin")
    assert "/admin/participation" in panel.text and "2 subgroups have no active ambassador." in panel.text


async def test_settings_are_saved_and_bad_numbers_are_refused_inline(client):
    w = await world()
    await _admin(client, w.org)
    good = {
        "table_price": "4",
        "chair_price": "2",
        "coins_per_period": "12",
        "period": "quarter",
        "refill": "add",
        "min_chairs": "3",
        "max_chairs": "8",
        "practice_coins": "5",
    }
    response = await post(client, f"/admin/participation/{w.org}/settings", good)
    assert response.status_code == 303
    row = await ParticipationSettings.select().first()
    assert (row["table_price"], row["period"], row["refill"], row["min_chairs"]) == (4, "quarter", "add", 3)
    assert await AuditEvent.exists().where(AuditEvent.type == "participation.update_settings")

    bad = {**good, "table_price": "0", "chair_price": "-1", "min_chairs": "9", "max_chairs": "4"}
    response = await post(client, f"/admin/participation/{w.org}/settings", bad)
    assert response.status_code == 422
    assert "Give a whole number from 1 to 100." in response.text
    assert "The minimum number of chairs cannot be more than the maximum." in response.text
    assert 'value="9"' in response.text  # the values are kept
    assert (await ParticipationSettings.select().first())["table_price"] == 4  # nothing changed

    above = {**good, "table_price": "20"}
    response = await post(client, f"/admin/participation/{w.org}/settings", above)
    assert response.status_code == 422 and "nobody could open one" in response.text

    nul = {**good, "period": "month\x00"}
    response = await post(client, f"/admin/participation/{w.org}/settings", nul)
    assert response.status_code in (303, 422)  # NUL is stripped by the form reader, never a 500


async def test_rooms_added_renamed_moved_and_archived_when_they_have_tables(client):
    w = await world()
    await _admin(client, w.org)
    response = await post(client, f"/admin/participation/{w.org}/rooms", {"name": "Kantine", "description": "Eten"})
    assert response.status_code == 303
    kantine = (await Room.select().where(Room.name == "Kantine").first())["id"]
    taken = await post(client, f"/admin/participation/{w.org}/rooms", {"name": "kantine"})
    assert taken.status_code == 422 and "There already is a room with this name." in taken.text
    empty = await post(client, f"/admin/participation/{w.org}/rooms", {"name": "  "})
    assert empty.status_code == 422 and "Give the room a name." in empty.text
    await post(client, f"/admin/participation/{w.org}/rooms/{kantine}", {"action": "up"})
    rooms = await Room.select(Room.id).where(Room.organisation == w.org).order_by(Room.position)
    assert [r["id"] for r in rooms].index(kantine) == 4
    await post(client, f"/admin/participation/{w.org}/rooms/{kantine}", {"name": "Refter", "description": "x"})
    assert (await Room.select().where(Room.id == kantine).first())["name"] == "Refter"

    ann = await person("ann@example.be", w.org, w.early)
    assert (await open_table(ann, w.room)).applied
    await post(client, f"/admin/participation/{w.org}/rooms/{w.room}", {"action": "archive"})
    assert (await Room.select().where(Room.id == w.room).first())["archived"] is True  # kept: it has a table
    await post(client, f"/admin/participation/{w.org}/rooms/{kantine}", {"action": "archive"})
    assert not await Room.exists().where(Room.id == kantine)  # no tables: removed


async def test_goal_and_moment_with_their_errors(client):
    w = await world()
    await _admin(client, w.org)
    bad = {"title": "", "target_coins": "abc", "starts_on": "2027-02-01", "ends_on": "2027-01-01"}
    response = await post(client, f"/admin/participation/{w.org}/goal", bad)
    assert response.status_code == 422 and await Goal.count() == 0
    bad = {"title": "Teamuitje", "target_coins": "0", "starts_on": "2027-02-01", "ends_on": "2027-01-01"}
    response = await post(client, f"/admin/participation/{w.org}/goal", bad)
    assert response.status_code == 422
    assert "The end date cannot be before the start date." in response.text and "Give the goal" not in response.text
    good = {
        "title": "Teamuitje",
        "target_coins": "50",
        "reward": "Een etentje",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
    }
    assert (await post(client, f"/admin/participation/{w.org}/goal", good)).status_code == 303
    page = await client.get("/admin/participation")
    assert "0 of 50 coins earned back (0%)" in page.text

    moment = {"weekday": "1", "nth": "1", "time": "25:00", "duration_minutes": "10", "place": ""}
    response = await post(client, f"/admin/participation/{w.org}/moments", moment)
    assert response.status_code == 422 and await ConsultationMoment.count() == 0
    assert "for example 14:00" in response.text and "from 15 to 480" in response.text
    moment = {
        "weekday": "1",
        "nth": "1",
        "time": "14:00",
        "duration_minutes": "60",
        "place": "Refter",
        "unit_id": str(w.early),
    }
    assert (await post(client, f"/admin/participation/{w.org}/moments", moment)).status_code == 303
    page = await client.get("/admin/participation")
    assert "Every first Tuesday of the month, 14:00" in page.text and "Refter" in page.text


async def test_ambassador_posts_only_people_with_the_role_and_the_warning_goes(client):
    w = await world()
    await _admin(client, w.org)
    bert = await person("bert@example.be", w.org, w.early, role="ambassador")
    carla = await person("carla@example.be", w.org, w.early, role="ambassador")
    worker = await person("dirk@example.be", w.org, w.early)
    refused = await post(client, f"/admin/participation/{w.org}/posts/{w.early}", {"ambassador_id": str(worker)})
    assert refused.status_code == 422 and "holds the ambassador role" in refused.text
    same = await post(
        client, f"/admin/participation/{w.org}/posts/{w.early}", {"ambassador_id": str(bert), "deputy_id": str(bert)}
    )
    assert same.status_code == 422
    ok = await post(
        client, f"/admin/participation/{w.org}/posts/{w.early}", {"ambassador_id": str(bert), "deputy_id": str(carla)}
    )
    assert ok.status_code == 303
    page = await client.get("/admin/participation")
    assert "1 subgroup has no active ambassador." in page.text
    # The ambassador loses the role and the deputy's account is closed: the warning is back.
    await RoleGrant.delete().where((RoleGrant.user == bert) & (RoleGrant.role == "ambassador"))
    await User.update({"is_active": False}).where(User.id == carla)
    page = await client.get("/admin/participation")
    assert "2 subgroups have no active ambassador." in page.text
    assert await AmbassadorPost.count() == 1


async def test_another_organisations_ids_answer_404_and_change_nothing(client):
    w = await world()
    other = await world(slug="ander", language="en")
    await _admin(client, w.org)
    assert (await client.get(f"/admin/participation?organisation={other.org}")).status_code == 404
    foreign_room = other.room
    checks = [
        (f"/admin/participation/{other.org}/settings", {"table_price": "1"}),
        (f"/admin/participation/{other.org}/rooms", {"name": "Hack"}),
        (f"/admin/participation/{w.org}/rooms/{foreign_room}", {"name": "Hack"}),
        (f"/admin/participation/{w.org}/rooms/{foreign_room}", {"action": "archive"}),
        (f"/admin/participation/{w.org}/posts/{other.early}", {}),
        (f"/admin/participation/{other.org}/goal", {"title": "x"}),
        (f"/admin/participation/{w.org}/moments/999999/remove", {}),
        (f"/admin/participation/{w.org}/goal/999999/remove", {}),
    ]
    for path, data in checks:
        response = await post(client, path, data)
        assert response.status_code in (404, 422), (path, response.status_code)
    # A subgroup of the other organisation in a form field of my own organisation.
    moment = {
        "weekday": "1",
        "nth": "1",
        "time": "14:00",
        "duration_minutes": "60",
        "place": "X",
        "unit_id": str(other.early),
    }
    response = await post(client, f"/admin/participation/{w.org}/moments", moment)
    assert response.status_code == 422 and "Choose a subgroup of this organisation." in response.text
    assert (await Room.select().where(Room.id == foreign_room).first())["name"] != "Hack"
    assert not (await Room.select().where(Room.id == foreign_room).first())["archived"]
    assert await ParticipationSettings.count() == 0 and await ConsultationMoment.count() == 0


async def test_an_ambassador_sets_up_only_their_own_organisation(client):
    w = await world()
    other = await world(slug="ander")
    await person("amb@example.be", w.org, w.early, role="ambassador")
    english(client)
    assert (await login(client, "amb@example.be", PASSWORD)).status_code == 303
    assert (await client.get("/admin/participation")).status_code == 200
    assert (await client.get(f"/admin/participation?organisation={other.org}")).status_code == 404
    response = await post(client, f"/admin/participation/{other.org}/rooms", {"name": "Hack"})
    assert response.status_code == 404
    response = await post(client, f"/admin/participation/{other.org}/posts/{other.early}", {})
    assert response.status_code == 404
    assert not await Room.exists().where(Room.name == "Hack")


async def test_a_worker_cannot_open_the_set_up(client):
    w = await world()
    await person("wout@example.be", w.org, w.early)
    english(client)
    await login(client, "wout@example.be", PASSWORD)
    assert (await client.get("/admin/participation")).status_code == 403


async def test_empty_or_partial_forms_are_refused_inline_never_a_server_error(client):
    """Found by the fuzz test: an empty settings form rendered the page with no refill value."""
    w = await world()
    await _admin(client, w.org)
    for path in ("settings", "rooms", "goal", "moments", f"posts/{w.early}", f"rooms/{w.room}"):
        response = await post(client, f"/admin/participation/{w.org}/{path}", {})
        assert response.status_code in (303, 422), (path, response.status_code)
    response = await post(client, f"/admin/participation/{w.org}/settings", {"refill": "weird", "period": "x" * 5000})
    assert response.status_code == 422
    assert await ParticipationSettings.count() == 0


async def test_the_platform_admin_chooses_any_organisation(client):
    w = await world()
    other = await world(slug="ander", language="en")
    await make_user("root@werkpas.example", role="platform_admin")
    english(client)
    assert (await login(client, "root@werkpas.example", PASSWORD)).status_code == 303
    page = await client.get(f"/admin/participation?organisation={other.org}")
    assert page.status_code == 200 and 'name="organisation"' in page.text and "Workplace and safety" in page.text
    response = await post(client, f"/admin/participation/{w.org}/rooms", {"name": "Magazijn"})
    assert response.status_code == 303 and await Room.exists().where(
        (Room.name == "Magazijn") & (Room.organisation == w.org)
    )
