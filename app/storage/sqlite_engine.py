"""A Piccolo SQLite engine that keeps its connections open.

Piccolo's stock SQLiteEngine opens a new aiosqlite connection (and thread) for
every query, which makes a 50-row list page several times slower than the
template alone. SQLite reads take microseconds, so this engine runs them
synchronously on a connection kept per thread; WAL means readers never wait
for writers. Write transactions get a connection of their own from a small
pool and are serialised inside the process by an asyncio lock, so a
transaction that awaits something never blocks the event loop on SQLite's own
lock; other processes are handled by SQLite's busy timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import weakref
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

BUSY_TIMEOUT_MS = 5000


def _connect(kwargs: dict) -> sqlite3.Connection:
    conn = sqlite3.connect(**kwargs, check_same_thread=False)
    conn.row_factory = dict_factory
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _fetch(conn: sqlite3.Connection, query: str, args: list[Any] | None) -> list[dict]:
    cursor = conn.execute(query, args or [])
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


class _Connection:
    """The small async surface Piccolo's transaction and savepoint code uses."""

    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw

    async def execute(self, sql: str, args=()):
        return self.raw.execute(sql, args)

    async def close(self) -> None:  # connections go back to the pool instead
        return None


class PooledTransaction(SQLiteTransaction):
    __slots__ = ("_lock",)
    engine: FastSQLiteEngine

    async def __aenter__(self):
        if self._parent is not None:
            return self._parent
        self._lock = self.engine.write_lock()
        await self._lock.acquire()
        try:
            self.connection = _Connection(self.engine.checkout())
            await self.begin()
        except BaseException:
            self._lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            raw = self.connection.raw
            if raw.in_transaction:  # a failed COMMIT leaves it open
                raw.execute("ROLLBACK")
            self.engine.checkin(raw)
            self.engine.current_transaction.reset(self.context)
            self._lock.release()
        return exception is None


class FastSQLiteEngine(SQLiteEngine):
    __slots__ = ("_local", "_locks", "_pool", "_pool_lock")

    def __init__(self, path: str, **kwargs):
        super().__init__(path=path, **kwargs)
        self._local = threading.local()
        self._pool: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    # -- connections -------------------------------------------------------
    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = _connect(self.connection_kwargs)
        return conn

    def checkout(self) -> sqlite3.Connection:
        with self._pool_lock:
            if self._pool:
                return self._pool.pop()
        return _connect(self.connection_kwargs)

    def checkin(self, conn: sqlite3.Connection) -> None:
        with self._pool_lock:
            if len(self._pool) < 4:
                self._pool.append(conn)
                return
        conn.close()

    def write_lock(self) -> asyncio.Lock:
        # One lock per event loop: tests and the server may run several loops.
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    def close(self) -> None:
        with self._pool_lock:
            for conn in self._pool:
                conn.close()
            self._pool.clear()
        reader = getattr(self._local, "conn", None)
        if reader is not None:
            reader.close()
            self._local.conn = None

    # -- Piccolo hooks -----------------------------------------------------
    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        if query.lstrip()[:6].upper() == "SELECT":
            return _fetch(self._reader(), query, args)
        # A write outside a transaction waits its turn like a transaction
        # does: run synchronously while another task of this process holds
        # the write lock, it would block the loop on SQLite's busy timeout.
        async with self.write_lock():
            conn = self.checkout()
            try:
                return _fetch(conn, query, args)
            finally:
                self.checkin(conn)

    async def _run_in_existing_connection(
        self, connection, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        return _fetch(connection.raw, query, args)

    def transaction(self, transaction_type: TransactionType = TransactionType.immediate, allow_nested: bool = True):
        # Immediate by default: a deferred transaction that later writes can
        # fail with "database is locked" instead of waiting.
        return PooledTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)
