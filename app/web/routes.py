"""All route handlers: those of every area (its WebArea in app/web/<area>/__init__.py),
in the order of app.areas.AREAS."""

from __future__ import annotations

import os

from app.web.core.areas import web_areas


def handlers() -> list:
    extra: list = []
    if os.environ.get("WERKPAS_BENCH") == "1":  # make bench only
        from app.web import bench

        extra = bench.handlers
    return [*(handler for area in web_areas() for handler in area.handlers()), *extra]
