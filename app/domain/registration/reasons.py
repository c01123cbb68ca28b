"""Why a command of registration is refused: its reason codes and their
messages, in one place (see app/domain/core/reasons.py).

The codes about the invitation itself (unknown, revoked, registered,
expired, locked) are the ones problem_of() answers; the registration pages
explain them at more length (app/web/registration/flow.py)."""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.i18n import lazy

CODES = declare(
    "registration",
    {
        # The invitation cannot be used (queries.problem_of).
        "unknown": lazy("We do not know this code. Check it, or ask the person who invited you."),
        "revoked": lazy("This invitation was cancelled. Ask the person who invited you for a new one."),
        "registered": lazy(
            "This invitation has already been used. Log in with your e-mail address or phone number and your password."
        ),
        "expired": lazy("This invitation has expired. Ask the person who invited you for a new one."),
        "locked": lazy("The birth date was wrong too many times. For your safety, try again later."),
        # Completing the registration.
        "identity_unconfirmed": lazy("Confirm your birth date first."),
        "privacy_not_accepted": lazy("Read and accept the privacy notice."),
        "secret_missing": lazy("Choose a password, a PIN, or both."),
        "email_taken": lazy(
            "This e-mail address already has a Werkpas account. "
            "Log in with it, then open your invitation again to add it to your account."
        ),
        "log_in_first": lazy(
            "This invitation is already linked to a Werkpas account. "
            "Log in with that account, then open the invitation again."
        ),
        "not_yours": lazy(
            "This invitation is for someone else: it does not match the account you are logged in with. "
            "Log out first if it is yours."
        ),
        "already_member": lazy("Your account already belongs to this organisation: you do not need this invitation."),
        "deactivated": lazy("Your account is switched off. Ask the person who invited you."),
        # The PIN reset code staff hand over.
        "no_active_account": lazy("This person has no active account yet: give them their invitation instead."),
        "pin_missing": lazy("Choose a PIN."),
        "code_unknown": lazy("This code does not exist. Check it, or ask for a new one."),
        "code_used": lazy("This code has already been used. Ask for a new one."),
        "code_expired": lazy("This code has expired. Ask for a new one."),
    },
)

# Why an invitation cannot be used.
INVITATION_CODES = ("unknown", "revoked", "registered", "expired", "locked")
