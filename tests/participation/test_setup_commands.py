"""Set-up commands on the domain: parallel writers leave one row (settings,
rooms of one name, posts, mail settings), the last open room stays, an
ambassador cannot manage another organisation, all audited."""

from __future__ import annotations

import asyncio

from app.domain.participation.mail_settings import signature
from app.domain.participation.setup import settings_of
from app.storage.participation import AmbassadorPost, MailSetting, ParticipationSettings, Room
from app.storage.tables import AuditEvent
from tests.support.factories import make_user
from tests.support.participation import do, person, world

SETTINGS = {
    "table_price": 2,
    "chair_price": 1,
    "coins_per_period": 8,
    "period": "month",
    "refill": "top_up",
    "min_chairs": 2,
    "max_chairs": 6,
    "practice_coins": 4,
}


async def test_thirty_parallel_first_saves_leave_one_settings_row():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    outcomes = await asyncio.gather(
        *[
            do(
                "participation.update_settings",
                {"organisation_id": w.org, **SETTINGS, "coins_per_period": 5 + n},
                admin,
            )
            for n in range(30)
        ]
    )
    assert all(o.applied for o in outcomes)
    assert await ParticipationSettings.count() == 1
    assert 5 <= (await settings_of(w.org)).coins_per_period < 35


async def test_thirty_parallel_rooms_of_one_name_give_one_room():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    outcomes = await asyncio.gather(
        *[do("participation.add_room", {"organisation_id": w.org, "name": "Kantine"}, admin) for _ in range(30)]
    )
    assert sum(o.applied for o in outcomes) == 1
    assert {o.code("name") for o in outcomes if not o.applied} == {"room_name_taken"}
    assert await Room.count().where(Room.name == "Kantine") == 1


async def test_parallel_posts_and_mail_settings_leave_one_row_each():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    await asyncio.gather(
        *[
            do(
                "participation.set_ambassador_post",
                {"organisation_id": w.org, "unit_id": w.early, "ambassador_id": amb},
                admin,
            )
            for _ in range(30)
        ]
    )
    assert await AmbassadorPost.count() == 1
    payload = {"user_id": amb, "kind": "digest", "signature": signature(amb, "digest")}
    await asyncio.gather(*[do("participation.unsubscribe", payload, None) for _ in range(30)])
    assert await MailSetting.count() == 1


async def test_the_last_open_room_stays_and_an_archived_room_comes_back():
    w = await world()
    admin = await make_user("admin@example.be", role="org_admin", org=w.org)
    rooms = await Room.select(Room.id).where(Room.organisation == w.org).order_by(Room.position)
    for room in rooms[:-1]:
        assert (await do("participation.archive_room", {"room_id": room["id"]}, admin)).applied
    last = await do("participation.archive_room", {"room_id": rooms[-1]["id"]}, admin)
    assert last.code() == "last_room"
    assert await Room.count().where(Room.organisation == w.org) == 1  # no tables: the others were removed


async def test_an_ambassador_manages_only_their_own_organisation():
    w = await world()
    other = await world(slug="ander")
    amb = await person("amb@example.be", w.org, w.early, role="ambassador")
    foreign_amb = await person("amb2@example.be", other.org, other.early, role="ambassador")
    assert (await do("participation.update_settings", {"organisation_id": w.org, **SETTINGS}, amb)).applied
    for type, payload in (
        ("participation.update_settings", {"organisation_id": other.org, **SETTINGS}),
        (
            "participation.set_ambassador_post",
            {"organisation_id": other.org, "unit_id": other.early, "ambassador_id": foreign_amb},
        ),
        ("participation.set_ambassador_post", {"organisation_id": w.org, "unit_id": other.early}),
        ("participation.add_room", {"organisation_id": other.org, "name": "X"}),
        ("participation.update_room", {"room_id": other.room, "name": "X"}),
        ("participation.add_faq", {"organisation_id": other.org, "language": "nl", "question": "q", "answer": "a"}),
    ):
        outcome = await do(type, payload, amb)
        assert outcome.code() in ("not_found",) or outcome.code("unit_id") == "unit_unknown", (type, outcome.errors)
    worker = await person("wout@example.be", w.org, w.early)
    assert (
        await do("participation.update_settings", {"organisation_id": w.org, **SETTINGS}, worker)
    ).code() == "not_allowed"
    assert (
        await AuditEvent.count().where(
            (AuditEvent.type == "participation.update_settings") & (AuditEvent.outcome == "applied")
        )
        == 1
    )
