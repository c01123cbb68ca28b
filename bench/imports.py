"""Bulk registration bench: a 10,000-row list, dry run and apply, on a fresh
SQLite database in this process, with wall time and peak Python memory
(tracemalloc) per step, plus the process's peak resident size. Tracing
memory slows Python down several times, so the scenario runs twice on fresh
databases: once timed, once traced.

Targets (issue 4): apply under 10 s, peak memory under 300 MB. Missing one
is reported, not a failure.

    python -m bench.imports [--rows 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROWS = 10_000
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
    from app.domain.commands import Command, execute
    from app.domain.invitations.imports import plan as planning
    from app.domain.invitations.imports.reading import read
    from app.domain.invitations.imports.staging import staged
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
        from datetime import datetime, timezone

        org = (await Organisation.insert(Organisation(name="Bench BV", slug="bench-bv", kind="employer", created_at=datetime.now(timezone.utc))))[0]["id"]
        data = staff_list(rows)

        async def dry_run():
            return await planning.make_plan(read(data), org, "create")

        async def apply():
            parsed = read(data)
            payload = {"organisation_id": org, "file_sha256": parsed.digest, "mode": "create", "file_kind": parsed.kind}
            async with staged(parsed):
                return await execute(Command(type="invitations.import_apply", payload=payload, actor_id=None, channel="cli"))

        plan, dry_s, dry_mb = await _measure(dry_run, traced)
        outcome, apply_s, apply_mb = await _measure(apply, traced)
        again, again_s, again_mb = await _measure(apply, traced)
    finally:
        await db.disconnect()
        db.dispose()
    return {"plan": plan, "outcome": outcome, "again": again, "s": (dry_s, apply_s, again_s), "mb": (dry_mb, apply_mb, again_mb)}


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
        f"import {rows} rows  apply    {apply_s:6.2f} s  peak {apply_mb:6.1f} MB  (target < {TARGET_APPLY_S:.0f} s, < {TARGET_PEAK_MB:.0f} MB)",
        f"import {rows} rows  re-apply {again_s:6.2f} s  peak {again_mb:6.1f} MB  (all code 2: {'yes' if ok else 'NO'})",
        f"import process peak RSS {rss_mb:.0f} MB; {verdict}",
    ]


def run(rows: int = ROWS) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="werkpas-bench-imports-") as tmp:
        return asyncio.run(_run(Path(tmp), rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args(argv)
    for line in run(args.rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
