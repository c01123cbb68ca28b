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
