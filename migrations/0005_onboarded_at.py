"""The passport introduction is remembered per account: `app_user.onboarded_at`
is the moment the person finished or skipped it (None: not yet). A session no
longer remembers it, so a shared kiosk shows the next person the introduction
and a person who skipped it is not shown it again at the next login.

A nullable column without a default value fills no rows: the same ALTER TABLE
on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "passport introduction per account"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="werkpas", description=DESCRIPTION)

    manager.add_column(
        table_class_name="User",
        tablename="app_user",
        column_name="onboarded_at",
        db_column_name="onboarded_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
