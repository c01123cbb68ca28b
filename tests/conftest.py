"""Shared fixtures. The whole suite runs once per database:
WERKPAS_TEST_DATABASE=sqlite (default) or postgres (a throw-away database on
127.0.0.1:5432 is created for the run and dropped afterwards)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.config import load_settings, set_settings
from app.storage import db
from app.storage.migrate import migrate
from app.storage.registry import all_tables

TEST_DATABASE = os.environ.get("WERKPAS_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get("WERKPAS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(config, items):
    # Browser tests run in the SQLite pass only (make test runs both passes).
    if TEST_DATABASE != "sqlite":
        skip = pytest.mark.skip(reason="browser tests run in the SQLite pass")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


async def _create_pg_database() -> str:
    import asyncpg

    name = f"werkpas_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return re.sub(r"/[^/]*$", f"/{name}", PG_ADMIN_URL)


async def _drop_pg_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("werkpas-data")


@pytest.fixture(scope="session")
async def settings(data_dir):
    environ = {
        "WERKPAS_DATA_DIR": str(data_dir),
        "WERKPAS_SECRET_KEY": "test-secret-key-that-is-long-enough-1234567890",
        "WERKPAS_BASE_URL": "http://testserver.local",
        "WERKPAS_RUN_JOBS": "0",
        "WERKPAS_ARGON2_PROFILE": "test",
    }
    pg_url = None
    if TEST_DATABASE == "postgres":
        pg_url = await _create_pg_database()
        environ["DATABASE_URL"] = pg_url
    else:
        environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'test.db'}"
    os.environ["WERKPAS_ARGON2_PROFILE"] = "test"
    value = load_settings(environ)
    set_settings(value)
    await migrate(value, quiet=True)
    await db.connect()
    yield value
    await db.disconnect()
    db.dispose()
    if pg_url:
        await _drop_pg_database(pg_url)


async def _truncate() -> None:
    engine = db.engine()
    names = [table._meta.tablename for table in all_tables()]
    if db.is_postgres():
        await engine.run_ddl("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE")
    else:
        async with db.transaction():
            await engine.run_ddl("PRAGMA defer_foreign_keys = ON")
            for name in names:
                await engine.run_ddl(f'DELETE FROM "{name}"')


@pytest.fixture(autouse=True)
async def clean_db(settings):
    """Every test starts from empty tables (the schema stays), no rate-limit
    counters and an empty mail folder."""
    # A transaction left open by an earlier test would swallow this one's writes.
    assert not db.engine().transaction_exists(), "a previous test left a database transaction open"
    await _truncate()
    for folder in ("limits", "mail"):
        shutil.rmtree(settings.data_dir / folder, ignore_errors=True)
    yield


@pytest.fixture
async def app(settings):
    from app.web.app import create_app

    return create_app(settings)


@pytest.fixture
async def client(app):
    # httpx on the test's own event loop (Litestar's AsyncTestClient runs the
    # app on a second loop, which an asyncpg pool cannot follow). The storage
    # is already connected by the `settings` fixture, so no lifespan is needed.
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client


def csrf(client) -> str:
    """The CSRF token for form posts (the cookie set by any earlier GET)."""
    token = client.cookies.get("werkpas_csrf")
    assert token, "GET a page first so the CSRF cookie is set"
    return token


def now() -> datetime:
    return datetime.now(UTC)
