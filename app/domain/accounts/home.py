"""What a staff member's start page (/home) counts: the figures that matter
to their roles, each one query, scoped to where the role holds.

- invitations (org admin, HR, consultant; within their organisation or units):
  open now, expiring in the next 7 days, registered in the last 7 days;
- staff lists (org admin, HR): uploads of the last 30 days with rows that
  were not done (invalid or not found);
- staff without a role (org admin): active accounts of their organisation
  that hold no role at all, so they can do nothing yet;
- the platform (platform admin): organisations, failed jobs;
- team lead and planner: the people on the roster of their units, and how
  many of them registered (their own modules come later).

The accounts area cannot import the invitations area (invitations depends
on admin, which depends on accounts), so these counts read the tables; the
open statuses are the invitation lifecycle's (a test keeps them equal).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.core.access import CurrentUser, Reach
from app.domain.core.commands import utcnow
from app.storage.people import ImportRun, Invitation, Membership, Person
from app.storage.tables import Job, Organisation, RoleGrant, User

# app.domain.invitations.lifecycle.OPEN
OPEN_STATUSES = ("created", "sent", "opened")
WEEK = timedelta(days=7)
RECENT_IMPORTS = timedelta(days=30)
# Roles whose own modules (planning, hours) are still to come.
UPCOMING = ("team_lead", "planner")
# Figures that ask for action whenever they are above zero, in this order.
TASKS = ("failed_jobs", "expiring_invitations", "imports_with_problems", "staff_without_role")


@dataclass(frozen=True)
class HomeFigures:
    counts: dict[str, int]  # figure name -> count, only the figures of the user's roles
    tasks: tuple[str, ...]  # figure names that ask for action now
    upcoming: tuple[str, ...]  # the user's roles whose modules are still to come


def _role_reach(user: CurrentUser, permission: str) -> Reach | None:
    """Where `permission` holds through the user's organisation roles (the
    platform admin's all-reach does not count here: their home shows the
    platform), or None when no such role gives it."""
    organisational = dataclasses.replace(user, grants=tuple(g for g in user.grants if g.role != "platform_admin"))
    reach = organisational.reach(permission)
    return None if reach.is_empty else reach


def _role_scope(user: CurrentUser, roles: tuple[str, ...]) -> Reach | None:
    """Where the user holds one of `roles`: whole organisations and units."""
    organisations: set[int] = set()
    units: set[tuple[int, str]] = set()
    for grant in user.grants:
        if grant.role not in roles or grant.organisation_id is None:
            continue
        if grant.unit_id is None:
            organisations.add(grant.organisation_id)
        elif grant.unit_path:
            units.add((grant.organisation_id, grant.unit_path))
    if not organisations and not units:
        return None
    return Reach(organisations=frozenset(organisations), units=frozenset(u for u in units if u[0] not in organisations))


async def _count(query, where) -> int:
    return await (query.where(where) if where is not None else query)


async def _invitation_counts(reach: Reach, now: datetime) -> dict[str, int]:
    scope = reach.where(Invitation.organisation, Invitation.unit.path)
    is_open = Invitation.status.is_in(list(OPEN_STATUSES)) & (Invitation.expires_at > now)
    return {
        "open_invitations": await _count(Invitation.count().where(is_open), scope),
        "expiring_invitations": await _count(
            Invitation.count().where(is_open & (Invitation.expires_at <= now + WEEK)), scope
        ),
        "registered_this_week": await _count(
            Invitation.count().where((Invitation.status == "registered") & (Invitation.registered_at >= now - WEEK)),
            scope,
        ),
    }


async def _imports_with_problems(reach: Reach, now: datetime) -> int:
    problems = ((ImportRun.invalid > 0) | (ImportRun.not_found > 0)) & (ImportRun.created_at >= now - RECENT_IMPORTS)
    return await _count(ImportRun.count().where(problems), reach.where(ImportRun.organisation, ImportRun.unit.path))


async def _staff_without_role(organisations: frozenset[int]) -> int:
    return await User.count().where(
        User.organisation.is_in(sorted(organisations))
        & (User.is_active == True)  # noqa: E712 (a Piccolo expression)
        & User.id.not_in(RoleGrant.select(RoleGrant.user))
    )


async def _roster_counts(reach: Reach) -> dict[str, int]:
    scope = reach.where(Membership.organisation, Membership.unit.path)
    return {
        "roster": await _count(Membership.count(), scope),
        "roster_registered": await _count(
            Membership.count().where(
                Membership.person.is_in(Person.select(Person.id).where(Person.user.is_not_null()))
            ),
            scope,
        ),
    }


async def home_figures(user: CurrentUser, now: datetime | None = None) -> HomeFigures:
    now = now or utcnow()
    counts: dict[str, int] = {}
    if user.is_platform_admin:
        counts["organisations"] = await Organisation.count()
        counts["failed_jobs"] = await Job.count().where(Job.status == "failed")
    if (reach := _role_reach(user, "invitations.manage")) is not None:
        counts.update(await _invitation_counts(reach, now))
    if (reach := _role_reach(user, "invitations.import")) is not None:
        counts["imports_with_problems"] = await _imports_with_problems(reach, now)
    organisations = frozenset(g.organisation_id for g in user.grants if g.role == "org_admin" and g.organisation_id)
    if organisations:
        counts["staff_without_role"] = await _staff_without_role(organisations)
    upcoming = tuple(role for role in UPCOMING if role in user.roles)
    if (reach := _role_scope(user, UPCOMING)) is not None:
        counts.update(await _roster_counts(reach))
    tasks = tuple(name for name in TASKS if counts.get(name, 0) > 0)
    return HomeFigures(counts=counts, tasks=tasks, upcoming=upcoming)
