"""Worker registration: from an invitation link or short code to an account
with a password and/or a kiosk PIN, and the staff-issued PIN reset.

This module is the area's public face: other areas import from here, never
from the area's modules."""

from app.domain.core.areas import Area
from app.domain.registration.queries import worker_organisations
from app.i18n import lazy
from app.storage.people import ConsentReceipt

AREA = Area(
    "registration",
    title=lazy("registration"),
    handlers=("app.domain.registration.handlers",),
    tables=(ConsentReceipt,),
    demo="app.domain.registration.demo:demo",
)

__all__ = ["AREA", "worker_organisations"]
