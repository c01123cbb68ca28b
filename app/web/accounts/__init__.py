"""Login and logout, passwords and links, e-mail confirmation, the start page
and the own-account pages. Other areas' pages use only what this module
offers: starting a signed-in session (registration signs a new worker in) and
ending it (the passport's account closure)."""

from app.i18n import lazy
from app.web.accounts.sessions import end_session, start_session
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "accounts",
    routes=("app.web.accounts.controllers",),
    navigation=(Nav("account.home", "/home", lazy("Home")),),
    public=frozenset(
        {
            ("GET", "/login"),
            ("POST", "/login"),
            ("POST", "/logout"),
            ("GET", "/password/forgot"),
            ("POST", "/password/forgot"),
            ("GET", "/password/set/{secret:str}"),
            ("POST", "/password/set/{secret:str}"),
            ("GET", "/password/reset/{secret:str}"),
            ("POST", "/password/reset/{secret:str}"),
            ("GET", "/email/confirm/{secret:str}"),
            ("POST", "/email/confirm/{secret:str}"),
        }
    ),
)

__all__ = ["AREA", "end_session", "start_session"]
