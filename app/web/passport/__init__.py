"""The worker's passport page."""

from app.web.core.areas import WebArea

AREA = WebArea(
    "passport",
    routes=("app.web.passport.controllers", "app.web.passport.access_log", "app.web.passport.rights"),
)
