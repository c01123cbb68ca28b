"""The admin panel: organisations, units, staff users and their role grants,
the audit log and the job queue.

This module is the area's public face: other areas import from here only
(never app.domain.admin.<module>). `require_within_reach` refuses with the
code "protected": an area that calls it declares REACH_CODES among its own
codes. This module imports no module that imports another area, so any area
may import it without a cycle.
"""

from app.domain.admin.grants import out_of_reach, require_within_reach
from app.domain.admin.reasons import REACH_CODES
from app.domain.admin.units import unit_choices
from app.domain.core.areas import Area
from app.i18n import lazy
from app.storage.tables import Organisation, RoleGrant, Unit

AREA = Area(
    "admin",
    title=lazy("administration"),
    handlers=("app.domain.admin.handlers",),
    permissions={"org_admin": {"admin.panel", "admin.units", "admin.users", "admin.grants", "admin.audit"}},
    # Only the platform admin manages organisations themselves; the job queue
    # is platform-wide (one job may serve several organisations).
    platform_only=frozenset({"admin.organisations", "admin.jobs"}),
    tables=(Organisation, Unit, RoleGrant),
)

__all__ = ["AREA", "REACH_CODES", "out_of_reach", "require_within_reach", "unit_choices"]
