"""Job kinds used only by the tests, a recorder of their runs, and helpers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.domain.jobs.queue import PermanentFailure, job_handler, periodic
from app.domain.jobs.schedule import daily
from app.storage import db
from app.storage.tables import Job


@dataclass
class Recorder:
    runs: list[int] = field(default_factory=list)
    started: asyncio.Event | None = None
    release: asyncio.Event | None = None

    def reset(self) -> None:
        self.runs.clear()
        self.started = asyncio.Event()
        self.release = asyncio.Event()


RECORDER = Recorder()
FAILURE_MESSAGE = "cannot reach ann.peeters@example.be about 85.07.30-033.28"


@job_handler("test.ok")
async def _ok(payload: dict, job_id: int) -> None:
    RECORDER.runs.append(job_id)


@job_handler("test.slow")
async def _slow(payload: dict, job_id: int) -> None:
    # Yield to the other worker in the middle of the job, the moment a
    # double claim would show.
    await asyncio.sleep(0.002)
    RECORDER.runs.append(job_id)


@job_handler("test.fail")
async def _fail(payload: dict, job_id: int) -> None:
    RECORDER.runs.append(job_id)
    raise RuntimeError(FAILURE_MESSAGE)


@job_handler("test.blocking")
async def _blocking(payload: dict, job_id: int) -> None:
    RECORDER.started.set()
    await RECORDER.release.wait()
    RECORDER.runs.append(job_id)


@periodic("test.nightly", daily(3, 0))
async def _nightly(payload: dict, job_id: int) -> None:
    RECORDER.runs.append(job_id)


async def job_row(job_id: int) -> dict:
    return await Job.select().where(Job.id == job_id).first()


async def make_due(job_id: int) -> None:
    """Skip the backoff wait: the job is due a second ago."""
    async with db.transaction():
        await Job.update({Job.due_at: datetime.now(UTC) - timedelta(seconds=1)}).where(Job.id == job_id)


@job_handler("test.permanent")
async def _permanent(payload: dict, job_id: int) -> None:
    RECORDER.runs.append(job_id)
    raise PermanentFailure("the recipient does not exist")
