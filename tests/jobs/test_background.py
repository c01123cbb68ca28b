import asyncio
import time

from app.domain.jobs import worker as worker_module
from app.domain.jobs.queue import enqueue
from app.domain.jobs.worker import start_background_worker
from tests.support.jobs import job_row


async def wait_for_status(job_id: int, status: str, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = await job_row(job_id)
        if row["status"] == status:
            return row
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} did not reach {status}")


async def test_background_worker_runs_jobs_as_they_come_and_stops(recorder):
    background = start_background_worker(poll_interval=0.05)
    try:
        first = await enqueue("test.ok", {})
        await wait_for_status(first, "done")
        second = await enqueue("test.ok", {})  # enqueued while the loop sleeps
        await wait_for_status(second, "done")
    finally:
        await background.stop()
    assert background.task.done() and background.task.exception() is None
    assert recorder.runs == [first, second]


async def test_stop_interrupts_the_idle_sleep():
    background = start_background_worker(poll_interval=60)
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await background.stop()
    assert time.monotonic() - started < 1
    assert background.task.done()


async def test_stop_lets_the_running_job_finish(recorder):
    job_id = await enqueue("test.blocking", {})
    background = start_background_worker(poll_interval=0.05)
    await asyncio.wait_for(recorder.started.wait(), 5)
    stopping = asyncio.create_task(background.stop())
    await asyncio.sleep(0.1)
    assert not stopping.done()  # waits for the job
    recorder.release.set()
    await asyncio.wait_for(stopping, 5)
    assert (await job_row(job_id))["status"] == "done"


async def test_an_error_in_the_loop_is_logged_and_the_loop_goes_on(recorder, monkeypatch):
    real_claim = worker_module.claim
    failures = []

    async def flaky_claim(*args, **kwargs):
        if len(failures) < 2:
            failures.append(1)
            raise ConnectionError("database restarting")
        return await real_claim(*args, **kwargs)

    monkeypatch.setattr(worker_module, "claim", flaky_claim)
    job_id = await enqueue("test.ok", {})
    background = start_background_worker(poll_interval=0.05)
    try:
        await wait_for_status(job_id, "done")
        assert not background.task.done()
    finally:
        await background.stop()
    assert len(failures) == 2
    assert recorder.runs == [job_id]


async def test_the_web_app_runs_jobs_in_process_when_configured(settings, recorder):
    import dataclasses

    from app.web.app import create_app

    app = create_app(dataclasses.replace(settings, run_jobs_in_server=True))
    for hook in app.on_startup:
        await hook(app)
    try:
        assert app.state.job_worker is not None
        job_id = await enqueue("test.ok", {})
        await wait_for_status(job_id, "done")
    finally:
        for hook in app.on_shutdown:
            await hook(app)
    assert app.state.job_worker.task.done()
    assert await job_row(job_id)  # storage still usable after the app's shutdown
