"""The invitations area: staff invite people (one at a time or from a staff
list), send, extend and revoke invitations, and print sheets and badges.

This module is the area's public face: other areas import from here only.

- the invitation's lifecycle (app.domain.invitations.lifecycle): `INVITATION`
  (states and transitions), `OPEN`, `STATUSES`, `status_of(row)` and
  `unusable(row)`, the one answer to whether a person can use an invitation
  now (None, or "revoked", "registered", "expired", "locked");
- `secrets`: links, short codes and badge tokens (`BADGE_QR_PREFIX`);
- people: `ensure_membership`, `normalise_phone`.
"""

from app.domain.core.areas import Area
from app.domain.invitations import secrets
from app.domain.invitations.lifecycle import (
    INVITATION,
    OPEN,
    STATUSES,
    UNUSABLE,
    is_open,
    open_where,
    status_of,
    unusable,
)
from app.domain.invitations.people import ensure_membership, normalise_phone
from app.domain.invitations.secrets import BADGE_QR_PREFIX
from app.i18n import lazy
from app.storage.people import Badge, ImportRow, ImportRun, Invitation, Membership, Person

AREA = Area(
    "invitations",
    title=lazy("invitations"),
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

__all__ = [
    "AREA",
    "BADGE_QR_PREFIX",
    "INVITATION",
    "OPEN",
    "STATUSES",
    "UNUSABLE",
    "ensure_membership",
    "is_open",
    "normalise_phone",
    "open_where",
    "secrets",
    "status_of",
    "unusable",
]
