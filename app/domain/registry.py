"""Imports every module that registers command or job handlers, so the
server, the worker and the CLI all know the same handlers."""

from __future__ import annotations

import importlib

MODULES = (
    "app.domain.mail",
    "app.domain.accounts.handlers",
    "app.domain.admin.handlers",
    "app.domain.invitations.handlers",
    "app.domain.invitations.imports.handlers",
    "app.domain.invitations.printing.badges",
    "app.domain.registration.handlers",
)

_loaded = False


def load_handlers() -> None:
    global _loaded
    if _loaded:
        return
    for name in MODULES:
        importlib.import_module(name)
    _loaded = True
