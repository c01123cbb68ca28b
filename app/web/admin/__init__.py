"""The admin panel's pages."""

from app.i18n import lazy
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "admin",
    routes=("app.web.admin.controllers",),
    navigation=(
        Nav("admin.panel", "/admin", lazy("Admin")),
        Nav("admin.organisations", "/admin/organisations", lazy("Organisations")),
        Nav("admin.units", "/admin/units", lazy("Units")),
        Nav("admin.users", "/admin/users", lazy("Staff")),
        Nav("admin.audit", "/admin/audit", lazy("History")),
        Nav("admin.jobs", "/admin/jobs", lazy("Jobs")),
    ),
)
