"""All route handlers, area by area."""

from __future__ import annotations


def handlers() -> list:
    from app.web.accounts import controllers as accounts
    from app.web.admin import controllers as admin
    from app.web.system import controllers as system

    return [*system.handlers, *accounts.handlers, *admin.handlers]
