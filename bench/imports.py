"""Bulk registration bench: a 10,000-row list, dry run and apply, on a fresh
SQLite database in this process, with wall time and peak Python memory
(tracemalloc) per step, plus the process's peak resident size. Tracing
memory slows Python down several times, so the scenario runs twice on fresh
databases: once timed, once traced. The file is read as uploads are: by
sandbox.read_upload, in a child process.

Then the cost of that child (issue 7): an XLSX of 10,000 and of 50,000 rows
read in this process (reading.read) and through the sandbox, with the
child's own peak resident memory (VmHWM, sampled from /proc).

Targets (issue 4): apply under 10 s, peak memory under 300 MB. Missing one
is reported, not a failure.

    python -m bench.imports [--rows 10000] [--reading-only]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, date, timedelta
from pathlib import Path

ROWS = 10_000
READING_ROWS = (10_000, 50_000)
TARGET_APPLY_S, TARGET_PEAK_MB = 10.0, 300.0


def staff_list(rows: int) -> bytes:
    """A realistic Belgian Excel export: semicolons, BOM, d/m/yyyy, a third
    without e-mail (invited on paper)."""
    lines = ["Naam;Voornaam;Postcode;Geboortedatum;E-mailadres"]
    for index in range(rows):
        born = date(1960, 1, 1) + timedelta(days=index % 15000)
        email = "" if index % 3 == 0 else f"medewerker{index}@example.be"
        lines.append(f"Achternaam{index};Voornaam{index};{1000 + index % 8999};{born:%d/%m/%Y};{email}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def staff_xlsx(rows: int) -> bytes:
    """The same list as Excel saves it: date cells, numeric postcodes."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Naam", "Voornaam", "Postcode", "Geboortedatum", "E-mailadres"])
    for index in range(rows):
        born = date(1960, 1, 1) + timedelta(days=index % 15000)
        sheet.append(
            [
                f"Achternaam{index}",
                f"Voornaam{index}",
                1000 + index % 8999,
                born,
                "" if index % 3 == 0 else f"medewerker{index}@example.be",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _measure(step, traced: bool):
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    result = await step()
    seconds = time.perf_counter() - started
    peak = 0.0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return result, seconds, peak


async def _scenario(workdir: Path, rows: int, traced: bool) -> dict:
    from app.config import load_settings, set_settings
    from app.domain.core.commands import Command, execute
    from app.domain.invitations.imports import plan as planning
    from app.domain.invitations.imports.sandbox import read_upload
    from app.domain.invitations.payloads import import_payload
    from app.domain.registry import load_handlers
    from app.storage import db
    from app.storage.migrate import migrate
    from app.storage.tables import Organisation

    settings = load_settings(
        {
            "WERKPAS_DATA_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'imports.db'}",
            "WERKPAS_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
            "WERKPAS_BASE_URL": "http://127.0.0.1:8000",
            "WERKPAS_RUN_JOBS": "0",
        }
    )
    set_settings(settings)
    load_handlers()
    await migrate(settings, quiet=True)
    db.configure(settings)
    await db.connect()
    try:
        from datetime import datetime

        org = (
            await Organisation.insert(
                Organisation(name="Bench BV", slug="bench-bv", kind="employer", created_at=datetime.now(UTC))
            )
        )[0]["id"]
        data = staff_list(rows)

        async def dry_run():
            return await planning.make_plan(await read_upload(data), org, "create")

        async def apply():
            parsed = await read_upload(data)
            payload = import_payload(parsed, org, None, "create")
            return await execute(
                Command(type="invitations.import_apply", payload=payload, actor_id=None, channel="cli")
            )

        plan, dry_s, dry_mb = await _measure(dry_run, traced)
        outcome, apply_s, apply_mb = await _measure(apply, traced)
        again, again_s, again_mb = await _measure(apply, traced)
    finally:
        await db.disconnect()
        db.dispose()
    return {
        "plan": plan,
        "outcome": outcome,
        "again": again,
        "s": (dry_s, apply_s, again_s),
        "mb": (dry_mb, apply_mb, again_mb),
    }


async def _run(workdir: Path, rows: int) -> list[str]:
    timed = await _scenario(workdir / "timed", rows, traced=False)
    traced = await _scenario(workdir / "traced", rows, traced=True)
    plan, outcome, again = timed["plan"], timed["outcome"], timed["again"]
    (dry_s, apply_s, again_s), (dry_mb, apply_mb, again_mb) = timed["s"], traced["mb"]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = outcome.applied and outcome.ids.get("code_1") == rows and again.ids.get("code_2") == rows
    verdict = "ok" if apply_s < TARGET_APPLY_S and max(dry_mb, apply_mb, again_mb) < TARGET_PEAK_MB else "MISSED TARGET"
    return [
        f"import {rows} rows  dry run  {dry_s:6.2f} s  peak {dry_mb:6.1f} MB  ({plan.counts()[1]} would be done)",
        f"import {rows} rows  apply    {apply_s:6.2f} s  peak {apply_mb:6.1f} MB  "
        f"(target < {TARGET_APPLY_S:.0f} s, < {TARGET_PEAK_MB:.0f} MB)",
        f"import {rows} rows  re-apply {again_s:6.2f} s  peak {again_mb:6.1f} MB  "
        f"(all code 2: {'yes' if ok else 'NO'})",
        f"import process peak RSS {rss_mb:.0f} MB; {verdict}",
    ]


# -- the reading child --------------------------------------------------------


def _child_peak_mib(data: bytes) -> tuple[float, float]:
    """(seconds, peak resident MiB) of one reading child started exactly as
    the sandbox starts it. VmHWM is read from /proc until it exits: the
    child's rusage would also count the memory of the process it was forked
    from."""
    from app.domain.invitations.imports import sandbox
    from app.domain.invitations.imports.limits import READ_MEMORY_BYTES, READ_SECONDS

    command = [sys.executable, "-I", "-c", sandbox.BOOT, sandbox.ROOT, str(READ_MEMORY_BYTES), str(READ_SECONDS)]
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=sandbox.ENVIRONMENT,
        cwd="/",
    )
    feeder = threading.Thread(target=lambda: (child.stdin.write(data), child.stdin.close()))
    feeder.start()
    output, peak = [], 0
    reader = threading.Thread(target=lambda: output.append(child.stdout.read()))
    reader.start()
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            break
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    feeder.join()
    reader.join()
    if child.returncode != 0:
        raise RuntimeError(f"the reading child exited with {child.returncode}")
    return seconds, peak / 1024


async def _reading(rows: int) -> str:
    from app.domain.invitations.imports.reading import read
    from app.domain.invitations.imports.sandbox import read_upload

    data = staff_xlsx(rows)
    started = time.perf_counter()
    read(data)
    direct = time.perf_counter() - started
    started = time.perf_counter()
    parsed = await read_upload(data)
    sandboxed = time.perf_counter() - started
    child_s, peak = _child_peak_mib(data)
    assert len(parsed.rows) == rows
    return (
        f"read {rows} rows xlsx ({len(data) / 1024 / 1024:.1f} MB)  in-process {direct:5.2f} s  "
        f"sandboxed {sandboxed:5.2f} s"
        f" (+{sandboxed - direct:.2f} s)  child alone {child_s:5.2f} s, peak RSS {peak:.0f} MiB"
    )


def reading(counts=READING_ROWS) -> list[str]:
    async def measure():
        return [await _reading(rows) for rows in counts]

    return asyncio.run(measure())


def run(rows: int = ROWS, reading_only: bool = False) -> list[str]:
    lines = []
    if not reading_only:
        with tempfile.TemporaryDirectory(prefix="werkpas-bench-imports-") as tmp:
            lines += asyncio.run(_run(Path(tmp), rows))
    return lines + reading()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--reading-only", action="store_true", help="only the reading child's cost")
    args = parser.parse_args(argv)
    for line in run(args.rows, args.reading_only):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
