"""The SQLite engine: a write outside a transaction waits for a transaction
that another task holds, instead of blocking the event loop."""

import asyncio
from datetime import UTC, datetime

import pytest

from app.storage import db
from app.storage.tables import AuditEvent, Organisation


async def test_autocommit_write_waits_for_a_running_transaction():
    if db.is_postgres():
        pytest.skip("SQLite engine behaviour")
    now = datetime.now(UTC)
    order = []

    async def long_transaction():
        async with db.transaction():
            await Organisation.insert(Organisation(name="A", slug="a", kind="employer", created_at=now))
            order.append("tx-wrote")
            await asyncio.sleep(0.2)  # e.g. awaiting something else while holding the lock
            order.append("tx-commits")

    async def autocommit_write():
        await asyncio.sleep(0.05)
        await AuditEvent.insert(AuditEvent(at=now, type="test.event", outcome="applied", channel="cli"))
        order.append("autocommit")

    await asyncio.wait_for(asyncio.gather(long_transaction(), autocommit_write()), 5)
    assert order == ["tx-wrote", "tx-commits", "autocommit"]
    assert await Organisation.count() == 1 and await AuditEvent.count() == 1
