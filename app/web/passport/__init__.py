"""The worker's passport page."""

from app.web.core.areas import WebArea

AREA = WebArea("passport", routes=("app.web.passport.controllers",))
