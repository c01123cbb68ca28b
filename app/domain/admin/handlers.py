"""Command handlers of the admin area (imported by app.domain.registry)."""

from app.domain.admin import grants, jobs, organisations, staff, units  # noqa: F401  (they register handlers)
