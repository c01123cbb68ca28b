"""Command and job handlers of the accounts area (imported by the registry)."""

from app.domain.accounts import (  # noqa: F401 (they register on import)
    commands,
    email_change,
    inactivity,
    introduction,
    mails,
    schedule,
    session_sweep,
)
