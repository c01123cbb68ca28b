"""`make bench`: requests per second of the production server on loopback.

(a)  a bare JSON route, anonymous                   /_bench/json
(b)  the admin users page, 50 rows from memory      /_bench/rows
(b') the same page, 50 rows by a raw sqlite3 read   /_bench/rows-sqlite
(c)  the real admin users list, 50 rows by Piccolo  /admin/users

(b), (b') and (c) go through the same middleware as a signed-in platform
admin. c/b is the storage path's cost (target >= 0.6, aim 0.75); c/b' says how
close the storage path comes to a raw sqlite3 read. Missing a target is
reported, not a failure: the exit code is non-zero only when something
breaks (the server does not start, a page does not answer 200 with 50 rows).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from app.config import load_settings
from bench import data, login, server, wrk

ROWS = 50
TARGET, AIM = 0.6, 0.75
ADMIN_LIST = "/admin/users?per_page=50"  # the real admin list, 50 rows a page
RESULTS = server.ROOT / "bench-results"
LABELS = {
    "a": ("a", "bare JSON /_bench/json"),
    "b": ("b", "50 rows from memory /_bench/rows"),
    "b_raw": ("b'", "50 rows by raw sqlite3 /_bench/rows-sqlite"),
    "c": ("c", f"50 rows via Piccolo {ADMIN_LIST}"),
}


def environment(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WERKPAS_", "DATABASE_URL", "REDIS_URL", "SMTP_URL"))
    }
    env.update(
        WERKPAS_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'bench.db'}",
        WERKPAS_SECRET_KEY="bench-secret-key-not-for-production-0123456789",
        WERKPAS_BASE_URL=f"http://{server.HOST}:{port}",
        WERKPAS_RUN_JOBS="0",
        WERKPAS_BENCH="1",
        HOST=server.HOST,
        PORT=str(port),
    )
    return env


def check_page(base_url: str, path: str, cookies: dict[str, str]) -> None:
    """A measured page must really be the 50-row page, not a redirect or error."""
    status, body = login.get(base_url, path, cookies)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    rows = len(re.findall(r"<tr[\s>]", body.split("<tbody", 1)[1])) if "<tbody" in body else 0
    if rows != ROWS:
        raise RuntimeError(f"GET {path} shows {rows} table rows, expected {ROWS}")


class Measured:
    """The best of several interleaved rounds per target, and every round."""

    def __init__(self) -> None:
        self.rounds: dict[str, list[wrk.Result]] = {}

    def add(self, name: str, result: wrk.Result) -> None:
        self.rounds.setdefault(name, []).append(result)

    def best(self, name: str) -> wrk.Result:
        return max(self.rounds[name], key=lambda result: result.requests_per_second)

    def rps(self, name: str) -> float:
        return self.best(name).requests_per_second

    def spread(self, name: str) -> str:
        return "/".join(f"{r.requests_per_second:.0f}" for r in self.rounds[name])


def measure(
    base_url: str, targets: dict[str, tuple[str, dict | None]], seconds: int, rounds: int, measured: Measured
) -> None:
    """Each target is warmed up once, then measured in interleaved rounds and
    the best round counts: other load on the machine only ever lowers a
    round, and interleaving keeps b and c under the same conditions."""
    for path, headers in targets.values():
        wrk.warm_up(base_url + path, headers)
    for number in range(1, rounds + 1):
        print(f"  round {number}/{rounds}: {', '.join(LABELS.get(n, (n,))[0] for n in targets)}", flush=True)
        for name, (path, headers) in targets.items():
            result = wrk.run(base_url + path, headers=headers, seconds=seconds)
            if result.non_2xx or result.errors:
                raise RuntimeError(f"{path}: {result.non_2xx} non-2xx responses, {result.errors} socket errors")
            measured.add(name, result)


def run_granian(workdir: Path, seconds: int, rounds: int, measured: Measured) -> dict[int, float]:
    port = server.free_port()
    env = environment(workdir, port)
    bench_data = data.load(load_settings(env))
    print(
        f"Loaded {bench_data.staff_users} staff users; "
        f"starting `werkpas serve` (Granian, 1 worker) on {server.HOST}:{port}",
        flush=True,
    )
    srv = server.start([*server.werkpas_command(), "serve", "--workers", "1"], env, workdir / "granian.log", port)
    try:
        cookies = login.login(srv.base_url, bench_data.admin_email, bench_data.admin_password)
        signed_in = {"Cookie": login.cookie_header(cookies)}
        targets = {
            "a": ("/_bench/json", None),
            "b": ("/_bench/rows", signed_in),
            "b_raw": ("/_bench/rows-sqlite", signed_in),
            "c": (ADMIN_LIST, signed_in),
        }
        for name in ("b", "b_raw", "c"):
            check_page(srv.base_url, targets[name][0], cookies)
        measure(srv.base_url, targets, seconds, rounds, measured)
        return srv.peak_rss_mib()
    finally:
        srv.stop()


def run_uvicorn(workdir: Path, seconds: int, rounds: int, measured: Measured) -> None:
    """The same bare route under uvicorn (uvloop + httptools), for choosing the server."""
    port = server.free_port()
    env = environment(workdir, port)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        server.HOST,
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
        "--workers",
        "1",
    ]
    print(f"Starting uvicorn (uvloop + httptools, 1 worker) on {server.HOST}:{port}", flush=True)
    srv = server.start(command, env, workdir / "uvicorn.log", port)
    try:
        measure(srv.base_url, {"a_uvicorn": ("/_bench/json", None)}, seconds, rounds, measured)
    finally:
        srv.stop()


def report(measured: Measured, peaks: dict[int, float], load_before: str) -> dict:
    c_b, c_b_raw = measured.rps("c") / measured.rps("b"), measured.rps("c") / measured.rps("b_raw")
    lines = ["", f"{'':3} {'route':48} {'req/s':>7} {'latency':>10}  rounds"]
    rows = dict(LABELS)
    if "a_uvicorn" in measured.rounds:
        rows["a_uvicorn"] = ("a", "bare JSON under uvicorn (server comparison)")
    for name, (short, label) in rows.items():
        best = measured.best(name)
        lines.append(
            f"{short:3} {label:48} {best.requests_per_second:7.0f} {best.latency_ms:7.2f} ms  {measured.spread(name)}"
        )
    verdict = "MET, aim reached" if c_b >= AIM else ("MET, below the aim" if c_b >= TARGET else "NOT MET")
    lines += [
        "",
        f"c/b   = {c_b:.2f}  target >= {TARGET}, aim {AIM}: {verdict}",
        f"c/b'  = {c_b_raw:.2f}  (1.00: the storage path costs what a raw sqlite3 read costs)",
        f"b'/b  = {measured.rps('b_raw') / measured.rps('b'):.2f}  (what the raw sqlite3 read itself costs)",
        "peak RSS of the server: "
        + ", ".join(f"pid {pid} {mib:.0f} MiB" for pid, mib in peaks.items())
        + f" (total {sum(peaks.values()):.0f} MiB)",
        f"wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS}, {wrk.WARMUP_SECONDS}s warm-up, "
        "best of the rounds shown; loopback only",
        f"load average before the run: {load_before} (other work on the machine lowers every figure)",
    ]
    print("\n".join(lines))
    return {
        "requests_per_second": {name: round(measured.rps(name), 1) for name in measured.rounds},
        "rounds": {name: [r.requests_per_second for r in results] for name, results in measured.rounds.items()},
        "c_over_b": round(c_b, 3),
        "c_over_b_raw_sqlite": round(c_b_raw, 3),
        "target_met": c_b >= TARGET,
        "peak_rss_mib": {str(pid): round(mib, 1) for pid, mib in peaks.items()},
        "load_average_before": load_before,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=wrk.SECONDS, help="seconds per measured round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per route")
    parser.add_argument("--skip-uvicorn", action="store_true", help="do not compare with uvicorn")
    args = parser.parse_args(argv)
    if not wrk.available():
        print("bench: wrk is not installed (make bench installs it)", file=sys.stderr)
        return 2
    started, load_before = time.monotonic(), " ".join(f"{value:.2f}" for value in os.getloadavg())
    measured = Measured()
    with tempfile.TemporaryDirectory(prefix="werkpas-bench-") as tmp:
        workdir = Path(tmp)
        try:
            peaks = run_granian(workdir, args.seconds, args.rounds, measured)
            if not args.skip_uvicorn:
                run_uvicorn(workdir, args.seconds, args.rounds, measured)
        except (RuntimeError, wrk.WrkError) as error:
            print(f"bench: FAILED: {error}", file=sys.stderr)
            return 1
    summary = report(measured, peaks, load_before)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"(took {time.monotonic() - started:.0f}s; figures also in {RESULTS / 'latest.json'})")
    from bench import imports  # bulk registration: 10,000 rows, dry run and apply, in-process

    for line in imports.run():
        print(line)
    from bench import consultant  # consultant search over 100,000 workers, p50/p95 beside the admin list

    try:
        for line in consultant.run():
            print(line)
    except RuntimeError as error:
        print(f"bench: consultant search FAILED: {error}", file=sys.stderr)
        return 1
    from bench import participation  # 200 concurrent chairs; the barometer over 10,000 evaluations

    try:
        for line in participation.run():
            print(line)
    except RuntimeError as error:
        print(f"bench: participation FAILED: {error}", file=sys.stderr)
        return 1
    from bench import printing

    return printing.run()


if __name__ == "__main__":
    sys.exit(main())
