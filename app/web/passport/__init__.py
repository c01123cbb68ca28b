"""The worker's passport page, and the consultant's view of the workers who
consented to their organisation."""

from app.i18n import lazy
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "passport",
    routes=("app.web.passport.controllers", "app.web.passport.consultant"),
    navigation=(Nav("passport.consult", "/consultant/workers", lazy("Workers")),),
)
