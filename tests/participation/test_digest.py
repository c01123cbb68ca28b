"""The digest: what it says per person (new tables in my subgroup, minutes
now available, my meetings, my action points, evaluations waiting,
announcements), nothing sent when there is nothing to say, once per person
and period also with 30 parallel runs, in the reader's language, with the
one-click unsubscribe headers."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from app.domain.core.commands import utcnow
from app.domain.mail import render
from app.domain.participation import digest
from app.storage.participation import (
    ActionPoint,
    DigestSent,
    Evaluation,
    MailSetting,
    Minutes,
    ParticipationTable,
)
from app.storage.tables import Job
from tests.support.participation import do, open_table, person, world


async def _mails() -> list[dict]:
    rows = await Job.select(Job.payload).where(Job.kind == "mail.send").order_by(Job.id)
    return [json.loads(row["payload"]) for row in rows]


async def _digests() -> list[dict]:
    return [mail for mail in await _mails() if mail["template"] == "participation_digest"]


async def test_nothing_to_say_sends_nothing():
    w = await world()
    await person("ann@example.be", w.org, w.early)
    assert await digest.send_all("weekly") == 0
    assert await _digests() == [] and await DigestSent.count() == 0


async def test_a_new_table_in_my_subgroup_is_in_my_weekly_digest_not_in_the_other_subgroup():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bert = await person("bert@example.be", w.org, w.early, language="fr")
    await person("carla@example.be", w.org, w.late)
    assert (await open_table(ann, w.room, title="Pauzeruimte")).applied
    assert await digest.send_all("weekly") == 1  # Bert only: Ann opened it, Carla is in the other subgroup
    [mail] = await _digests()
    assert mail["language"] == "fr"
    assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/participation/unsubscribe/{bert}/digest/" in mail["headers"]["List-Unsubscribe"]
    section = mail["context"]["sections"][0]
    assert [t["title"] for t in section["new_tables"]] == ["Pauzeruimte"]
    _subject, text, html = render(mail["template"], mail["language"], mail["context"])
    assert "Pauzeruimte" in text and mail["context"]["unsubscribe_url"] in text and "Pauzeruimte" in html


async def test_thirty_parallel_runs_send_one_digest():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    await person("bert@example.be", w.org, w.early)
    await open_table(ann, w.room)
    counts = await asyncio.gather(*[digest.send_all("weekly") for _ in range(30)])
    assert sum(counts) == 1
    assert len(await _digests()) == 1 and await DigestSent.count() == 1
    assert await digest.send_all("weekly") == 0  # the same week again: nothing


async def test_minutes_meetings_action_points_and_evaluations():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bert = await person("bert@example.be", w.org, w.early)
    now = utcnow()
    held = (await open_table(ann, w.room, title="Ploegwissel")).ids["table_id"]
    assert (await do("participation.buy_chair", {"table_id": held}, bert)).applied
    await ParticipationTable.update({"phase": "held", "closed_at": now - timedelta(days=1)}).where(
        ParticipationTable.id == held
    )
    await Minutes.insert(
        Minutes(table=held, body="Verslag", version=1, updated_at=now, published_at=now - timedelta(hours=2))
    )
    await ActionPoint.insert(
        ActionPoint(table=held, what="Rooster bekijken", who=bert, status="open", created_at=now, updated_at=now)
    )
    await ActionPoint.insert(
        ActionPoint(table=held, what="Gedaan", who=bert, status="done", created_at=now, updated_at=now)
    )
    planned = (await open_table(ann, w.room, title="Veiligheid")).ids["table_id"]
    await do("participation.buy_chair", {"table_id": planned}, bert)
    await ParticipationTable.update(
        {
            "phase": "planned",
            "starts_at": now + timedelta(days=3),
            "place": "Refter",
            "created_at": now - timedelta(days=30),
        }
    ).where(ParticipationTable.id == planned)
    # Reminders weekly too (the default), so the evaluation waits in the same digest.
    [section] = await digest.gather(bert, "weekly", now)
    assert [t["title"] for t in section["minutes"]] == ["Ploegwissel"]
    assert [t["title"] for t in section["upcoming"]] == ["Veiligheid"]
    assert [a["what"] for a in section["actions"]] == ["Rooster bekijken"]
    assert [t["title"] for t in section["evaluations"]] == ["Ploegwissel"]
    assert section["new_tables"] == []  # seated at both: not "new" to Bert
    # Once answered, the evaluation no longer waits.
    await Evaluation.insert(
        Evaluation(
            table=held,
            user=bert,
            organisation=w.org,
            process=50,
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
    [section] = await digest.gather(bert, "weekly", now)
    assert section["evaluations"] == []


async def test_minutes_for_participants_only_are_not_in_an_outsiders_digest():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    carla = await person("carla@example.be", w.org, w.early)
    now = utcnow()
    table = (await open_table(ann, w.room)).ids["table_id"]
    await ParticipationTable.update(
        {"phase": "held", "closed_at": now, "visibility": "participants", "created_at": now - timedelta(days=30)}
    ).where(ParticipationTable.id == table)
    await Minutes.insert(Minutes(table=table, body="x", updated_at=now, published_at=now))
    assert await digest.gather(carla, "weekly", now) == []


async def test_daily_people_get_the_daily_digest_and_off_gets_nothing():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bert = await person("bert@example.be", w.org, w.early)
    carla = await person("carla@example.be", w.org, w.early)
    now = datetime.now(UTC)
    await MailSetting.insert(MailSetting(user=bert, kind="digest", frequency="daily", updated_at=now))
    await MailSetting.insert(MailSetting(user=carla, kind="digest", frequency="off", updated_at=now))
    await open_table(ann, w.room)
    assert await digest.send_all("daily") == 1
    assert await digest.send_all("weekly") == 0  # Bert chose daily, Carla off
    [mail] = await _digests()
    assert mail["context"]["cadence"] == "daily"


async def test_announcements_go_into_the_digest_of_my_subgroup():
    w = await world()
    admin = await person("admin@example.be", w.org, None, role="org_admin")
    bert = await person("bert@example.be", w.org, w.early)
    carla = await person("carla@example.be", w.org, w.late)
    outcome = await do(
        "participation.post_announcement",
        {"organisation_id": w.org, "unit_id": w.early, "title": "Nieuwe koffie", "body": "Vanaf maandag."},
        admin,
    )
    assert outcome.applied and outcome.ids["mailed"] == 0  # the default for announcements is weekly
    [section] = await digest.gather(bert, "weekly")
    assert [a["title"] for a in section["announcements"]] == ["Nieuwe koffie"]
    assert await digest.gather(carla, "weekly") == []


def test_period_keys_are_brussels_weeks_and_days():
    assert digest.period_key("weekly", datetime(2026, 12, 3, 12, tzinfo=UTC)) == "2026-W49"
    assert digest.period_key("daily", datetime(2026, 12, 3, 23, 30, tzinfo=UTC)) == "2026-12-04"


async def test_the_digest_command_is_for_the_system_only():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    outcome = await do("participation.send_digest", {"user_id": ann, "cadence": "weekly", "period": "2026-W49"}, ann)
    assert outcome.code() == "not_allowed"
