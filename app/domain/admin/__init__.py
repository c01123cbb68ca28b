"""The admin panel: organisations, units, staff users and their role grants,
the audit log and the job queue."""

from app.domain.core.areas import Area
from app.storage.tables import Organisation, RoleGrant, Unit

AREA = Area(
    "admin",
    handlers=("app.domain.admin.handlers",),
    permissions={"org_admin": {"admin.panel", "admin.units", "admin.users", "admin.grants", "admin.audit"}},
    # Only the platform admin manages organisations themselves; the job queue
    # is platform-wide (one job may serve several organisations).
    platform_only=frozenset({"admin.organisations", "admin.jobs"}),
    tables=(Organisation, Unit, RoleGrant),
)
