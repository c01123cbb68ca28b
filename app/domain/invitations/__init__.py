"""Invitations: the people an organisation keeps, invitations one by one and
in bulk (imports/), printed sheets and kiosk badges (printing/)."""

from app.domain.core.areas import Area
from app.storage.people import Badge, ImportRow, ImportRun, Invitation, Membership, Person

AREA = Area(
    "invitations",
    handlers=(
        "app.domain.invitations.handlers",
        "app.domain.invitations.imports.handlers",
        "app.domain.invitations.printing.badges",
    ),
    permissions={
        "org_admin": {"invitations.manage", "invitations.import", "invitations.print"},
        "consultant": {"invitations.manage", "invitations.print"},
        "hr": {"invitations.manage", "invitations.import", "invitations.print"},
    },
    tables=(Person, Membership, ImportRun, ImportRow, Invitation, Badge),
    demo="app.domain.invitations.demo:demo",
)
