"""Who takes part where: a worker's (or ambassador's) place in an
organisation, read from their role grant.

A worker's subgroup is the unit of their worker or ambassador role grant in
the organisation (None: the whole organisation). Tables are visible in the
opener's own subgroup; ambassadors and the organisation's admins see every
subgroup (seed 002, section 4.2: only an ambassador opens or invites across
subgroups).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.core.access import CurrentUser
from app.storage.participation import Departure
from app.storage.tables import Organisation, RoleGrant, Unit, User

TAKING_PART = ("worker", "ambassador")
MANAGE = "participation.manage"
SEPARATOR = " \u203a "  # the single right-pointing angle quotation mark


@dataclass(frozen=True)
class Member:
    """One person in one organisation's participation."""

    user_id: int
    organisation_id: int
    unit_id: int | None  # the subgroup (None: the whole organisation)
    unit_path: str | None
    is_ambassador: bool  # holds the ambassador role in this organisation
    is_admin: bool = False  # manages participation here (org_admin, platform admin)
    takes_part: bool = True  # holds a worker or ambassador role (has a wallet)
    # Left participation here (participation.leave) and no role was granted since.
    departed: bool = False

    @property
    def sees_every_subgroup(self) -> bool:
        return self.is_ambassador or self.is_admin


async def member(user_id: int, organisation_id: int, *, user: CurrentUser | None = None) -> Member | None:
    """The person's place in the organisation, or None when they neither take
    part (worker, ambassador) nor manage participation there."""
    grants = await (
        RoleGrant.select(
            RoleGrant.role, RoleGrant.unit, RoleGrant.unit.path.as_alias("unit_path"), RoleGrant.created_at
        )
        .where((RoleGrant.user == user_id) & (RoleGrant.organisation == organisation_id))
        .order_by(RoleGrant.id)
    )
    active = await User.select(User.is_active).where(User.id == user_id).first()
    if active is None or not active["is_active"]:
        return None
    roles = {grant["role"] for grant in grants}
    is_admin = "org_admin" in roles or (user is not None and user.is_platform_admin)
    taking = [grant for grant in grants if grant["role"] in TAKING_PART]
    if not taking and not is_admin:
        return None
    # The worker grant names the subgroup; an ambassador grant alone does too.
    place = next((g for g in taking if g["role"] == "worker"), taking[0] if taking else None)
    departed = bool(taking) and await _departed(
        user_id, organisation_id, max((g["created_at"] for g in taking if g["created_at"]), default=None)
    )
    return Member(
        user_id=user_id,
        organisation_id=organisation_id,
        unit_id=place["unit"] if place else None,
        unit_path=place["unit_path"] if place else None,
        is_ambassador="ambassador" in roles and not departed,
        is_admin=is_admin,
        takes_part=bool(taking) and not departed,
        departed=departed,
    )


async def _departed(user_id: int, organisation_id: int, granted_at) -> bool:
    """Whether the person left participation here after their latest worker or
    ambassador grant (a role granted again later means they are back)."""
    row = await (
        Departure.select(Departure.at)
        .where((Departure.user == user_id) & (Departure.organisation == organisation_id))
        .order_by(Departure.at, ascending=False)
        .first()
    )
    return row is not None and (granted_at is None or row["at"] >= granted_at)


async def departed_ids(organisation_id: int) -> set[int]:
    """The people who left participation in the organisation (and were not
    granted a worker or ambassador role since)."""
    left = await Departure.select(Departure.user, Departure.at).where(Departure.organisation == organisation_id)
    if not left:
        return set()
    latest: dict[int, object] = {}
    for row in left:
        if row["user"] not in latest or row["at"] > latest[row["user"]]:
            latest[row["user"]] = row["at"]
    grants = await RoleGrant.select(RoleGrant.user, RoleGrant.created_at).where(
        (RoleGrant.organisation == organisation_id)
        & RoleGrant.role.is_in(list(TAKING_PART))
        & RoleGrant.user.is_in(list(latest))
    )
    regranted = {g["user"] for g in grants if g["created_at"] is not None and g["created_at"] > latest[g["user"]]}
    return set(latest) - regranted


async def organisations_of(user_id: int) -> list[dict]:
    """The organisations where the person takes part, by name."""
    rows = await (
        RoleGrant.select(RoleGrant.organisation, RoleGrant.organisation.name.as_alias("name"))
        .where((RoleGrant.user == user_id) & RoleGrant.role.is_in(list(TAKING_PART)))
        .order_by(RoleGrant.organisation)
    )
    seen: dict[int, dict] = {}
    for row in rows:
        if row["organisation"] is not None:
            seen.setdefault(row["organisation"], {"id": row["organisation"], "name": row["name"]})
    return sorted(seen.values(), key=lambda org: org["name"])


async def members_of(organisation_id: int, unit_id: int | None = None) -> list[dict]:
    """Active people taking part in the organisation ({user_id, name, unit_id}),
    of one subgroup when `unit_id` is given."""
    query = RoleGrant.select(
        RoleGrant.user.as_alias("user_id"), RoleGrant.user.display_name.as_alias("name"), RoleGrant.unit
    ).where(
        (RoleGrant.organisation == organisation_id)
        & RoleGrant.role.is_in(list(TAKING_PART))
        & (RoleGrant.user.is_active == True)  # noqa: E712 (a Piccolo expression)
    )
    if unit_id is not None:
        query = query.where(RoleGrant.unit == unit_id)
    rows = await query.order_by(RoleGrant.user.display_name)
    gone = await departed_ids(organisation_id)
    seen: dict[int, dict] = {}
    for row in rows:
        if row["user_id"] in gone:
            continue
        seen.setdefault(row["user_id"], {"user_id": row["user_id"], "name": row["name"], "unit_id": row["unit"]})
    return list(seen.values())


def _labels(units: list[dict]) -> dict[int, str]:
    """Each unit's whole path as one label (Gent, Productie, Ploeg Vroeg joined by SEPARATOR)."""
    by_id = {unit["id"]: unit for unit in units}

    def label(unit: dict) -> str:
        names = []
        current: dict | None = unit
        while current is not None:
            names.append(current["name"])
            current = by_id.get(current["parent"])
        return SEPARATOR.join(reversed(names))

    return {unit["id"]: label(unit) for unit in units}


async def unit_labels(organisation_id: int) -> dict[int, str]:
    """Every unit of the organisation with its whole path as label."""
    units = await Unit.select(Unit.id, Unit.name, Unit.parent).where(Unit.organisation == organisation_id)
    return _labels(units)


async def subgroups(organisation_id: int) -> list[dict]:
    """The organisation's units of kind subgroup ({id, name, path, label}),
    the label naming the whole path (see unit_labels)."""
    units = await Unit.select(Unit.id, Unit.name, Unit.kind, Unit.path, Unit.parent).where(
        Unit.organisation == organisation_id
    )
    labels = _labels(units)
    found = [
        {"id": unit["id"], "name": unit["name"], "path": unit["path"], "label": labels[unit["id"]]}
        for unit in units
        if unit["kind"] == "subgroup"
    ]
    return sorted(found, key=lambda unit: unit["label"])


async def organisation_name(organisation_id: int) -> str | None:
    row = await Organisation.select(Organisation.name).where(Organisation.id == organisation_id).first()
    return row["name"] if row else None
