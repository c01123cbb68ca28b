"""The navigation shown to a user depends on what they may do."""

from __future__ import annotations

from app.domain.access import CurrentUser
from app.i18n import _, lazy

# (permission, path, message id)
ITEMS = (
    ("account.home", "/home", lazy("Home")),
    ("admin.organisations", "/admin/organisations", lazy("Organisations")),
    ("admin.units", "/admin/units", lazy("Units")),
    ("admin.users", "/admin/users", lazy("Staff")),
    ("admin.audit", "/admin/audit", lazy("Audit log")),
    ("admin.jobs", "/admin/jobs", lazy("Jobs")),
)


def navigation(user: CurrentUser | None, current_path: str) -> list[dict]:
    if user is None:
        return []
    return [
        {"href": path, "label": _(label), "current": current_path == path or current_path.startswith(path + "/")}
        for permission, path, label in ITEMS
        if user.has_permission(permission)
    ]
