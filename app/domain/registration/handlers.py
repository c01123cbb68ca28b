"""Command handlers of registration (imported by the registry)."""

from app.domain.registration import commands  # noqa: F401 (they register on import)
