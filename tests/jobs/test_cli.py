"""`werkpas worker` as the separate process it is in production."""

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from app.domain.jobs.queue import enqueue
from app.domain.jobs.worker import run_worker_forever
from app.domain.mail import outbox, queue_mail
from app.storage.tables import Job
from tests.support.jobs import job_row

ROOT = Path(__file__).resolve().parents[2]


def clear_outbox(settings) -> None:
    for path in settings.mail_dir.glob("*.eml"):
        path.unlink()


def worker_env(settings) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "SMTP_URL"}
    env.update(
        DATABASE_URL=settings.database_url,
        WERKPAS_DATA_DIR=str(settings.data_dir),
        WERKPAS_SECRET_KEY=settings.secret_key,
        WERKPAS_BASE_URL=settings.base_url,
    )
    return env


async def start_worker(settings, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "worker",
        *args,
        cwd=ROOT,
        env=worker_env(settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_run_worker_forever_once_runs_what_is_due(settings, recorder):
    job_id = await enqueue("test.ok", {})
    await run_worker_forever(settings, once=True)
    assert recorder.runs == [job_id]
    assert (await job_row(job_id))["status"] == "done"
    assert await Job.count() >= 1  # the session's storage still works afterwards


async def test_werkpas_worker_once_delivers_queued_mail(settings):
    clear_outbox(settings)
    job_id = await queue_mail(to="an.claes@example.be", template="test_message", language="fr", context={"name": "An"})
    process = await start_worker(settings, "--once")
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    [message] = outbox(settings)
    assert message["To"] == "an.claes@example.be"
    assert "Langue : fr" in message.get_body(("plain",)).get_content()
    assert (await job_row(job_id))["status"] == "done"


async def test_two_worker_processes_deliver_each_mail_exactly_once(settings):
    clear_outbox(settings)
    for n in range(30):
        await queue_mail(to=f"person{n}@example.be", template="test_message", language="nl", context={"name": f"#{n}"})
    processes = [await start_worker(settings, "--once") for _ in range(2)]
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), 90)
    for process, (_out, err) in zip(processes, results, strict=False):
        assert process.returncode == 0, err.decode()
    recipients = sorted(message["To"] for message in outbox(settings))
    assert recipients == sorted(f"person{n}@example.be" for n in range(30))
    assert await Job.count().where(Job.status == "done") == 30


async def test_worker_process_runs_until_sigterm_then_stops_cleanly(settings):
    clear_outbox(settings)
    process = await start_worker(settings)
    try:
        await queue_mail(to="bram@example.be", template="test_message", language="en", context={"name": "Bram"})
        deadline = time.monotonic() + 30
        while not outbox(settings) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert len(outbox(settings)) == 1
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    assert "job worker stopped" in err.decode()
