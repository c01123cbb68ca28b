"""Engine set-up shared by the server, the CLI and the tests.

One code path for both databases: `configure()` builds the engine from
DATABASE_URL and binds every table to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from app.config import Settings, sqlite_path
from app.storage.sqlite_engine import FastSQLiteEngine

_engine: Engine | None = None
_engine_url: str | None = None
_pool_users = 0


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:"):
        path = sqlite_path(database_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return FastSQLiteEngine(path=str(path))
    return PostgresEngine(config={"dsn": database_url}, log_queries=False)


def configure(settings: Settings) -> Engine:
    global _engine, _engine_url
    if _engine is not None and _engine_url == settings.database_url:
        return _engine
    dispose()
    engine = make_engine(settings.database_url)
    bind(engine)
    _engine, _engine_url = engine, settings.database_url
    return engine


def bind(engine: Engine) -> None:
    from piccolo.apps.migrations.tables import Migration

    import app.piccolo_conf as conf
    from app.storage.registry import all_tables

    tables: list[type[Table]] = [*all_tables(), Migration]
    for table in tables:
        table._meta._db = engine
    conf.DB = engine  # Piccolo's migration runner looks here


def engine() -> Engine:
    if _engine is None:
        raise RuntimeError("storage not configured")
    return _engine


def transaction():
    """A write transaction: IMMEDIATE on SQLite, a normal one on PostgreSQL."""
    return engine().transaction()


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


async def connect() -> None:
    """Start the PostgreSQL pool (shared by nested users, e.g. tests)."""
    global _pool_users
    if is_postgres():
        if _pool_users == 0:
            await cast(PostgresEngine, engine()).start_connection_pool(min_size=1, max_size=10)
        _pool_users += 1


async def disconnect() -> None:
    global _pool_users
    if is_postgres() and _pool_users > 0:
        _pool_users -= 1
        if _pool_users == 0:
            await engine().close_connection_pool()


async def ping() -> bool:
    try:
        rows = await engine().run_querystring(_select_one())
        return bool(rows)
    except Exception as exc:
        import structlog

        structlog.get_logger("werkpas.db").warning("ping failed", error=repr(exc))
        return False


def _select_one():
    from piccolo.querystring import QueryString

    return QueryString("SELECT 1 AS ok")


def dispose() -> None:
    global _engine, _engine_url
    if isinstance(_engine, FastSQLiteEngine):
        _engine.close()
    _engine = _engine_url = None


def database_file(settings: Settings) -> Path | None:
    return sqlite_path(settings.database_url) if settings.is_sqlite else None


async def lock(table, row_id: int) -> None:
    """Hold `table`'s row `row_id` until the current transaction ends, so
    writers that depend on it take turns (PostgreSQL: SELECT ... FOR UPDATE).
    SQLite needs nothing: its write transactions are IMMEDIATE, so only one
    writer runs at a time, across processes too."""
    if is_postgres():
        await table.select(table.id).where(table.id == row_id).lock_rows()
