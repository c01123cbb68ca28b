"""Roles, permissions and the scope of a signed-in user.

A RoleGrant gives a role on a unit and everything below it (or on a whole
organisation when it names no unit; platform_admin needs neither). Routes
declare one permission; anything not declared is denied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n import lazy

ROLES = (
    "platform_admin",
    "org_admin",
    "consultant",
    "hr",
    "team_lead",
    "planner",
    "ambassador",
    "worker",
)

# How people read role names (message ids; translate with _() on use).
ROLE_LABELS = {
    "platform_admin": lazy("Platform administrator"),
    "org_admin": lazy("Organisation administrator"),
    "consultant": lazy("Consultant"),
    "hr": lazy("HR"),
    "team_lead": lazy("Team lead"),
    "planner": lazy("Planner"),
    "ambassador": lazy("Ambassador"),
    "worker": lazy("Worker"),
}

STAFF_ROLES = ROLES[:-2]  # ambassador and worker are workers, not staff

# Permission names are "<area>.<what>". platform_admin holds every permission.
PERMISSIONS: dict[str, frozenset[str]] = {
    "platform_admin": frozenset({"*"}),
    "org_admin": frozenset(
        {
            "account.home",
            "admin.panel",
            "admin.units",
            "admin.users",
            "admin.grants",
            "admin.audit",
            "invitations.manage",
            "invitations.import",
            "invitations.print",
        }
    ),
    "consultant": frozenset({"account.home", "invitations.manage", "invitations.print"}),
    "hr": frozenset({"account.home", "invitations.manage", "invitations.import", "invitations.print"}),
    "team_lead": frozenset({"account.home"}),
    "planner": frozenset({"account.home"}),
    "ambassador": frozenset({"account.home", "passport.view"}),
    "worker": frozenset({"account.home", "passport.view"}),
}

# Every signed-in user, with or without role grants, has a start page.
SIGNED_IN = frozenset({"account.home"})

# Only the platform admin manages organisations themselves; the job queue is
# platform-wide (one job may serve several organisations), so it is theirs too.
PLATFORM_ONLY = frozenset({"admin.organisations", "admin.jobs"})


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int | None
    unit_id: int | None
    unit_path: str | None


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str | None
    display_name: str
    language: str
    organisation_id: int | None
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)

    @property
    def is_platform_admin(self) -> bool:
        return "platform_admin" in self.roles

    @property
    def is_worker_only(self) -> bool:
        """A worker (or ambassador) without any staff role: their start page
        is the passport."""
        return bool(self.roles) and not self.is_staff

    @property
    def is_staff(self) -> bool:
        return any(role in STAFF_ROLES for role in self.roles)

    def has_permission(self, permission: str) -> bool:
        if self.is_platform_admin or permission in SIGNED_IN:
            return True
        if permission in PLATFORM_ONLY:
            return False
        return any(permission in PERMISSIONS.get(grant.role, ()) for grant in self.grants)

    def organisations_with(self, permission: str) -> frozenset[int] | None:
        """Organisation ids where the user holds `permission`; None means all."""
        if self.is_platform_admin:
            return None
        return frozenset(
            grant.organisation_id
            for grant in self.grants
            if grant.organisation_id is not None and permission in PERMISSIONS.get(grant.role, ())
        )

    def can_in_organisation(self, permission: str, organisation_id: int | None) -> bool:
        scope = self.organisations_with(permission)
        return scope is None or (organisation_id is not None and organisation_id in scope)


def in_scope(scope: frozenset[int] | None, organisation_id: int | None) -> bool:
    return scope is None or (organisation_id is not None and organisation_id in scope)
