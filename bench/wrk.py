"""Running wrk against one URL and reading its summary."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

THREADS = 2
CONNECTIONS = 32
WARMUP_SECONDS = 2
SECONDS = 4


class WrkError(RuntimeError):
    pass


@dataclass
class Result:
    requests_per_second: float
    latency_ms: float
    non_2xx: int
    errors: int
    requests: int


def available() -> bool:
    return shutil.which("wrk") is not None


def warm_up(url: str, headers: dict[str, str] | None = None, connections: int = CONNECTIONS) -> None:
    _wrk(url, headers, WARMUP_SECONDS, connections)


def run(
    url: str, headers: dict[str, str] | None = None, seconds: int = SECONDS, connections: int = CONNECTIONS
) -> Result:
    """One measurement. Bounded: wrk stops itself after `seconds`, and a hung
    wrk is killed well after that."""
    return _parse(_wrk(url, headers, seconds, connections))


def _wrk(url: str, headers: dict[str, str] | None, seconds: int, connections: int) -> str:
    command = [
        "wrk",
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
    except subprocess.TimeoutExpired as exc:
        raise WrkError(f"wrk did not finish: {url}") from exc
    if done.returncode != 0:
        raise WrkError(f"wrk failed on {url}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def _parse(output: str) -> Result:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)\b", output)
    if not rps or not total or not latency:
        raise WrkError(f"cannot read wrk output:\n{output}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Result(
        requests_per_second=float(rps.group(1)),
        latency_ms=float(latency.group(1)) * scale,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        requests=int(total.group(1)),
    )
