"""The worker passport: what a worker sees of their own data (the pages are
in app.web.passport; the passport and consent issue fills this package).
Until then, `overview` is what the empty passport page shows."""

from app.domain.core.areas import Area
from app.domain.passport.queries import Overview, overview
from app.i18n import lazy

AREA = Area(
    "passport",
    title=lazy("passport"),
    permissions={"ambassador": {"passport.view"}, "worker": {"passport.view"}},
)

__all__ = ["AREA", "Overview", "overview"]
