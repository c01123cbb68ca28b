import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.jobs.queue import periodic_jobs
from app.domain.jobs.schedule import AtLocalTime, daily, weekly
from app.domain.jobs.worker import Worker, run_due_jobs
from app.storage.tables import Job


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment, expected",
    [
        # Winter time (UTC+1): 03:00 in Brussels is 02:00 UTC.
        (utc(2025, 3, 28, 12, 0), utc(2025, 3, 29, 2, 0)),
        # Clocks go forward on Sunday 30 March 2025: 03:00 is then 01:00 UTC.
        (utc(2025, 3, 29, 12, 0), utc(2025, 3, 30, 1, 0)),
        (utc(2025, 3, 30, 1, 0), utc(2025, 3, 31, 1, 0)),
        # Clocks go back on Sunday 26 October 2025: 03:00 is 02:00 UTC again.
        (utc(2025, 10, 25, 12, 0), utc(2025, 10, 26, 2, 0)),
        (utc(2025, 10, 26, 1, 59), utc(2025, 10, 26, 2, 0)),
        (utc(2025, 10, 26, 2, 0), utc(2025, 10, 27, 2, 0)),
    ],
)
def test_daily_at_three_follows_brussels_time_across_dst(moment, expected):
    assert daily(3, 0).next_after(moment) == expected


def test_a_time_skipped_or_repeated_by_dst_still_runs_once_that_day():
    half_past_two = daily(2, 30)
    # 02:30 does not exist on 30 March 2025: it runs at 03:30 summer time.
    spring = half_past_two.next_after(utc(2025, 3, 29, 12, 0))
    assert spring == utc(2025, 3, 30, 1, 30)
    assert half_past_two.next_after(spring) == utc(2025, 3, 31, 0, 30)
    # 02:30 happens twice on 26 October 2025: only the first one counts.
    autumn = half_past_two.next_after(utc(2025, 10, 25, 12, 0))
    assert autumn == utc(2025, 10, 26, 0, 30)
    assert half_past_two.next_after(autumn) == utc(2025, 10, 27, 1, 30)


def test_weekly_picks_the_next_matching_weekday():
    monday_seven = weekly(0, 7, 0)
    assert monday_seven.next_after(utc(2025, 3, 26, 12, 0)) == utc(
        2025, 3, 31, 5, 0
    )  # a Wednesday -> Monday (summer time)
    assert monday_seven.next_after(utc(2025, 3, 31, 5, 0)) == utc(2025, 4, 7, 5, 0)


def test_key_is_the_local_date():
    assert daily(0, 30).key(utc(2025, 6, 1, 22, 30)) == "2025-06-02"


def test_invalid_schedules_are_refused():
    with pytest.raises(ValueError):
        AtLocalTime(24, 0)
    with pytest.raises(ValueError):
        AtLocalTime(3, 0, frozenset({7}))


async def nightly_rows() -> list[dict]:
    return await Job.select().where(Job.kind == "test.nightly").order_by(Job.due_at)


async def test_periodic_job_is_registered_and_scheduled_once_by_many_workers():
    assert "test.nightly" in [job.kind for job in periodic_jobs()]
    moment = utc(2025, 3, 29, 12, 0)
    workers = [Worker() for _ in range(3)]
    await asyncio.gather(*(worker.schedule_periodic(moment) for worker in workers))
    await workers[0].schedule_periodic(moment + timedelta(hours=1))
    await Worker().schedule_periodic(moment)
    rows = await nightly_rows()
    assert [(row["due_at"], row["unique_key"]) for row in rows] == [(utc(2025, 3, 30, 1, 0), "test.nightly:2025-03-30")]


async def test_next_occurrence_is_scheduled_once_the_previous_one_is_due(recorder):
    worker = Worker()
    today = datetime.now(UTC)
    await worker.schedule_periodic(today - timedelta(days=2))
    [first] = await nightly_rows()
    assert first["due_at"] < today
    await worker.tick()  # runs the overdue occurrence and schedules the next one
    assert recorder.runs == [first["id"]]
    rows = await nightly_rows()
    assert [row["status"] for row in rows] == ["done", "queued"]
    assert rows[1]["due_at"] == daily(3, 0).next_after(datetime.now(UTC))
    assert await run_due_jobs() == 0
