"""Who runs a command, and where their permission holds."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.core.access import CurrentUser, Reach, in_scope
from app.domain.core.commands import Command
from app.domain.core.identity import load_user
from app.domain.core.reasons import Rejected
from app.storage.tables import RoleGrant


@dataclass(frozen=True)
class Actor:
    """The one who runs a command; `user` is None for the system (cli, job)."""

    user: CurrentUser | None
    scope: frozenset[int] | None  # organisations the actor may manage; None = all
    # Where the permission holds down to units (roles granted on a unit act on
    # that unit and below); the system (cli, job) reaches everything.
    reach: Reach

    @property
    def id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def is_platform_admin(self) -> bool:
        return self.user is None or self.user.is_platform_admin

    def covers(self, organisation_id: int | None) -> bool:
        return in_scope(self.scope, organisation_id)


def system_actor() -> Actor:
    return Actor(user=None, scope=None, reach=Reach.all())


def actor_of(user: CurrentUser, permission: str) -> Actor:
    return Actor(user=user, scope=user.organisations_with(permission), reach=user.reach(permission))


async def acting(command: Command, permission: str) -> Actor:
    """The actor of `command`, refused unless they hold `permission`."""
    if command.actor_id is None:
        if command.channel in ("cli", "job"):
            return system_actor()
        raise Rejected("not_allowed")
    user = await load_user(command.actor_id)
    if user is None or not user.has_permission(permission):
        raise Rejected("not_allowed")
    return actor_of(user, permission)


async def out_of_reach(actor: Actor, user_id: int) -> bool:
    """Whether the account holds a role that `actor` could not grant: the
    platform admin role, or any role in an organisation the actor does not
    manage (the admin area's check_grant rule, for grants already stored).
    An organisation admin may then not change that account at all."""
    if actor.is_platform_admin:
        return False
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.organisation).where(RoleGrant.user == user_id)
    return any(
        grant["role"] == "platform_admin" or grant["organisation"] is None or not actor.covers(grant["organisation"])
        for grant in grants
    )
