"""Participation (Werk-ID, seed 002): rooms, tables with coins, chairs,
meetings with agenda and live minutes, action points, evaluation and the
health barometer, goals, subgroups, ambassadors, the digest and help.

This module is the area's public face: other areas import from here only.
"""

from app.domain.core.areas import Area
from app.i18n import lazy
from app.storage.participation import TABLES

WORKER = {"participation.take_part"}

AREA = Area(
    "participation",
    title=lazy("participation"),
    handlers=(
        "app.domain.participation.setup",
        "app.domain.participation.tables",
        "app.domain.participation.table_actions",
        "app.domain.participation.leaving",
        "app.domain.participation.meetings",
        "app.domain.participation.agenda",
        "app.domain.participation.minutes",
        "app.domain.participation.actions",
        "app.domain.participation.calendar",
        "app.domain.participation.evaluations",
        "app.domain.participation.impact",
        "app.domain.participation.rooms",
        "app.domain.participation.ambassadors",
        "app.domain.participation.faq",
        "app.domain.participation.announcements",
        "app.domain.participation.mail_settings",
        "app.domain.participation.digest",
    ),
    permissions={
        "worker": WORKER,
        "ambassador": WORKER | {"participation.ambassador", "participation.manage", "participation.report"},
        "org_admin": {"participation.manage", "participation.report"},
        "hr": {"participation.report"},
    },
    tables=tuple(TABLES),
    demo="app.domain.participation.demo:demo",
)

__all__ = ["AREA"]
