"""A daily job that removes expired session files.

Without Redis, sessions are files in <data dir>/sessions (Litestar FileStore,
see make_store in app/web/app.py). The store drops an expired file only when
that session id is read again, which a browser that went away never does, so
the folder would grow forever. This is FileStore.delete_expired, made robust:
a file that cannot be read (left half-written by a crash between write and
rename) is removed once it is older than the longest session, instead of
stopping the sweep every day. Redis expires its keys itself: nothing to do.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from litestar.stores.base import StorageObject

from app.config import Settings, get_settings
from app.domain.jobs import daily, periodic

KIND = "accounts.sweep_sessions"
DAILY = daily(4, 0)
NAMESPACE = "sessions"  # the folder make_store() gives the session store
UNREADABLE_AFTER = 24 * 3600  # seconds; sessions last 12 hours


def _expired(path: Path, now: float) -> bool:
    try:
        return StorageObject.from_bytes(path.read_bytes()).expired
    except FileNotFoundError:
        return False  # ended meanwhile (a logout)
    except Exception:
        try:
            return now - path.stat().st_mtime > UNREADABLE_AFTER
        except FileNotFoundError:
            return False


def _sweep_folder(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    removed, now = 0, time.time()
    for path in folder.iterdir():
        if path.is_file() and _expired(path, now):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


async def sweep(settings: Settings | None = None) -> int:
    """Remove expired session files; returns how many were removed."""
    settings = settings or get_settings()
    if settings.redis_url:
        return 0
    # File reads off the event loop: the worker may run inside the server.
    return await asyncio.to_thread(_sweep_folder, settings.data_dir / NAMESPACE)


@periodic(KIND, DAILY)
async def sweep_sessions_job(payload: dict, job_id: int) -> None:
    await sweep()
