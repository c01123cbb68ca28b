"""What the privacy notice (/privacy) states as facts: the periods the app
really applies and where to write. The periods are written here once, as the
notice words them; tests/system/test_privacy.py checks each against the code
that applies it, so the notice cannot drift from what happens."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import get_settings


@dataclass(frozen=True)
class Retention:
    invitation_days: int = 30  # Organisation.invitation_days default
    invitation_max_days: int = 365  # the admin rule's maximum
    birth_date_tries: int = 5  # wrong birth dates before the invitation locks
    lock_minutes: int = 15
    set_password_days: int = 7
    reset_password_hours: int = 2
    confirm_email_days: int = 2
    pin_reset_hours: int = 24
    session_hours: int = 12
    language_cookie_days: int = 365
    attempt_minutes: int = 15  # rate-limit window
    # The passport (app.domain.passport: consent.DEFAULT_MONTHS, retention).
    consent_months: int = 12  # a consent's default expiry
    unused_months: int = 15  # no consent in force and no login: the account is closed
    first_reminder_months: int = 13
    second_reminder_months: int = 14
    closed_keep_months: int = 12  # a closed account's data, then erased


RETENTION = Retention()
# The Belgian Data Protection Authority (Gegevensbeschermingsautoriteit /
# Autorité de protection des données), where a person can complain.
AUTHORITY_EMAIL = "contact@apd-gba.be"


def context() -> dict:
    contact = get_settings().privacy_contact  # WERKPAS_PRIVACY_CONTACT
    return {"retention": RETENTION, "privacy_contact": contact, "authority_email": AUTHORITY_EMAIL}
