"""Command handlers of bulk registration (imported by app.domain.registry)."""

from app.domain.invitations.imports import apply  # noqa: F401
