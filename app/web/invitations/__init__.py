"""Invitation pages: one by one, bulk registration, printing."""

from app.i18n import lazy
from app.web.core.areas import Nav, WebArea

AREA = WebArea(
    "invitations",
    routes=("app.web.invitations.controllers", "app.web.invitations.printing", "app.web.invitations.imports"),
    navigation=(
        Nav("invitations.manage", "/invitations", lazy("Invitations")),
        Nav("invitations.import", "/invitations/imports", lazy("Bulk registration")),
    ),
)
