"""How people read job kinds: a translated name per kind (message ids;
translate with _() on use). A kind this table does not know yet, say one
another area registered today, reads as "Background work: <area>", never
as its code."""

from __future__ import annotations

from app.domain.core.areas import title_of
from app.i18n import lazy

LABELS = {
    "mail.send": lazy("Send an e-mail"),
    "accounts.send_set_password_mail": lazy("E-mail a link to choose a password"),
    "accounts.send_reset_password_mail": lazy("E-mail a link to reset a password"),
    "accounts.send_confirm_email_mail": lazy("E-mail a link to confirm a new address"),
    "accounts.deactivate_inactive": lazy("Deactivate accounts unused for 6 months"),
    "accounts.sweep_sessions": lazy("Clear ended sessions"),
    "invitations.send_mail": lazy("E-mail an invitation"),
    "invitations.expire": lazy("Expire old invitations"),
}
GENERIC = lazy("Background work: %(area)s")
GENERIC_UNKNOWN_AREA = lazy("Background work")


def job_label(kind: str) -> str:
    """The message id naming `kind` (the generic ones take an `area` value:
    use job_label_values)."""
    return job_label_values(kind)[0]


def job_label_values(kind: str) -> tuple[str, dict[str, str]]:
    """(message id, message ids of its values) naming the job kind."""
    if kind in LABELS:
        return LABELS[kind], {}
    area = title_of(kind.partition(".")[0])
    return (GENERIC, {"area": area}) if area else (GENERIC_UNKNOWN_AREA, {})
