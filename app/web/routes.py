"""All route handlers, area by area."""

from __future__ import annotations

import os


def handlers() -> list:
    from app.web.accounts import controllers as accounts
    from app.web.admin import controllers as admin
    from app.web.invitations import controllers as invitations
    from app.web.invitations import imports as invitation_imports
    from app.web.invitations import printing as invitation_printing
    from app.web.passport import controllers as passport
    from app.web.registration import controllers as registration
    from app.web.system import controllers as system

    extra: list = []
    if os.environ.get("WERKPAS_BENCH") == "1":  # make bench only
        from app.web import bench

        extra = bench.handlers
    return [
        *system.handlers,
        *accounts.handlers,
        *admin.handlers,
        *invitations.handlers,
        *registration.handlers,
        *passport.handlers,
        *invitation_printing.handlers,
        *invitation_imports.handlers,
        *extra,
    ]
