"""Worker registration: from an invitation link or short code to an account
with a password and/or a kiosk PIN, and the staff-issued PIN reset."""

from app.domain.core.areas import Area
from app.storage.people import ConsentReceipt

AREA = Area(
    "registration",
    handlers=("app.domain.registration.handlers",),
    tables=(ConsentReceipt,),
)
