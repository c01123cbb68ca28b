"""The worker's passport pages: the passport itself, its forms and lists,
documents, and "who can see what"."""

from app.web.core.areas import WebArea

AREA = WebArea(
    "passport",
    routes=(
        "app.web.passport.controllers",
        "app.web.passport.edit",
        "app.web.passport.items",
        "app.web.passport.documents",
        "app.web.passport.consent",
    ),
)
