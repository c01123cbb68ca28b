"""Roles, permissions and the scope of a signed-in user.

A RoleGrant gives a role on a unit and everything below it (or on a whole
organisation when it names no unit; platform_admin needs neither). Routes
declare one permission; anything not declared is denied.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
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


# Permission names are "<area>.<what>". platform_admin holds every permission;
# every other role holds what the areas give it (each area's AREA in its
# package, app.domain.core.areas), composed on first use.
class _Composed:
    def __init__(self) -> None:
        self._permissions: dict[str, frozenset[str]] | None = None
        self._signed_in: frozenset[str] = frozenset()
        self._platform_only: frozenset[str] = frozenset()

    def _build(self) -> None:
        from app.domain.core.areas import areas

        granted: dict[str, set[str]] = {role: set() for role in ROLES}
        signed_in: set[str] = set()
        platform_only: set[str] = set()
        for area in areas():
            for role, names in area.permissions.items():
                if role not in granted or role == "platform_admin":
                    raise ValueError(f"area {area.name} gives permissions to the role {role!r}")
                granted[role] |= set(names)
            signed_in |= area.signed_in
            platform_only |= area.platform_only
        permissions = {role: frozenset(names) for role, names in granted.items()}
        permissions["platform_admin"] = frozenset({"*"})
        self._signed_in, self._platform_only = frozenset(signed_in), frozenset(platform_only)
        self._permissions = permissions

    @property
    def permissions(self) -> dict[str, frozenset[str]]:
        if self._permissions is None:
            self._build()
        assert self._permissions is not None
        return self._permissions

    @property
    def signed_in(self) -> frozenset[str]:
        self.permissions  # noqa: B018 (builds on first use)
        return self._signed_in

    @property
    def platform_only(self) -> frozenset[str]:
        self.permissions  # noqa: B018 (builds on first use)
        return self._platform_only


_composed = _Composed()


class _Permissions(Mapping[str, frozenset[str]]):
    """Role -> permissions, read like a dict (PERMISSIONS["hr"])."""

    def __getitem__(self, role: str) -> frozenset[str]:
        return _composed.permissions[role]

    def __iter__(self) -> Iterator[str]:
        return iter(_composed.permissions)

    def __len__(self) -> int:
        return len(_composed.permissions)

    def __repr__(self) -> str:
        return repr(_composed.permissions)


class _AreaSet(Set[str]):
    def __init__(self, kind: str) -> None:
        self._kind = kind

    def _names(self) -> frozenset[str]:
        return getattr(_composed, self._kind)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return repr(self._names())


PERMISSIONS: Mapping[str, frozenset[str]] = _Permissions()

# Every signed-in user, with or without role grants, has a start page
# (the areas' `signed_in` permissions).
SIGNED_IN: Set[str] = _AreaSet("signed_in")

# Only the platform admin manages organisations themselves; the job queue is
# platform-wide (one job may serve several organisations), so it is theirs too
# (the areas' `platform_only` permissions).
PLATFORM_ONLY: Set[str] = _AreaSet("platform_only")


@dataclass(frozen=True)
class Reach:
    """Where one permission holds for someone: whole organisations, and unit
    subtrees inside organisations (a role granted on a unit acts on that unit
    and everything below it, nothing else). `everywhere` is the platform
    admin's and the system's (cli, jobs) reach.

    An object without a unit (an invitation for the whole organisation, a
    person on no unit's roster) is reached only by a grant on the whole
    organisation."""

    everywhere: bool = False
    organisations: frozenset[int] = frozenset()
    units: frozenset[tuple[int, str]] = frozenset()  # (organisation id, unit path "/3/7/")

    @classmethod
    def all(cls) -> Reach:
        return cls(everywhere=True)

    def covers(self, organisation_id: int | None, unit_path: str | None = None) -> bool:
        """Whether an object of this organisation, on the unit with this path
        (None: on no unit), is within reach."""
        if self.everywhere:
            return True
        if organisation_id is None:
            return False
        if organisation_id in self.organisations:
            return True
        return unit_path is not None and any(
            org == organisation_id and unit_path.startswith(path) for org, path in self.units
        )

    def covers_whole(self, organisation_id: int | None) -> bool:
        return self.everywhere or organisation_id in self.organisations

    def touches(self, organisation_id: int | None) -> bool:
        """Whether any part of this organisation is within reach."""
        return self.everywhere or organisation_id in self.organisation_ids

    @property
    def organisation_ids(self) -> frozenset[int]:
        """Organisations of which at least a part is within reach (meaningless
        when `everywhere`)."""
        return self.organisations | {org for org, _path in self.units}

    @property
    def is_empty(self) -> bool:
        return not self.everywhere and not self.organisations and not self.units

    def where(self, organisation_column, unit_path_column):
        """A Piccolo where-clause selecting the rows within reach, or None
        when every row is (no filter needed). `unit_path_column` is the
        joined path of the row's unit, e.g. Invitation.unit.path."""
        if self.everywhere:
            return None
        clauses = []
        if self.organisations:
            clauses.append(organisation_column.is_in(sorted(self.organisations)))
        for org, path in sorted(self.units):
            clauses.append((organisation_column == org) & unit_path_column.like(f"{path}%"))
        if not clauses:
            return organisation_column == -1  # nothing within reach
        where = clauses[0]
        for clause in clauses[1:]:
            where = where | clause
        return where


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

    def reach(self, permission: str) -> Reach:
        """Where `permission` holds for this user: organisations granted as a
        whole, and the units (with everything below them) granted."""
        if self.is_platform_admin:
            return Reach.all()
        organisations: set[int] = set()
        units: set[tuple[int, str]] = set()
        for grant in self.grants:
            if grant.organisation_id is None or permission not in PERMISSIONS.get(grant.role, ()):
                continue
            if grant.unit_id is None:
                organisations.add(grant.organisation_id)
            elif grant.unit_path:
                units.add((grant.organisation_id, grant.unit_path))
        # A unit inside an organisation that is granted as a whole adds nothing.
        return Reach(
            organisations=frozenset(organisations), units=frozenset(u for u in units if u[0] not in organisations)
        )

    def can_in_organisation(self, permission: str, organisation_id: int | None) -> bool:
        scope = self.organisations_with(permission)
        return scope is None or (organisation_id is not None and organisation_id in scope)


def in_scope(scope: frozenset[int] | None, organisation_id: int | None) -> bool:
    return scope is None or (organisation_id is not None and organisation_id in scope)
