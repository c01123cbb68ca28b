"""Participation's pages: the worker's participation home, tables and their
meetings, minutes, evaluations, rules and FAQ, and the set-up, barometer and
impact pages of the admin panel."""

from app.i18n import lazy
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "participation",
    routes=(
        "app.web.participation.home",
        "app.web.participation.tables",
        "app.web.participation.organisation",
        "app.web.participation.meetings",
        "app.web.participation.calendar",
        "app.web.participation.evaluations",
        "app.web.participation.barometer",
        "app.web.participation.impact",
        "app.web.participation.setup",
        "app.web.participation.help",
        "app.web.participation.faq_admin",
        "app.web.participation.announcements",
        "app.web.participation.mail_settings",
    ),
    navigation=(Nav("participation.take_part", "/participation", lazy("Participation")),),
    public=frozenset(
        {
            # The calendar feed: its token is the secret (calendar programs send no cookies).
            ("GET", "/participation/calendar/{token:str}"),
            # One-click unsubscribe from a mail (RFC 8058): the signature is the secret.
            ("GET", "/participation/unsubscribe/{user_id:int}/{kind:str}/{signature:str}"),
            ("POST", "/participation/unsubscribe/{user_id:int}/{kind:str}/{signature:str}"),
        }
    ),
)
