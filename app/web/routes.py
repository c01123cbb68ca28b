"""All route handlers, area by area."""

from __future__ import annotations


def handlers() -> list:
    from app.web.system import controllers as system

    return [*system.handlers]
