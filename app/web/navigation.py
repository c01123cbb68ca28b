"""The navigation shown to a user depends on what they may do."""

from __future__ import annotations

from app.domain.core.access import CurrentUser
from app.i18n import _, lazy

# (permission, path, message id)
ITEMS = (
    ("account.home", "/home", lazy("Home")),
    ("admin.panel", "/admin", lazy("Admin")),
    ("admin.organisations", "/admin/organisations", lazy("Organisations")),
    ("admin.units", "/admin/units", lazy("Units")),
    ("admin.users", "/admin/users", lazy("Staff")),
    ("admin.audit", "/admin/audit", lazy("Audit log")),
    ("admin.jobs", "/admin/jobs", lazy("Jobs")),
    ("invitations.manage", "/invitations", lazy("Invitations")),
    ("invitations.import", "/invitations/imports", lazy("Bulk registration")),
)


def navigation(user: CurrentUser | None, current_path: str) -> list[dict]:
    if user is None:
        return []
    items = [(path, label) for permission, path, label in ITEMS if user.has_permission(permission)]
    # Only the most specific match is "current": /admin/units must not also
    # mark the admin landing page (/admin) as the page you are on.
    matches = [path for path, _label in items if current_path == path or current_path.startswith(path + "/")]
    current = max(matches, key=len, default=None)
    return [{"href": path, "label": _(label), "current": path == current} for path, label in items]
