"""Registration pages (link, short code, steps), the kiosk badge login and
the PIN reset."""

from app.web.core.areas import WebArea

AREA = WebArea(
    "registration",
    routes=("app.web.registration.controllers",),
    # The link token, the short code, or the badge and PIN are the secrets.
    public=frozenset(
        {
            ("GET", "/i/{token:str}"),
            ("GET", "/register"),
            ("POST", "/register"),
            ("GET", "/register/identity"),
            ("POST", "/register/identity"),
            ("GET", "/register/language"),
            ("POST", "/register/language"),
            ("GET", "/register/privacy"),
            ("POST", "/register/privacy"),
            ("GET", "/register/account"),
            ("POST", "/register/account"),
            ("GET", "/pin/reset"),
            ("POST", "/pin/reset"),
            ("GET", "/badge"),
            ("POST", "/badge"),
            # Keeps a badge session going; without one it leads back to /badge.
            ("POST", "/badge/still-here"),
        }
    ),
)
