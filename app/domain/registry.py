"""Imports every module that registers command or job handlers (each area
declares its own in its AREA, app.domain.core.areas), so the server, the
worker and the CLI all know the same handlers."""

from __future__ import annotations

import importlib

_loaded = False


def load_handlers() -> None:
    global _loaded
    if _loaded:
        return
    from app.domain.core.areas import handler_modules

    for name in handler_modules():
        importlib.import_module(name)
    _loaded = True
