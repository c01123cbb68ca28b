"""Many rows in one statement, inside the caller's transaction.

Piccolo's `insert(*rows)` builds a Table object and a nested query string
per row, which costs most of a 10,000-row import; this sends one
parameterised INSERT with executemany on the transaction's own connection
(sqlite3 or asyncpg). Values are converted by the same adapters Piccolo
registers, so the rows read back exactly like Piccolo-written ones.
"""

from __future__ import annotations

from piccolo.table import Table

from app.storage import db


async def insert_many(table: type[Table], rows: list[dict]) -> None:
    if not rows:
        return
    names = list(rows[0])
    known = {column._meta.db_column_name for column in table._meta.columns}
    if not set(names) <= known:  # names come from code, never from input; still, refuse typos
        raise ValueError(f"unknown columns for {table._meta.tablename}: {set(names) - known}")
    transaction = table._meta.db.current_transaction.get()
    if transaction is None:
        raise RuntimeError("insert_many runs inside a transaction")
    columns = ", ".join(f'"{name}"' for name in names)
    values = [tuple(row[name] for name in names) for row in rows]
    if db.is_postgres():
        placeholders = ", ".join(f"${index}" for index in range(1, len(names) + 1))
        await transaction.connection.executemany(
            f'INSERT INTO "{table._meta.tablename}" ({columns}) VALUES ({placeholders})', values
        )
    else:
        placeholders = ", ".join("?" for _ in names)
        transaction.connection.raw.executemany(
            f'INSERT INTO "{table._meta.tablename}" ({columns}) VALUES ({placeholders})', values
        )
