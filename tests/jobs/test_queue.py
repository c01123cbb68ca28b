import asyncio
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from app.domain.jobs.queue import enqueue, requeue
from app.storage import db
from app.storage.tables import Job
from tests.support.jobs import job_row


async def test_enqueue_stores_a_queued_job():
    due = datetime.now(UTC) + timedelta(hours=1)
    job_id = await enqueue("test.ok", {"user_id": 7}, due_at=due, max_attempts=3)
    row = await job_row(job_id)
    assert row["kind"] == "test.ok"
    assert msgspec.json.decode(row["payload"]) == {"user_id": 7}
    assert row["status"] == "queued"
    assert row["attempts"] == 0 and row["max_attempts"] == 3
    assert abs(row["due_at"] - due) < timedelta(milliseconds=1)
    assert row["lease_until"] is None


async def test_unique_key_makes_enqueue_idempotent():
    first = await enqueue("test.ok", {}, unique_key="test.ok:2025-03-30")
    second = await enqueue("test.ok", {}, unique_key="test.ok:2025-03-30")
    assert isinstance(first, int)
    assert second is None
    assert await Job.count().where(Job.unique_key == "test.ok:2025-03-30") == 1


async def test_concurrent_enqueues_of_one_key_create_one_job():
    results = await asyncio.gather(*(enqueue("test.ok", {}, unique_key="same") for _ in range(8)))
    assert len([r for r in results if r is not None]) == 1
    assert await Job.count() == 1


async def test_job_enqueued_in_a_rolled_back_transaction_does_not_exist():
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await enqueue("test.ok", {})
            raise RuntimeError("the command failed")
    assert await Job.count() == 0


async def test_requeue_gives_a_failed_job_new_attempts_but_leaves_others_alone():
    failed = await enqueue("test.ok", {})
    queued = await enqueue("test.ok", {})
    async with db.transaction():
        await Job.update({Job.status: "failed", Job.attempts: 5, Job.last_error: "boom"}).where(Job.id == failed)
    assert await requeue(failed) is True
    assert await requeue(queued) is False
    row = await job_row(failed)
    assert (row["status"], row["attempts"], row["finished_at"]) == ("queued", 0, None)
    assert row["last_error"] == "boom"  # kept for the admin until the next attempt
