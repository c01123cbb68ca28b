"""The login limits across server processes: a real `werkpas serve` with
WERKPAS_WORKERS=2, its own data dir and database (SQLite in the data dir, or
a throw-away PostgreSQL database in the PostgreSQL pass), 30 wrong passwords
at once over real sockets, then the right one.

The test process never opens the server's database: what was checked is read
from the answers (a checked wrong password is a 422, a refused try a 429)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter

import httpx
import pytest

from app.domain.accounts.limits import ACCOUNT_LIMIT, ADDRESS_LIMIT
from bench import server as live
from tests import conftest
from tests.browser import seed
from tests.limits.helpers import TRIES

CSRF_COOKIE = "werkpas_csrf"
STAFF = seed.USERS["staff"].email


@pytest.fixture(autouse=True)
def clean_db():
    """The server has its own database; the test database is not used."""
    yield


@pytest.fixture(scope="module")
async def database_url(tmp_path_factory):
    if conftest.TEST_DATABASE == "postgres":
        url = await conftest._create_pg_database()
        yield url
        await conftest._drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('limits-db') / 'server.db'}"


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, database_url):
    data_dir = tmp_path_factory.mktemp("limits-server")
    port = live.free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WERKPAS_", "DATABASE_URL", "REDIS_URL", "SMTP_URL"))
    }
    env.update(
        WERKPAS_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        WERKPAS_SECRET_KEY="limits-test-secret-key-0123456789abcdefghij",
        WERKPAS_BASE_URL=f"http://{live.HOST}:{port}",
        WERKPAS_RUN_JOBS="0",
        WERKPAS_ARGON2_PROFILE="test",
        WERKPAS_WORKERS="2",
        HOST=live.HOST,
        PORT=str(port),
    )
    subprocess.run([sys.executable, "-m", "tests.browser.seed"], env=env, cwd=live.ROOT, check=True, timeout=120)
    server = live.start([*live.werkpas_command(), "serve"], env, data_dir / "server.log", port, data_dir=data_dir)
    yield server
    server.stop()


async def _client(server) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=server.base_url, timeout=30, headers={"accept-language": "en"})
    assert (await client.get("/login")).status_code == 200
    return client


async def _post_logins(client: httpx.AsyncClient, pairs: list[tuple[str, str]]) -> Counter:
    token = client.cookies[CSRF_COOKIE]

    # One connection per try, so the tries spread over both workers.
    async def one(email: str, password: str) -> int:
        async with httpx.AsyncClient(base_url=str(client.base_url), timeout=30, cookies=client.cookies) as own:
            response = await own.post("/login", data={"email": email, "password": password, "_csrf_token": token})
            return response.status_code

    return Counter(await asyncio.gather(*(one(email, password) for email, password in pairs)))


def test_the_server_runs_two_worker_processes(two_workers):
    # Granian's main process and its two workers.
    assert len(two_workers.pids()) >= 3, live.tail(two_workers.log_path)


async def test_login_limits_hold_across_two_workers(two_workers):
    client = await _client(two_workers)
    try:
        statuses = await _post_logins(client, [(STAFF, f"wrong guess {n}") for n in range(TRIES)])
        assert statuses == {422: ACCOUNT_LIMIT, 429: TRIES - ACCOUNT_LIMIT}, live.tail(two_workers.log_path)
        assert await _post_logins(client, [(STAFF.upper(), seed.PASSWORD)]) == {429: 1}
        # Per address: the account's checked tries count here too.
        left = ADDRESS_LIMIT - ACCOUNT_LIMIT
        statuses = await _post_logins(client, [(f"guess{n}@example.be", "wrong guess") for n in range(TRIES)])
        assert statuses == {422: left, 429: TRIES - left}, live.tail(two_workers.log_path)
        assert await _post_logins(client, [(seed.USERS["admin"].email, seed.PASSWORD)]) == {429: 1}
    finally:
        await client.aclose()
