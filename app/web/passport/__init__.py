"""The worker's passport pages (the passport, its forms and lists, documents,
"who can see what"), and the consultant's view of the workers who consented
to their organisation."""

from app.i18n import lazy
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "passport",
    routes=(
        "app.web.passport.controllers",
        "app.web.passport.edit",
        "app.web.passport.items",
        "app.web.passport.documents",
        "app.web.passport.consent",
        "app.web.passport.consultant",
        "app.web.passport.access_log",
        "app.web.passport.rights",
    ),
    navigation=(Nav("passport.consult", "/consultant/workers", lazy("Workers")),),
)
