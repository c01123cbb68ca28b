"""Command and job handlers of the accounts area (imported by the registry)."""

from app.domain.accounts import commands, inactivity, mails, schedule  # noqa: F401 (they register on import)
