"""Why a command of the accounts area is refused: its reason codes and
their messages, in one place (see app/domain/core/reasons.py)."""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.i18n import lazy

CODES = declare(
    "accounts",
    {
        # A single-use link (set or reset a password, confirm an address).
        "link_invalid": lazy("This link is not valid."),
        "link_expired": lazy("This link has expired."),
        "link_used": lazy("This link has already been used."),
        "password_missing": lazy("Choose a password."),
        "password_changed_meanwhile": lazy(
            "Your password was changed a moment ago. Enter your current password again."
        ),
        "already_deactivated": lazy("This account is already deactivated."),
        "already_active": lazy("This account is already active."),
        "own_account": lazy("You cannot deactivate your own account. Ask another admin."),
        # The account holds a role the admin may not grant (see admin.grants).
        "protected": lazy(
            "This account holds a role that you cannot grant, so you cannot change it. Ask a platform admin."
        ),
        "email_taken_now": lazy("This e-mail address now belongs to another account. Ask your administrator for help."),
    },
)

# The codes of a refused link.
LINK_CODES = ("link_invalid", "link_expired", "link_used")
