"""The worker's passport pages."""

from app.web.core.areas import WebArea

AREA = WebArea(
    "passport",
    routes=(
        "app.web.passport.controllers",
        "app.web.passport.edit",
        "app.web.passport.items",
        "app.web.passport.documents",
    ),
)
