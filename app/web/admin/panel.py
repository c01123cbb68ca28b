"""The admin landing page: one card per section the user may open."""

from __future__ import annotations

from litestar import Request, Response, get

from app.i18n import _, lazy
from app.web.core.context import signed_in_user
from app.web.core.guards import permission
from app.web.core.pages import page
from app.web.participation.warnings import participation_warning

# (permission, path, title, description) as message ids
SECTIONS = (
    (
        "admin.organisations",
        "/admin/organisations",
        lazy("Organisations"),
        lazy("Agencies, employers and sector organisations."),
    ),
    ("admin.units", "/admin/units", lazy("Units"), lazy("Sites, departments and subgroups of an organisation.")),
    ("admin.users", "/admin/users", lazy("Staff"), lazy("Staff accounts, their roles and set-password links.")),
    (
        "admin.audit",
        "/admin/audit",
        lazy("History"),
        lazy("Who invited, revoked, registered and changed what, and when."),
    ),
    ("admin.jobs", "/admin/jobs", lazy("Jobs"), lazy("Background work and its failures.")),
    (
        "participation.manage",
        "/admin/participation",
        lazy("Participation"),
        lazy("Rooms, prices and coins, ambassadors, the goal and fixed consultation moments."),
    ),
    (
        "participation.manage",
        "/participation/people",
        lazy("Remove someone from participation"),
        lazy("A colleague who left the job: their open chairs are refunded."),
    ),
    (
        "api.keys",
        "/admin/api-keys",
        lazy("API keys"),
        lazy("Keys for your own systems to read what workers share with you."),
    ),
    (
        "participation.report",
        "/participation/barometer",
        lazy("Health barometer"),
        lazy("How meetings go, from the evaluations: trends per month, subgroup and room."),
    ),
    (
        "participation.report",
        "/participation/impact",
        lazy("Impact of participation"),
        lazy("Tables opened, meetings held, minutes published, evaluations answered, and who to remind."),
    ),
)


@get("/admin", opt=permission("admin.panel"), include_in_schema=False)
async def admin_home(request: Request) -> Response:
    user = signed_in_user(request)
    cards = [
        {"href": path, "title": _(title), "text": _(text)}
        for needed, path, title, text in SECTIONS
        if user.has_permission(needed)
    ]
    for card in cards:
        if card["href"] == "/admin/participation":
            card["warning"] = await participation_warning(user)
    return page(request, "admin/index.html", {"cards": cards})


handlers = [admin_home]
