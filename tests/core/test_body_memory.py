"""Large bodies against a real `werkpas serve` (Granian, as in production),
measured from outside: refused with 413 without growing the server's
memory, and refused before they are received when the CSRF cookie is
missing. Uses the test database of this run (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from pathlib import Path

import pytest

from bench import server as live

MB = 1024 * 1024


@pytest.fixture
async def server(settings, tmp_path):
    port = live.free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WERKPAS_", "DATABASE_URL", "REDIS_URL", "SMTP_URL"))
    }
    env.update(
        WERKPAS_DATA_DIR=str(tmp_path),
        DATABASE_URL=settings.database_url,
        WERKPAS_SECRET_KEY=settings.secret_key,
        WERKPAS_BASE_URL=f"http://{live.HOST}:{port}",
        WERKPAS_RUN_JOBS="0",
        WERKPAS_ARGON2_PROFILE="test",
        HOST=live.HOST,
        PORT=str(port),
    )
    running = await asyncio.to_thread(
        live.start, [*live.werkpas_command(), "serve", "--workers", "1"], env, tmp_path / "server.log", port
    )
    yield running
    await asyncio.to_thread(running.stop)


def resident_mib(server: live.Server) -> float:
    """VmRSS of the server and its worker processes, in MiB."""
    total = 0
    for pid in server.pids():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def post(
    port: int, path: str, head_only_length: int | None = None, body: bytes = b"", cookie: str = ""
) -> tuple[int, float]:
    """POST over a raw socket; returns the status and how long the answer took.
    With `head_only_length`, the headers announce that many bytes and none
    are sent: a server that waits for the body would time out."""
    length = head_only_length if head_only_length is not None else len(body)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {live.HOST}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n"
    ).encode()
    started = time.monotonic()
    with socket.create_connection((live.HOST, port), timeout=10) as sock:
        sock.sendall(head)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(body)  # the server may answer and close without reading it all
        answer = b""
        try:
            while b"\r\n" not in answer:
                piece = sock.recv(4096)
                if not piece:
                    break
                answer += piece
        except ConnectionResetError:
            pass
    status_line = answer.split(b"\r\n", 1)[0].split()
    return (int(status_line[1]) if len(status_line) > 1 else 0), time.monotonic() - started


def distinct_body(number: int) -> bytes:
    # Different bytes each time, so no cache keyed by the body could hit.
    head = f"email=user{number}%40example.be&password=".encode()
    return head + os.urandom(MB // 2).hex().encode()[: MB - len(head)]


async def test_fifty_distinct_1_mb_bodies_get_413_and_leave_the_memory_as_it_was(server):
    for number in range(3):  # warm up: the first requests load templates and code
        await asyncio.to_thread(post, server.port, "/login", None, distinct_body(1000 + number))
    before = resident_mib(server)
    statuses = [
        (await asyncio.to_thread(post, server.port, "/login", None, distinct_body(number)))[0] for number in range(50)
    ]
    after = resident_mib(server)
    assert statuses == [413] * 50
    assert after - before < 50, f"resident memory grew from {before:.0f} to {after:.0f} MiB"


async def test_a_body_without_csrf_cookie_is_refused_without_waiting_for_it(server):
    status, seconds = await asyncio.to_thread(post, server.port, "/login", 60 * 1024)
    assert status == 403
    assert seconds < 5  # the server did not wait for the 60 KB that never came
