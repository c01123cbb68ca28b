"""Routes for `make bench` only: mounted when WERKPAS_BENCH=1, never otherwise.

/_bench/json         a bare route: no database, no template
/_bench/rows         the admin users page (same template, guard and
                     middleware) with its 50 rows built in memory
/_bench/rows-sqlite  the same page with its rows read by raw sqlite3: the
                     baseline the Piccolo path of /admin/users is held to

The real list is asked for 50 rows a page (`?per_page=50`), so the three
pages compare like for like (see BENCH_ROWS).
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

from litestar import Request, Response, get

from app.config import get_settings
from app.domain.admin import staff
from app.domain.core.pagination import Page
from app.i18n import _
from app.web.core.guards import PUBLIC, permission
from app.web.core.pages import page

BENCH_ROWS = 50
BARE = {"status": "ok", "bench": True}
PERMISSION = "admin.users"  # the admin users list's own guard

_SEEN = datetime(2026, 3, 29, 7, 30, tzinfo=UTC)  # across a DST change
MEMORY_ROWS = [
    {
        "id": n,
        "display_name": f"Medewerker {n:03d} Peeters",
        "email": f"staff{n:03d}@bench.werkpas.test",
        "language": ("nl", "fr", "en")[n % 3],
        "is_active": n % 10 != 0,
        "last_login_at": _SEEN - timedelta(hours=n),
        "organisation": 1,
        "organisation_name": "Bench Uitzendkrachten NV",
    }
    for n in range(1, BENCH_ROWS + 1)
]
MEMORY_ORGANISATIONS = [{"id": 1, "name": "Bench Uitzendkrachten NV"}, {"id": 2, "name": "Bench Werkgever BV"}]


@get("/_bench/json", opt=PUBLIC, include_in_schema=False)
async def bare_json() -> dict:
    return BARE


def _users_page(request: Request, rows: list[dict], total: int, organisations: list[dict]) -> Response:
    """The context the admin users list builds, from the given data."""
    context = {
        "page": Page(items=rows, number=1, per_page=BENCH_ROWS, total=total),
        "query": {"q": "", "status": "", "organisation": "", "per_page": str(BENCH_ROWS)},
        "page_sizes": staff.PAGE_SIZES,
        "statuses": [("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
        "organisations": organisations,
    }
    return page(request, "admin/users.html", context, partial="admin/_users_table.html")


@get("/_bench/rows", opt=permission(PERMISSION), include_in_schema=False)
async def rows_from_memory(request: Request) -> Response:
    return _users_page(request, MEMORY_ROWS, 120, MEMORY_ORGANISATIONS)


_local = threading.local()

COUNT_SQL = 'SELECT COUNT(*) FROM "app_user"'
ROWS_SQL = """
SELECT u.id, u.display_name, u.email, u.language, u.is_active, u.last_login_at, u.organisation, o.name
FROM "app_user" u LEFT JOIN "organisation" o ON o.id = u.organisation
ORDER BY u.display_name, u.id LIMIT ? OFFSET 0
"""
ORGANISATIONS_SQL = 'SELECT id, name FROM "organisation" ORDER BY name'


def _connection() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(str(get_settings().sqlite_path), check_same_thread=False)
    return conn


def _timestamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@get("/_bench/rows-sqlite", opt=permission(PERMISSION), include_in_schema=False)
async def rows_from_sqlite(request: Request) -> Response:
    """The same three reads as /admin/users, by hand on a kept connection."""
    conn = _connection()
    total = conn.execute(COUNT_SQL).fetchone()[0]
    keys = (
        "id",
        "display_name",
        "email",
        "language",
        "is_active",
        "last_login_at",
        "organisation",
        "organisation_name",
    )
    rows = []
    for values in conn.execute(ROWS_SQL, (BENCH_ROWS,)):
        row = dict(zip(keys, values, strict=False))
        row["is_active"], row["last_login_at"] = bool(row["is_active"]), _timestamp(row["last_login_at"])
        rows.append(row)
    organisations = [{"id": id_, "name": name} for id_, name in conn.execute(ORGANISATIONS_SQL)]
    return _users_page(request, rows, total, organisations)


handlers = [bare_json, rows_from_memory, rows_from_sqlite]
