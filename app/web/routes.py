"""All route handlers, area by area."""

from __future__ import annotations

import os


def handlers() -> list:
    from app.web.accounts import controllers as accounts
    from app.web.admin import controllers as admin
    from app.web.system import controllers as system

    extra: list = []
    if os.environ.get("WERKPAS_BENCH") == "1":  # make bench only
        from app.web import bench

        extra = bench.handlers
    return [*system.handlers, *accounts.handlers, *admin.handlers, *extra]
