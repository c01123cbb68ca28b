"""Running jobs: one job at a time under a lease, in a polling loop that runs
inside the web server (`start_background_worker`) or as its own process
(`werkpas worker`, `run_worker_forever`).

Jobs are claimed one by one rather than in batches: a claimed job's lease
starts ticking at once, so a batch would let the last jobs' leases run out
while the first ones are still running. A handler gets JOB_TIMEOUT, shorter
than the lease, so no job is ever still running when another worker may take
it over.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime

import msgspec
import structlog

from app.domain.jobs.claims import LEASE, ClaimedJob, claim, mark_done, mark_failed, utcnow
from app.domain.jobs.errors import describe
from app.domain.jobs.queue import PermanentFailure, enqueue, handler_for, periodic_jobs

POLL_INTERVAL = 2.0
BATCH = 20
JOB_TIMEOUT = LEASE.total_seconds() - 60

log = structlog.get_logger("werkpas.jobs")


def new_worker_id() -> str:
    """host:pid:random, short enough for Job.leased_by (64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def run_job(job: ClaimedJob, worker_id: str) -> bool:
    """Run one claimed job and record the outcome; True when it succeeded."""
    fn = handler_for(job.kind)
    if fn is None:
        await mark_failed(job, worker_id, f"LookupError: no handler registered for job kind {job.kind!r}", final=True)
        log.error("job kind unknown", job_id=job.id, kind=job.kind)
        return False
    started = time.monotonic()
    deadline = asyncio.timeout(JOB_TIMEOUT)
    try:
        payload = msgspec.json.decode(job.payload)
        async with deadline:
            await fn(payload, job.id)
    except Exception as error:
        message = (
            f"TimeoutError: the job ran longer than {JOB_TIMEOUT:.0f} s" if deadline.expired() else describe(error)
        )
        settled = await mark_failed(job, worker_id, message, final=isinstance(error, PermanentFailure))
        log.warning(
            "job failed",
            job_id=job.id,
            kind=job.kind,
            attempt=job.attempts + 1,
            error=type(error).__name__,
            recorded=settled,
        )
        return False
    settled = await mark_done(job, worker_id)
    if not settled:
        log.warning("job lease lost before it finished", job_id=job.id, kind=job.kind)
    log.info("job done", job_id=job.id, kind=job.kind, ms=round((time.monotonic() - started) * 1000))
    return True


_default_worker_id: str | None = None


async def run_due_jobs(
    limit: int = 100, *, worker_id: str | None = None, should_stop: Callable[[], bool] | None = None
) -> int:
    """Run up to `limit` jobs that are due now; returns how many ran.
    `should_stop` is checked between jobs, so a stop never cuts one short."""
    global _default_worker_id
    if worker_id is None:
        _default_worker_id = _default_worker_id or new_worker_id()
        worker_id = _default_worker_id
    ran = 0
    while ran < limit and not (should_stop and should_stop()):
        jobs = await claim(worker_id, 1)
        if not jobs:
            break
        await run_job(jobs[0], worker_id)
        ran += 1
    return ran


class Worker:
    """The polling loop: keep periodic jobs scheduled, run what is due,
    sleep (interruptibly) when the queue is empty."""

    def __init__(self, *, worker_id: str | None = None, poll_interval: float = POLL_INTERVAL, batch: int = BATCH):
        self.id = worker_id or new_worker_id()
        self.poll_interval = poll_interval
        self.batch = batch
        self._stopping = asyncio.Event()
        self._scheduled: dict[str, str] = {}  # kind -> key of the occurrence we know exists

    def stop_soon(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def schedule_periodic(self, now: datetime | None = None) -> None:
        now = now or utcnow()
        for job in periodic_jobs():
            due_at = job.schedule.next_after(now)
            key = job.unique_key(due_at)
            if self._scheduled.get(job.kind) == key:
                continue
            await enqueue(job.kind, {}, due_at=due_at, unique_key=key)
            self._scheduled[job.kind] = key

    async def tick(self) -> int:
        await self.schedule_periodic()
        return await run_due_jobs(self.batch, worker_id=self.id, should_stop=self._stopping.is_set)

    async def run(self, *, once: bool = False) -> None:
        """Loop until stop_soon(); with `once`, until nothing is due (errors
        then propagate, so `werkpas worker --once` exits non-zero)."""
        if once:
            while await self.tick() >= self.batch and not self.stopping:
                pass
            return
        log.info("job worker started", worker=self.id)
        while not self.stopping:
            try:
                ran = await self.tick()
            except Exception:
                # The database may be restarting: log, wait, try again. The
                # server around this loop must never go down because of it.
                log.exception("job loop error", worker=self.id)
                ran = 0
            if ran < self.batch:  # a full batch means more may be waiting
                await self._sleep()
        log.info("job worker stopped", worker=self.id)

    async def _sleep(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), self.poll_interval)


class BackgroundWorker:
    """A Worker running as a task on the server's event loop."""

    def __init__(self, worker: Worker):
        self.worker = worker
        self.task = asyncio.create_task(worker.run(), name="werkpas-job-worker")

    async def stop(self, timeout: float = JOB_TIMEOUT + 5) -> None:
        """Let the current job finish (up to `timeout`), then end the loop."""
        self.worker.stop_soon()
        done, _pending = await asyncio.wait({self.task}, timeout=timeout)
        if not done:
            # The job keeps its lease and is taken up again once it expires.
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


def start_background_worker(poll_interval: float = POLL_INTERVAL) -> BackgroundWorker:
    return BackgroundWorker(Worker(poll_interval=poll_interval))


async def run_worker_forever(settings, once: bool = False) -> None:
    """`werkpas worker`: run jobs until SIGTERM or SIGINT (the current job
    finishes first); `once` runs what is due now and returns."""
    from app.config import set_settings
    from app.domain.registry import load_handlers
    from app.logging import configure_logging
    from app.storage import db

    configure_logging()
    set_settings(settings)
    db.configure(settings)
    await db.connect()
    load_handlers()
    worker = Worker()
    loop = asyncio.get_running_loop()
    installed = []
    if not once:
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, worker.stop_soon)
                installed.append(signum)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread: the caller stops us instead
    try:
        await worker.run(once=once)
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
        await db.disconnect()
