"""The navigation shown to a user depends on what they may do: the entries
every area declares (its WebArea's `navigation`), in the order of the areas."""

from __future__ import annotations

from app.domain.core.access import CurrentUser
from app.i18n import _
from app.web.core.areas import navigation_items


def navigation(user: CurrentUser | None, current_path: str) -> list[dict]:
    if user is None:
        return []
    items = [(item.path, item.label) for item in navigation_items() if user.has_permission(item.permission)]
    # Only the most specific match is "current": /admin/units must not also
    # mark the admin landing page (/admin) as the page you are on.
    matches = [path for path, _label in items if current_path == path or current_path.startswith(path + "/")]
    current = max(matches, key=len, default=None)
    return [{"href": path, "label": _(label), "current": path == current} for path, label in items]
