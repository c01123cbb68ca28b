"""Command and job handlers of the invitations area (imported by
app.domain.registry)."""

from app.domain.invitations import expiry, mails, single  # noqa: F401  (they register handlers)
