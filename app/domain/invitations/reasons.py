"""Every refusal of the invitations area, as a reason code with its message,
declared once (app.domain.core.reasons). The person problems double as the
problem codes stored with bulk-registration rows (imports.problems)."""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.i18n import lazy

# A person's fields: codes by field for a single invitation, and the problem
# codes stored with import rows.
PERSON_PROBLEMS = {
    "last_name_missing": lazy("The last name is missing."),
    "first_name_missing": lazy("The first name is missing."),
    "name_too_long": lazy("The name is longer than 100 characters."),
    "name_invalid": lazy("The name contains characters that cannot be in a name."),
    "birth_date_missing": lazy("The birth date is missing."),
    "birth_date_format": lazy("The birth date is not a date; write it as dd/mm/yyyy."),
    "birth_date_no_such_day": lazy("%(day)d %(month_name)s does not exist: check the day and the month."),
    "birth_date_impossible": lazy(
        "This birth date is impossible (in the future, or the person would be younger than 15 or older than 100)."
    ),
    "postcode_missing": lazy("The postcode is missing."),
    "postcode_range": lazy("A Belgian postcode has four digits, from 1000 to 9999."),
    "email_syntax": lazy("This is not a valid e-mail address."),
    "email_missing": lazy("An invitation by e-mail needs an e-mail address."),
    "phone_invalid": lazy("This is not a valid phone number."),
    "language_unknown": lazy("The language must be nl, fr or en."),
    "delivery_unknown": lazy("Choose how the invitation is delivered."),
    "unit_unknown": lazy("This unit does not exist in the organisation."),
    "unit_outside": lazy("This unit is not part of the unit chosen for this list."),
    "known_elsewhere": lazy(
        "Your organisation already knows this person in a unit you do not manage; nothing was changed."
    ),
}

# The person problems a single invitation answers by field.
PERSON_CODES = tuple(code for code in PERSON_PROBLEMS if code not in ("unit_outside", "known_elsewhere"))

CODES = declare(
    "invitations",
    {
        **{code: PERSON_PROBLEMS[code] for code in PERSON_CODES},
        # invitations.create
        "organisation_missing": lazy("Choose an organisation."),
        "choose_unit": lazy("Choose the unit this person is invited for."),
        "known_elsewhere": lazy(
            "Your organisation already knows this person in a unit you do not manage. Ask a colleague of that unit."
        ),
        # resend, extend, revoke
        "not_resendable": lazy("Only an invitation that is still open can be sent again."),
        "no_email": lazy(
            "This person has no e-mail address, so the invitation cannot be sent by e-mail. Print it instead."
        ),
        "expired": lazy("This invitation has expired. Extend it first, then send it again."),
        "not_extendable": lazy("A registered or revoked invitation cannot be extended."),
        "not_revocable": lazy("This invitation is already registered or revoked."),
        "not_later": lazy(
            "This invitation already runs for the full period; extending it now would not give more time."
        ),
        "superseded": lazy("This person has a newer invitation. Extend or print that one instead."),
        # invitations.reinvite
        "not_reinvitable": lazy("Only a revoked or expired invitation can be sent again as a new one."),
        "already_registered": lazy("This person is already registered; no new invitation is needed."),
        # invitations.expire (the daily job)
        "not_due": lazy("This invitation is not open or not past its expiry."),
        # invitations.import_apply
        "mode_unknown": lazy("Choose whether to create invitations or to match the roster."),
        "unit_not_yours": lazy("Choose one of your units."),
    },
)
