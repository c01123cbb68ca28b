"""Applying the committed migrations (migrations/), programmatically."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards

from app.config import Settings
from app.storage import db


async def migrate(settings: Settings, quiet: bool = False) -> None:
    db.configure(settings)
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="werkpas", migration_id="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")


class NotMigrated(Exception):
    """The database lacks migrations; str() is the line to show."""


async def check_migrated(settings: Settings) -> None:
    """Refuse to work on a database that `werkpas migrate` has not brought up
    to date, with one clear line instead of 'no such table' later."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager
    from piccolo.apps.migrations.tables import Migration

    from app.storage.piccolo_app import MIGRATIONS

    db.configure(settings)
    available = set(BaseMigrationManager().get_migration_modules(str(MIGRATIONS)))
    ran = set(await Migration.get_migrations_which_ran(app_name="werkpas")) if await Migration.table_exists() else set()
    missing = available - ran
    if missing:
        raise NotMigrated(f"the database is missing {len(missing)} migration(s): run `werkpas migrate` first")
