"""Role grants: a role on a unit (and everything below it) or on a whole
organisation; platform_admin is granted on nothing (it covers everything).

Rules:
- a user's grants lie in the user's own organisation;
- only a platform admin grants platform_admin;
- org_admin is granted on the whole organisation, never on a unit;
- nobody removes their own platform_admin or org_admin role (no lock-out);
- nobody changes an account that holds a role they may not grant (its
  details, status, links or roles): changing a platform admin's e-mail and
  then using "forgot password" would hand an org admin the platform;
- a revoked role ends every session of the account (the pages it had open
  were drawn with the old rights).
"""

from __future__ import annotations

import uuid

from app.domain.admin.payloads import GrantRole, MoveRole, RevokeRole, chosen
from app.domain.admin.reasons import CODES
from app.domain.core.access import ROLES
from app.domain.core.actor import Actor, acting, out_of_reach
from app.domain.core.commands import Command, Effect, Rejected, execute, handler, utcnow
from app.domain.core.identity import end_sessions
from app.storage.tables import RoleGrant, Unit, User

ADMIN_ROLES = ("platform_admin", "org_admin")
PROTECTED = CODES["protected"]

# The codes check_grant answers (on the fields "role" and "unit_id").
GRANT_CODES = (
    "role_missing",
    "platform_admin_only",
    "platform_admin_no_unit",
    "no_organisation",
    "other_organisation",
    "unit_not_listed",
    "org_admin_no_unit",
)


async def check_grant(
    actor: Actor, organisation_id: int | None, role: str, unit_id: int | None
) -> tuple[int | None, int | None]:
    """(organisation id, unit id) the grant will carry, or Rejected with
    codes on the `role` and `unit_id` fields. A unit id 0 names no unit."""
    if role not in ROLES:
        raise Rejected("role_missing", "role")
    if role == "platform_admin":
        if not actor.is_platform_admin:
            raise Rejected("platform_admin_only", "role")
        if unit_id:
            raise Rejected("platform_admin_no_unit", "unit_id")
        return None, None
    if organisation_id is None:
        raise Rejected("no_organisation", "role")
    if not actor.covers(organisation_id):
        raise Rejected("other_organisation", "role")
    if unit_id == 0:
        raise Rejected("unit_not_listed", "unit_id")
    if unit_id is None:
        return organisation_id, None
    if role == "org_admin":
        raise Rejected("org_admin_no_unit", "unit_id")
    if not await Unit.exists().where((Unit.id == unit_id) & (Unit.organisation == organisation_id)):
        raise Rejected("unit_not_listed", "unit_id")
    return organisation_id, unit_id


async def add_grant(user_id: int, role: str, organisation_id: int | None, unit_id: int | None) -> int:
    duplicate = RoleGrant.exists().where((RoleGrant.user == user_id) & (RoleGrant.role == role))
    duplicate = duplicate.where(
        RoleGrant.organisation.is_null() if organisation_id is None else RoleGrant.organisation == organisation_id
    )
    duplicate = duplicate.where(RoleGrant.unit.is_null() if unit_id is None else RoleGrant.unit == unit_id)
    if await duplicate:
        raise Rejected("already_granted", "role", organisation_id=organisation_id)
    rows = await RoleGrant.insert(
        RoleGrant(user=user_id, role=role, organisation=organisation_id, unit=unit_id, created_at=utcnow())
    )
    return rows[0]["id"]


async def user_in_scope(actor: Actor, user_id: int) -> dict:
    user = (
        await User.select(
            User.id,
            User.organisation,
            User.is_active,
            User.password_hash,
            User.email,
            User.pending_email,
            User.language,
            User.display_name,
        )
        .where(User.id == user_id)
        .first()
    )
    if user is None or not actor.covers(user["organisation"]):
        raise Rejected("not_found")
    return user


async def require_within_reach(actor: Actor, user: dict) -> None:
    """Refuses with `protected` (REACH_CODES) an account out of the actor's
    reach; `user` needs its "id" and "organisation"."""
    if await out_of_reach(actor, user["id"]):
        raise Rejected("protected", organisation_id=user["organisation"])


@handler("admin.grant_role", GrantRole, codes=("protected", "already_granted", *GRANT_CODES))
async def grant_role(command: Command[GrantRole]) -> Effect:
    actor = await acting(command, "admin.grants")
    payload = command.payload
    user = await user_in_scope(actor, payload.user_id)
    await require_within_reach(actor, user)
    role = payload.role.strip()
    try:
        organisation_id, unit_id = await check_grant(actor, user["organisation"], role, chosen(payload.unit_id))
    except Rejected as rejection:
        raise Rejected.of(rejection.reasons, organisation_id=user["organisation"]) from None
    grant_id = await add_grant(user["id"], role, organisation_id, unit_id)
    return Effect(
        target_type="user",
        target_id=user["id"],
        organisation_id=user["organisation"],
        ids={"grant_id": grant_id, "user_id": user["id"]},
        detail=role,  # the history's "gave X the role HR"
    )


@handler("admin.revoke_role", RevokeRole, codes=("protected", "own_admin_role"))
async def revoke_role(command: Command[RevokeRole]) -> Effect:
    actor = await acting(command, "admin.grants")
    grant = await RoleGrant.select().where(RoleGrant.id == command.payload.grant_id).first()
    if grant is None:
        raise Rejected("not_found")
    owner = await User.select(User.organisation).where(User.id == grant["user"]).first()
    if owner is None or not actor.covers(owner["organisation"]):
        raise Rejected("not_found")
    # An account the actor may see but not change (it holds a role they may
    # not grant) says so; then the grant itself must be within reach: a
    # platform_admin grant (no organisation) is reachable by platform admins only.
    await require_within_reach(actor, {"id": grant["user"], "organisation": owner["organisation"]})
    if not actor.covers(grant["organisation"]):
        raise Rejected("not_found")
    if grant["user"] == actor.id and grant["role"] in ADMIN_ROLES:
        raise Rejected("own_admin_role", organisation_id=grant["organisation"])
    await RoleGrant.delete().where(RoleGrant.id == grant["id"])
    if grant["role"] in ("worker", "ambassador") and grant["organisation"] is not None:
        await _end_membership(command, grant["user"], grant["organisation"])
        await _leave_participation(command, grant["user"], grant["organisation"])
    await end_sessions(grant["user"])
    return Effect(
        target_type="user",
        target_id=grant["user"],
        organisation_id=grant["organisation"] or owner["organisation"],
        ids={"grant_id": grant["id"], "user_id": grant["user"]},
        detail=grant["role"],  # the grant is gone; the history still names the role
    )


@handler("admin.move_role", MoveRole, codes=("protected", "already_granted", *GRANT_CODES))
async def move_role(command: Command[MoveRole]) -> Effect:
    """Give a role another unit of the same organisation (a worker changes
    subgroup): what the role is stays, so nothing the worker shared ends."""
    actor = await acting(command, "admin.grants")
    grant = await RoleGrant.select().where(RoleGrant.id == command.payload.grant_id).first()
    if grant is None or grant["organisation"] is None or not actor.covers(grant["organisation"]):
        raise Rejected("not_found")
    await require_within_reach(actor, {"id": grant["user"], "organisation": grant["organisation"]})
    unit_id = command.payload.unit_id
    try:
        _organisation, unit_id = await check_grant(actor, grant["organisation"], grant["role"], unit_id)
    except Rejected as rejection:
        raise Rejected.of(rejection.reasons, organisation_id=grant["organisation"]) from None
    if unit_id == grant["unit"]:
        raise Rejected("already_granted", "unit_id", organisation_id=grant["organisation"])
    # A unit-scoped actor moves only within the units they reach.
    if not actor.reach.covers(grant["organisation"], await _path(grant["unit"])) or not actor.reach.covers(
        grant["organisation"], await _path(unit_id)
    ):
        raise Rejected("not_found")
    await RoleGrant.update({RoleGrant.unit: unit_id}).where(RoleGrant.id == grant["id"])
    await end_sessions(grant["user"])  # pages drawn with the old unit are stale
    return Effect(
        target_type="user",
        target_id=grant["user"],
        organisation_id=grant["organisation"],
        ids={"grant_id": grant["id"], "user_id": grant["user"], "unit_id": unit_id},
        detail=grant["role"],
    )


async def _path(unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    row = await Unit.select(Unit.path).where(Unit.id == unit_id).first()
    return row["path"] if row else None


async def _end_membership(command: Command, user_id: int, organisation_id: int) -> None:
    """Leaving the organisation ends what the worker shared with it: the
    passport's own command (named, not imported: the passport area builds on
    this one), in this transaction, with an id derived from this command so
    a replay does nothing twice."""
    follow_up = Command(
        type="passport.end_membership",
        payload={"user_id": user_id, "organisation_id": organisation_id},
        actor_id=command.actor_id,
        channel=command.channel,
        id=uuid.uuid5(command.id, "passport.end_membership"),
    )
    await execute(follow_up)


async def _leave_participation(command: Command, user_id: int, organisation_id: int) -> None:
    """Without a worker or ambassador role left in the organisation, the person
    leaves its participation: open chairs refunded, seats left (the
    participation area's command, named like the passport's above)."""
    still = await RoleGrant.exists().where(
        (RoleGrant.user == user_id)
        & (RoleGrant.organisation == organisation_id)
        & RoleGrant.role.is_in(["worker", "ambassador"])
    )
    if still:
        return
    follow_up = Command(
        type="participation.leave",
        payload={"organisation_id": organisation_id, "user_id": user_id},
        actor_id=command.actor_id,
        channel=command.channel,
        id=uuid.uuid5(command.id, "participation.leave"),
    )
    await execute(follow_up)


# -- queries -------------------------------------------------------------


async def grants_of(user_id: int) -> list[dict]:
    return await (
        RoleGrant.select(
            RoleGrant.id,
            RoleGrant.role,
            RoleGrant.organisation,
            RoleGrant.unit,
            RoleGrant.unit.name.as_alias("unit_name"),
            RoleGrant.organisation.name.as_alias("organisation_name"),
            RoleGrant.created_at,
        )
        .where(RoleGrant.user == user_id)
        .order_by(RoleGrant.created_at)
        .order_by(RoleGrant.id)
    )
