"""The daily job that removes expired session files (issue 7, point 10)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from litestar.stores.file import FileStore

from app.domain.accounts import session_sweep
from app.domain.jobs.queue import periodic_jobs
from app.domain.jobs.worker import Worker
from app.storage.tables import Job
from app.web.app import make_store
from tests.support.accounts import session_files, signed_in
from tests.support.factories import login, make_user


async def test_expired_session_files_are_removed_and_live_ones_kept(client, settings):
    await make_user("an@example.be", role="platform_admin")
    await login(client, "an@example.be")
    live = session_files(settings)  # this test's session and earlier tests' live ones
    assert live
    store = make_store(settings, "sessions")
    assert isinstance(store, FileStore)
    await store.set("old-one", b'{"uid": 1}', expires_in=1)
    await store.set("old-two", b'{"uid": 2}', expires_in=1)
    # A file left half-written by a crash must not stop the sweep.
    broken = settings.data_dir / "sessions" / "broken.tmp123"
    broken.write_bytes(b"\x00garbage")
    old = time.time() - 2 * 24 * 3600
    os.utime(broken, (old, old))
    time.sleep(1.1)

    removed = await session_sweep.sweep(settings)
    assert removed >= 3
    remaining = session_files(settings)
    assert set(live) <= set(remaining)
    assert not [path for path in remaining if path.name in ("old-one", "old-two", "broken.tmp123")]
    assert await signed_in(client)


async def test_the_sweep_is_a_daily_job_run_by_the_worker(client, settings):
    assert session_sweep.KIND in [job.kind for job in periodic_jobs()]
    store = make_store(settings, "sessions")
    await store.set("expired", b"{}", expires_in=1)
    time.sleep(1.1)
    await Job.insert(
        Job(
            kind=session_sweep.KIND,
            payload="{}",
            status="queued",
            due_at=datetime.now(UTC),
            attempts=0,
            max_attempts=5,
            created_at=datetime.now(UTC),
        )
    )
    await Worker().run(once=True)
    [job] = await Job.select().where((Job.kind == session_sweep.KIND) & (Job.status == "done"))
    assert job["last_error"] is None
    assert not (settings.data_dir / "sessions" / "expired").exists()
    # The worker keeps the next run queued, at 04:00 Brussels time.
    [queued] = await Job.select().where((Job.kind == session_sweep.KIND) & (Job.status == "queued"))
    assert queued["unique_key"].startswith(session_sweep.KIND + ":")


async def test_with_redis_the_sweep_has_nothing_to_do(settings):
    from dataclasses import replace

    assert await session_sweep.sweep(replace(settings, redis_url="redis://127.0.0.1:6379/0")) == 0


async def test_a_missing_folder_is_no_error(settings, tmp_path):
    from dataclasses import replace

    assert await session_sweep.sweep(replace(settings, data_dir=tmp_path / "nothing")) == 0
