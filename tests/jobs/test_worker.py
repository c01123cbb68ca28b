import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from app.domain.jobs import claims
from app.domain.jobs.claims import claim, mark_done, retry_delay
from app.domain.jobs.queue import enqueue
from app.domain.jobs.worker import run_due_jobs
from app.storage import db
from app.storage.sqlite_engine import FastSQLiteEngine
from app.storage.tables import Job
from tests.support.jobs import FAILURE_MESSAGE, job_row, make_due


def now() -> datetime:
    return datetime.now(UTC)


async def test_due_job_runs_once_and_is_done(recorder):
    job_id = await enqueue("test.ok", {})
    assert await run_due_jobs() == 1
    assert await run_due_jobs() == 0
    assert recorder.runs == [job_id]
    row = await job_row(job_id)
    assert row["status"] == "done"
    assert row["attempts"] == 1
    assert row["finished_at"] is not None and row["lease_until"] is None
    assert row["leased_by"].count(":") >= 2  # host:pid:uuid


async def test_job_due_later_waits(recorder):
    await enqueue("test.ok", {}, due_at=now() + timedelta(minutes=5))
    assert await run_due_jobs() == 0
    assert recorder.runs == []


async def test_jobs_run_in_due_order(recorder):
    later = await enqueue("test.ok", {}, due_at=now() - timedelta(seconds=1))
    earlier = await enqueue("test.ok", {}, due_at=now() - timedelta(seconds=10))
    await run_due_jobs()
    assert recorder.runs == [earlier, later]


async def test_failure_is_retried_with_backoff_then_marked_failed(recorder):
    job_id = await enqueue("test.fail", {}, max_attempts=3)

    before = now()
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert timedelta(seconds=26) < row["due_at"] - before < timedelta(seconds=31)
    assert row["last_error"].startswith("RuntimeError: ")
    assert "tests/support/jobs.py" in row["last_error"]  # where it failed
    assert row["lease_until"] is None

    await run_due_jobs()  # not due yet: nothing happens
    assert recorder.runs == [job_id]

    await make_due(job_id)
    before = now()
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("queued", 2)
    assert timedelta(seconds=53) < row["due_at"] - before < timedelta(seconds=61)

    await make_due(job_id)
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert row["finished_at"] is not None
    assert recorder.runs == [job_id] * 3
    await make_due(job_id)
    assert await run_due_jobs() == 0


async def test_last_error_keeps_no_personal_data(recorder):
    job_id = await enqueue("test.fail", {})
    await run_due_jobs()
    error = (await job_row(job_id))["last_error"]
    assert "cannot reach <email> about <number>" in error
    assert "example.be" not in error and "033" not in error
    assert FAILURE_MESSAGE not in error


def test_retry_delay_doubles_and_is_capped_at_an_hour():
    for attempts, seconds in [(1, 30), (2, 60), (3, 120), (5, 480), (8, 3600), (30, 3600)]:
        delays = {retry_delay(attempts).total_seconds() for _ in range(20)}
        assert all(0.9 * seconds <= d <= seconds for d in delays), (attempts, delays)
    assert len({retry_delay(4) for _ in range(20)}) > 1  # jitter


async def test_job_running_past_its_time_is_stopped_before_its_lease_ends(recorder, monkeypatch):
    from app.domain.jobs import worker

    assert claims.LEASE.total_seconds() > worker.JOB_TIMEOUT
    monkeypatch.setattr(worker, "JOB_TIMEOUT", 0.05)
    job_id = await enqueue("test.blocking", {})  # waits for a release that never comes
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert row["last_error"].startswith("TimeoutError: the job ran longer than")


async def test_permanent_failure_is_not_retried(recorder):
    job_id = await enqueue("test.permanent", {})
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert row["last_error"].startswith("PermanentFailure: the recipient does not exist")


async def test_unknown_kind_fails_at_once_with_a_clear_error():
    job_id = await enqueue("nobody.handles.this", {})
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert "no handler registered for job kind 'nobody.handles.this'" in row["last_error"]


async def test_leased_job_is_not_run_by_another_worker(recorder):
    job_id = await enqueue("test.ok", {})
    assert [job.id for job in await claim("host:1:crashed")] == [job_id]
    assert await run_due_jobs() == 0
    assert recorder.runs == []


async def test_job_whose_lease_expired_is_claimed_again(recorder):
    job_id = await enqueue("test.ok", {})
    await claim("host:1:crashed")
    async with db.transaction():
        await Job.update({Job.lease_until: now() - timedelta(seconds=1)}).where(Job.id == job_id)
    assert await run_due_jobs(worker_id="host:2:alive") == 1
    assert recorder.runs == [job_id]
    row = await job_row(job_id)
    assert (row["status"], row["leased_by"]) == ("done", "host:2:alive")


async def test_worker_that_lost_its_lease_cannot_record_an_outcome():
    job_id = await enqueue("test.ok", {})
    [stale] = await claim("host:1:slow")
    async with db.transaction():
        await Job.update({Job.lease_until: now() - timedelta(seconds=1)}).where(Job.id == job_id)
    [fresh] = await claim("host:2:new")
    assert await mark_done(stale, "host:1:slow") is False
    row = await job_row(job_id)
    assert (row["status"], row["leased_by"]) == ("queued", "host:2:new")
    assert await mark_done(fresh, "host:2:new") is True


async def test_two_workers_on_one_loop_never_run_a_job_twice(recorder):
    ids = [await enqueue("test.slow", {"n": n}) for n in range(40)]
    done = await asyncio.gather(run_due_jobs(100, worker_id="w:1:a"), run_due_jobs(100, worker_id="w:1:b"))
    assert sum(done) == 40
    assert Counter(recorder.runs) == Counter(ids)  # each job exactly once
    workers = {row["leased_by"] for row in await Job.select(Job.leased_by)}
    assert workers == {"w:1:a", "w:1:b"}  # and both really took part


@pytest.fixture
async def second_engine(settings):
    """An independent engine on the same database: its own connections, as a
    second worker process would have."""
    if db.is_postgres():
        engine = PostgresEngine(config={"dsn": settings.database_url})
        await engine.start_connection_pool(min_size=2, max_size=4)
        yield engine
        await engine.close_connection_pool()
    else:
        engine = FastSQLiteEngine(path=str(settings.sqlite_path))
        yield engine
        engine.close()


async def test_claims_through_separate_connections_never_overlap(second_engine):
    ids = {await enqueue("test.ok", {}) for _ in range(60)}

    async def claim_all(worker_id: str, engine) -> list[int]:
        mine = []
        while jobs := await claim(worker_id, 2, engine=engine):
            mine += [job.id for job in jobs]
            await asyncio.sleep(0)
        return mine

    first, second, third = await asyncio.gather(
        claim_all("w:1:a", db.engine()), claim_all("w:2:b", second_engine), claim_all("w:1:c", db.engine())
    )
    claimed = first + second + third
    assert Counter(claimed) == Counter(ids)
    assert first and second


async def test_claim_skips_a_row_another_connection_has_locked(second_engine):
    if not db.is_postgres():
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers")
    locked = await enqueue("test.ok", {}, due_at=now() - timedelta(minutes=1))
    free = await enqueue("test.ok", {})
    async with second_engine.transaction():
        await second_engine.run_querystring(QueryString("SELECT id FROM job WHERE id = {} FOR UPDATE", locked))
        # Without SKIP LOCKED this claim would wait for the other transaction.
        jobs = await asyncio.wait_for(claim("w:1:a"), timeout=3)
    assert [job.id for job in jobs] == [free]
