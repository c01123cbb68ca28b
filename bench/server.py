"""Starting and stopping a Werkpas server process for measurements.

Loopback only: the server binds 127.0.0.1 on a free port and every request
the bench sends goes there."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def werkpas_command() -> list[str]:
    # The console script of the venv running us; `python -m app.cli` otherwise.
    script = Path(sys.executable).with_name("werkpas")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path
    data_dir: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pids(self) -> list[int]:
        """The server process and its descendants (Granian forks a worker)."""
        found, frontier = [], [self.process.pid]
        while frontier:
            pid = frontier.pop()
            found.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            frontier.extend(int(child) for child in children)
        return found

    def peak_rss_mib(self) -> dict[int, float]:
        """VmHWM (peak resident memory) per process, in MiB."""
        peaks = {}
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return peaks

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is not None:
            return
        # The server runs in its own process group, so its worker goes too.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=timeout)


def start(
    command: list[str],
    env: dict[str, str],
    log_path: Path,
    port: int,
    ready_path: str = "/healthz",
    timeout: float = 30,
    data_dir: Path | None = None,
) -> Server:
    log = log_path.open("wb")
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    server = Server(process=process, port=port, log_path=log_path, data_dir=data_dir)
    try:
        wait_ready(server, ready_path, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}; log:\n{tail(server.log_path)}")
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout:.0f}s; log:\n{tail(server.log_path)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
