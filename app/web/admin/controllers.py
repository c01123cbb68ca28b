"""Every route of the admin panel, collected from its sections."""

from app.web.admin import audit, jobs, organisations, panel, units, users

handlers: list = [
    *panel.handlers,
    *organisations.handlers,
    *units.handlers,
    *users.handlers,
    *audit.handlers,
    *jobs.handlers,
]
