"""`make bench`, printing: a 1,000-card PDF of invitation sheets and one of
kiosk badges, with time and peak memory.

Each measurement runs in a fresh child process (`python -m bench.printing
--measure sheets|badges`) so its peak RSS (ru_maxrss: interpreter, imports
and the PDF together) belongs to that PDF alone. Timed: the query, the QR
codes, the rendering and writing the file; for badges also issuing the
1,000 badges through the `invitations.issue_badge` command (shown apart).
Targets: under 5 s and under 300 MB per PDF. Missing one is reported, not a
failure; the exit code is non-zero only when something breaks.

    python -m bench.printing            # alone
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

CARDS = 1000
TARGET_SECONDS, TARGET_MIB = 5.0, 300.0
SLUG = "bench-print"


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WERKPAS_", "DATABASE_URL", "REDIS_URL", "SMTP_URL"))
    }
    env.update(
        WERKPAS_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'print.db'}",
        WERKPAS_SECRET_KEY="bench-secret-key-not-for-production-0123456789",
        WERKPAS_BASE_URL="https://werkpas.example",
        WERKPAS_RUN_JOBS="0",
    )
    return env


def _settings(env: dict[str, str]):
    from app.config import load_settings, set_settings

    settings = load_settings(env)
    set_settings(settings)
    return settings


async def _prepare(env: dict[str, str]) -> None:
    """1,000 people with an open invitation each (names with accents, three languages)."""
    from app.domain.invitations import people
    from app.storage import db
    from app.storage.migrate import migrate
    from app.storage.tables import Organisation

    settings = _settings(env)
    await migrate(settings, quiet=True)
    db.configure(settings)
    await db.connect()
    try:
        from app.domain.core.commands import utcnow

        org = (
            await Organisation.insert(
                Organisation(name="Brouwerij De Klok", slug=SLUG, kind="employer", created_at=utcnow())
            )
        )[0]["id"]
        firsts, lasts = (
            ("Amira", "Jean", "Ayşe", "Pieter", "Fatima", "Luc"),
            ("Vandenbroucke-Çelik", "Dupré", "Yılmaz", "Peeters", "El Amrani", "Lambert"),  # noqa: RUF001
        )
        async with db.transaction():
            for n in range(CARDS):
                raw = {
                    "last_name": f"{lasts[n % 6]} {n}",
                    "first_name": firsts[n % 6],
                    "birth_date": date(1970, 1, 1) + timedelta(days=n * 7),
                    "postcode": "9000",
                    "language": ("nl", "fr", "en")[n % 3],
                }
                fields, problems = people.validate_person(raw, "nl")
                assert not problems, problems
                person_id, _created = await people.ensure_person(fields)
                await people.ensure_membership(person_id, org, None, "import")
                await people.issue_invitation(
                    organisation_id=org,
                    unit_id=None,
                    person_id=person_id,
                    issued_by=None,
                    delivery="paper",
                    language=fields.language,
                    valid_days=30,
                )
    finally:
        await db.disconnect()
        db.dispose()


async def _measure(kind: str, env: dict[str, str], out: Path) -> dict:
    from app.domain.invitations.printing import badges, queries, sheets
    from app.domain.registry import load_handlers
    from app.storage import db

    settings = _settings(env)
    load_handlers()
    db.configure(settings)
    await db.connect()
    try:
        organisation = await queries.organisation_by_slug(SLUG)
        result: dict = {"kind": kind}
        if kind == "badges":
            # Issuing is a one-off write, measured apart from the PDF.
            invitation_ids = [row["id"] for row in await _all_invitations(organisation["id"])]
            people = await queries.people_of_invitations(invitation_ids, None)
            issued = time.perf_counter()
            await badges.ensure_badges(people, actor_id=None, channel="cli", request_id=uuid.uuid4())
            result["issue_seconds"] = time.perf_counter() - issued
        started = time.perf_counter()
        if kind == "sheets":
            cards = await queries.open_sheets_for_organisation(organisation["id"])
            pdf = sheets.render_sheets(cards)
            pages = -(-len(cards) // sheets.PER_PAGE)
        else:
            cards = await badges.badge_cards(people)
            pdf = badges.render_badges(cards)
            pages = -(-len(cards) // badges.PER_PAGE)
        out.write_bytes(pdf)
        result.update(seconds=time.perf_counter() - started, cards=len(cards), pages=pages, bytes=len(pdf))
    finally:
        await db.disconnect()
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


async def _all_invitations(organisation_id: int) -> list[dict]:
    from app.storage.people import Invitation

    return await Invitation.select(Invitation.id).where(Invitation.organisation == organisation_id)


def _child(kind: str, env: dict[str, str], out: Path) -> dict:
    command = [sys.executable, "-m", "bench.printing", "--measure", kind, "--out", str(out)]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[1]
    )
    if done.returncode != 0:
        raise RuntimeError(f"printing bench ({kind}) failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(result: dict) -> str:
    verdict = "MET" if result["seconds"] < TARGET_SECONDS and result["peak_rss_mib"] < TARGET_MIB else "NOT MET"
    extra = (
        f" (before it: issuing {result['cards']} badges, one command each: {result['issue_seconds']:.2f} s)"
        if "issue_seconds" in result
        else ""
    )
    return (
        f"{result['kind']:7} {result['cards']:5} cards, {result['pages']:4} pages, "
        f"{result['bytes'] / 1e6:5.1f} MB PDF: {result['seconds']:5.2f} s, peak RSS {result['peak_rss_mib']:4.0f} MiB; "
        f"target < {TARGET_SECONDS:.0f} s and < {TARGET_MIB:.0f} MB: {verdict}{extra}"
    )


def run() -> int:
    """Prepare the data, measure both PDFs, print one line each."""
    print(
        f"\nPrinting: {CARDS:,} invitation sheets and {CARDS:,} kiosk badges (reportlab, vector QR codes)", flush=True
    )
    with tempfile.TemporaryDirectory(prefix="werkpas-bench-print-") as tmp:
        folder = Path(tmp)
        env = environment(folder)
        try:
            asyncio.run(_prepare(env))
            results = [_child(kind, env, folder / f"{kind}.pdf") for kind in ("sheets", "badges")]
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"bench: FAILED: {error}", file=sys.stderr)
            return 1
    for result in results:
        print(_line(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.printing", description=__doc__.splitlines()[0])
    parser.add_argument("--measure", choices=("sheets", "badges"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(asyncio.run(_measure(args.measure, dict(os.environ), Path(args.out)))))
        return 0
    return run()


if __name__ == "__main__":
    sys.exit(main())
