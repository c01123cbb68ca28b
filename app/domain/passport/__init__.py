"""The worker passport: what a worker sees of their own data (the pages are
in app.web.passport; the passport and consent issue fills this package)."""

from app.domain.core.areas import Area

AREA = Area(
    "passport",
    permissions={"ambassador": {"passport.view"}, "worker": {"passport.view"}},
)
