"""Participation bench (issue 11, point 15), in this process on a fresh
SQLite database (or DATABASE_URL given with --database-url):

(a) 200 concurrent `participation.buy_chair` commands on one table (a table
    of at most 180 chairs, so 20 buyers meet `table_full`: a mix), beside
    the baseline of the same run: the same 200 purchases one after another
    on a second table. Checked: no wallet below zero and no lost coin (the
    sum of the ledger is exactly what was refilled minus what was paid).
(b) The organisation's health barometer over 10,000 evaluations (inserted
    as rows): the full report (overall, per month, subgroup, room and
    meeting, open answers, goals) and the barometer page through the app,
    p50 and p95, beside the baseline of the same run: one aggregate over the
    same evaluations (the overall score alone: the least the report reads).
    Target: the report under 200 ms (p95).

Missing a target is reported, not a failure; a broken invariant is.

    python -m bench.participation [--evaluations 10000] [--buyers 200] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

BUYERS = 200
MAX_CHAIRS = 180
EVALUATIONS = 10_000
RUNS = 30
WARM_UP = 3
TARGET_MS = 200.0
COINS, CHAIR_PRICE, TABLE_PRICE = 10, 2, 3
SUBGROUPS = ("Ploeg Vroeg", "Ploeg Laat", "Ploeg Nacht", "Onderhoud")
PASSWORD = "bench password 4 werkpas"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def _timed(step, runs: int) -> list[float]:
    for _ in range(WARM_UP):
        await step()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await step()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def _world(buyers: int):
    from app.domain.accounts.passwords import hash_secret
    from app.domain.participation.setup import add_default_rooms
    from app.domain.participation.wallet import period_of
    from app.storage import db
    from app.storage.participation import CoinEntry, ParticipationSettings, Room, Wallet
    from app.storage.tables import Organisation, RoleGrant, Unit, User

    now = datetime.now(UTC)
    async with db.transaction():
        org = (
            await Organisation.insert(
                Organisation(name="Bench Brouwerij", slug="bench-brouwerij", kind="employer", created_at=now)
            )
        )[0]["id"]
        units = []
        for name in SUBGROUPS:
            unit = (await Unit.insert(Unit(organisation=org, name=name, kind="subgroup", path="", created_at=now)))[0][
                "id"
            ]
            await Unit.update({Unit.path: f"/{unit}/"}).where(Unit.id == unit)
            units.append(unit)
        await ParticipationSettings.insert(
            ParticipationSettings(
                organisation=org,
                coins_per_period=COINS,
                chair_price=CHAIR_PRICE,
                table_price=TABLE_PRICE,
                max_chairs=MAX_CHAIRS,
                updated_at=now,
            )
        )
        people = []
        for index in range(buyers + 1):
            user = (
                await User.insert(
                    User(
                        email=f"bench-worker{index}@werkpas.test",
                        display_name=f"Bench Worker {index}",
                        language="nl",
                        organisation=org,
                        created_at=now,
                    )
                )
            )[0]["id"]
            # Everyone in the first subgroup, so every buyer sees the tables.
            await RoleGrant.insert(RoleGrant(user=user, role="worker", organisation=org, unit=units[0], created_at=now))
            # This period's refill written beforehand: both runs pay the same.
            wallet = (await Wallet.insert(Wallet(organisation=org, user=user, kind="real", created_at=now)))[0]["id"]
            await CoinEntry.insert(
                CoinEntry(wallet=wallet, amount=COINS, reason="refill", period=period_of(now, "month"), created_at=now)
            )
            people.append(user)
        reader = (
            await User.insert(
                User(
                    email="bench-hr@werkpas.test",
                    display_name="Bench HR",
                    password_hash=hash_secret(PASSWORD),
                    language="en",
                    organisation=org,
                    created_at=now,
                )
            )
        )[0]["id"]
        await RoleGrant.insert(RoleGrant(user=reader, role="hr", organisation=org, created_at=now))
    await add_default_rooms(org)
    rooms = [row["id"] for row in await Room.select(Room.id).where(Room.organisation == org).order_by(Room.id)]
    return org, units, rooms, people


async def _command(type: str, payload: dict, actor: int):
    from app.domain.core.commands import Command, execute

    return await execute(Command(type=type, payload=payload, actor_id=actor, channel="web", id=uuid.uuid4()))


async def _ledger(org: int) -> tuple[int, int]:
    """(sum of every entry, the lowest wallet balance) of the organisation."""
    from piccolo.querystring import QueryString

    from app.storage import db

    rows = await db.engine().run_querystring(
        QueryString(
            'SELECT w."id" AS wallet, COALESCE(SUM(c."amount"), 0) AS total FROM "wallet" w '
            'LEFT JOIN "coin_entry" c ON c."wallet" = w."id" WHERE w."organisation" = {} GROUP BY w."id"',
            org,
        )
    )
    totals = [int(row["total"]) for row in rows]
    return sum(totals), min(totals)


async def _chairs(org: int, rooms: list[int], people: list[int]) -> list[str]:
    from app.storage.participation import Seat

    opener, buyers = people[0], people[1:]
    tables = []
    for title in ("Bench: one after another", "Bench: all at once"):
        outcome = await _command(
            "participation.open_table", {"room_id": rooms[0], "title": title, "about": "x"}, opener
        )
        if not outcome.applied:
            raise RuntimeError(f"open_table refused: {outcome.errors}")
        tables.append(outcome.ids["table_id"])
    started = time.perf_counter()
    sequential = [await _command("participation.buy_chair", {"table_id": tables[0]}, buyer) for buyer in buyers]
    sequential_s = time.perf_counter() - started
    started = time.perf_counter()
    concurrent = await asyncio.gather(
        *[_command("participation.buy_chair", {"table_id": tables[1]}, buyer) for buyer in buyers]
    )
    concurrent_s = time.perf_counter() - started
    expected_applied = min(MAX_CHAIRS, len(buyers))
    for name, outcomes, table in (("sequential", sequential, tables[0]), ("concurrent", concurrent, tables[1])):
        applied = sum(outcome.applied for outcome in outcomes)
        codes = {outcome.code() for outcome in outcomes if not outcome.applied}
        seats = await Seat.count().where((Seat.table == table) & (Seat.role == "chair"))
        if applied != expected_applied or seats != applied or codes - {"table_full"}:
            raise RuntimeError(f"{name}: {applied} applied, {seats} chairs, refusals {codes}")
    total, lowest = await _ledger(org)
    paid = 2 * TABLE_PRICE + 2 * expected_applied * CHAIR_PRICE
    expected = COINS * len(people) - paid
    if total != expected or lowest < 0:
        raise RuntimeError(f"ledger: sum {total}, expected {expected}; lowest balance {lowest}")
    return [
        f"(a) {len(buyers)} chair purchases on one table of {MAX_CHAIRS} chairs ({expected_applied} bought, "
        f"{len(buyers) - expected_applied} table_full)",
        f"    base: one after another {sequential_s * 1000:8.0f} ms  ({sequential_s * 1000 / len(buyers):.2f} ms each)",
        f"    all at once (asyncio.gather) {concurrent_s * 1000:8.0f} ms  ratio {concurrent_s / sequential_s:.2f}",
        f"    ledger: sum {total} = {COINS} x {len(people)} refilled - {paid} paid; lowest balance {lowest}"
        " (never below zero): ok",
    ]


async def _evaluations(org: int, units: list[int], rooms: list[int], people: list[int], count: int) -> int:
    """`count` answers to held meetings spread over the last twelve months,
    the subgroups and the rooms (20 answers a meeting)."""
    from app.storage import db
    from app.storage.participation import Evaluation, ParticipationTable

    now = datetime.now(UTC)
    per_table = 20
    tables = (count + per_table - 1) // per_table
    made = 0
    async with db.transaction():
        for index in range(tables):
            closed = now - timedelta(hours=7 + index * (24 * 320 // tables))
            table = (
                await ParticipationTable.insert(
                    ParticipationTable(
                        organisation=org,
                        room=rooms[index % len(rooms)],
                        unit=units[index % len(units)],
                        opener=people[0],
                        title=f"Bench overleg {index}",
                        phase="held",
                        closed_at=closed,
                        created_at=closed - timedelta(days=14),
                        updated_at=closed,
                    )
                )
            )[0]["id"]
            rows = []
            for answer in range(min(per_table, count - made)):
                n = index * per_table + answer
                rows.append(
                    Evaluation(
                        table=table,
                        user=people[answer + 1],
                        organisation=org,
                        process=(n * 37) % 101,
                        satisfaction=1 + n % 5,
                        sentence=f"Zin {n}" if n % 7 == 0 else "",
                        heard=n % 3 != 0,
                        opinion=n % 4 != 0,
                        expected=n % 2 == 0,
                        drifted=n % 5 == 0,
                        drift_helped=(n % 10 == 0) if n % 5 == 0 else None,
                        duration=(n * 53) % 101,
                        other="Nog iets" if n % 11 == 0 else "",
                        created_at=closed + timedelta(hours=1),
                        updated_at=closed + timedelta(hours=1),
                    )
                )
            await Evaluation.insert(*rows)
            made += len(rows)
    return made


async def _page_client(settings):
    import httpx

    from app.web.app import create_app

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    client = httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000")
    await client.get("/login")
    token = client.cookies.get("werkpas_csrf")
    response = await client.post(
        "/login", data={"email": "bench-hr@werkpas.test", "password": PASSWORD, "_csrf_token": token}
    )
    if response.status_code != 303:
        await client.aclose()
        raise RuntimeError(f"bench login answered {response.status_code}")
    return client


async def _barometer(settings, org: int, units, rooms, people, count: int, runs: int) -> tuple[list[str], dict]:
    from piccolo.querystring import QueryString

    from app.domain.participation import barometer
    from app.storage import db

    started = time.perf_counter()
    made = await _evaluations(org, units, rooms, people, count)
    load_s = time.perf_counter() - started
    period = barometer.default_period(datetime.now(UTC).date())
    count_sql = QueryString('SELECT COUNT(*) AS n FROM "evaluation" WHERE "organisation" = {}', org)

    async def base():
        return await barometer.overall(org, period)

    async def report():
        return await barometer.organisation_report(org, period)

    counted = int((await db.engine().run_querystring(count_sql))[0]["n"])
    result = await report()
    if counted != made or not result.overall.enough or result.overall.answers != made:
        raise RuntimeError(f"barometer counted {result.overall.answers} of {made} answers")
    measured = {"base": await _timed(base, runs), "report": await _timed(report, runs)}
    client = await _page_client(settings)
    try:

        async def page():
            response = await client.get(f"/participation/barometer?organisation={org}")
            if response.status_code != 200 or 'class="baro-total"' not in response.text:
                raise RuntimeError(f"barometer page answered {response.status_code}")

        measured["page"] = await _timed(page, runs)
    finally:
        await client.aclose()
    base50, base95 = _p(measured["base"], 0.5), _p(measured["base"], 0.95)
    lines = [
        f"(b) organisation barometer over {made:,} evaluations ({result.meetings_answered} meetings, "
        f"{len(units)} subgroups, {len(rooms)} rooms; loaded in {load_s:.1f}s)",
        f"    {'':44} {'p50':>9} {'p95':>9} {'p50/base':>9}",
        f"    {'base: one aggregate of the same rows':44} {base50:6.2f} ms {base95:6.2f} ms {1:9.2f}",
    ]
    summary = {"evaluations": made, "runs": runs, "base": {"p50_ms": base50, "p95_ms": base95}}
    labels = {"report": "the full report (organisation_report)", "page": "GET /participation/barometer (in-process)"}
    for name, label in labels.items():
        p50, p95 = _p(measured[name], 0.5), _p(measured[name], 0.95)
        lines.append(f"    {label:44} {p50:6.2f} ms {p95:6.2f} ms {p50 / base50:9.1f}")
        summary[name] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
    report95 = summary["report"]["p95_ms"]
    verdict = "MET" if report95 < TARGET_MS else "NOT MET"
    lines.append(f"    report p95 = {report95:.1f} ms  target < {TARGET_MS:.0f} ms: {verdict}")
    summary["target_met"] = report95 < TARGET_MS
    return lines, summary


async def _run(workdir: Path, buyers: int, count: int, runs: int, database_url: str | None) -> list[str]:
    from app.config import load_settings, set_settings
    from app.domain.registry import load_handlers
    from app.storage import db
    from app.storage.migrate import migrate

    settings = load_settings(
        {
            "WERKPAS_DATA_DIR": str(workdir),
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'participation.db'}",
            "WERKPAS_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
            "WERKPAS_BASE_URL": "http://127.0.0.1:8000",
            "WERKPAS_RUN_JOBS": "0",
            "WERKPAS_BENCH": "1",
        }
    )
    set_settings(settings)
    load_handlers()
    await migrate(settings, quiet=True)
    db.configure(settings)
    await db.connect()
    try:
        org, units, rooms, people = await _world(max(buyers, 20))
        kind = "PostgreSQL" if db.is_postgres() else "SQLite"
        lines = ["", f"Participation (issue 11) on {kind}, in this process"]
        lines += await _chairs(org, rooms, people)
        more, summary = await _barometer(settings, org, units, rooms, people, count, runs)
        lines += more
    finally:
        await db.disconnect()
        db.dispose()
    from bench.run import RESULTS

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "participation.json").write_text(json.dumps(summary, indent=2) + "\n")
    return lines


def run(
    buyers: int = BUYERS, evaluations: int = EVALUATIONS, runs: int = RUNS, database_url: str | None = None
) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="werkpas-bench-participation-") as tmp:
        return asyncio.run(_run(Path(tmp), buyers, evaluations, runs, database_url))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.participation", description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=BUYERS)
    parser.add_argument("--evaluations", type=int, default=EVALUATIONS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args(argv)
    try:
        lines = run(args.buyers, args.evaluations, args.runs, args.database_url)
    except RuntimeError as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
