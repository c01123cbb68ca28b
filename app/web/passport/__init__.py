"""The worker's passport pages: the passport itself and "who can see what"."""

from app.web.core.areas import WebArea

AREA = WebArea("passport", routes=("app.web.passport.controllers", "app.web.passport.consent"))
