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

from app.domain.core.access import ROLES
from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import end_sessions
from app.domain.core.ids import optional_id, require_id
from app.domain.core.reasons import NOT_FOUND
from app.domain.core.text import text
from app.i18n import lazy
from app.storage.tables import RoleGrant, Unit, User

ADMIN_ROLES = ("platform_admin", "org_admin")
PROTECTED = lazy("This account holds a role that you cannot grant, so you cannot change it. Ask a platform admin.")


async def check_grant(
    actor: Actor, organisation_id: int | None, role: str, unit_id: int | None | bool
) -> tuple[int | None, int | None]:
    """(organisation id, unit id) the grant will carry, or Rejected with
    errors on the `role` and `unit_id` fields."""
    if role not in ROLES:
        raise Rejected({"role": lazy("Choose a role.")})
    if role == "platform_admin":
        if not actor.is_platform_admin:
            raise Rejected({"role": lazy("Only a platform admin can grant the platform admin role.")})
        if unit_id:
            raise Rejected({"unit_id": lazy("The platform admin role covers everything: choose no unit.")})
        return None, None
    if organisation_id is None:
        raise Rejected(
            {"role": lazy("This user belongs to no organisation; only the platform admin role can be granted.")}
        )
    if not actor.covers(organisation_id):
        raise Rejected({"role": lazy("You can only grant roles in your own organisation.")})
    if unit_id is False:
        raise Rejected({"unit_id": lazy("Choose a unit from the list.")})
    if unit_id is None:
        return organisation_id, None
    if role == "org_admin":
        raise Rejected({"unit_id": lazy("An organisation admin is granted on the whole organisation: choose no unit.")})
    if not await Unit.exists().where((Unit.id == unit_id) & (Unit.organisation == organisation_id)):
        raise Rejected({"unit_id": lazy("Choose a unit from the list.")})
    return organisation_id, unit_id


async def add_grant(user_id: int, role: str, organisation_id: int | None, unit_id: int | None) -> int:
    duplicate = RoleGrant.exists().where((RoleGrant.user == user_id) & (RoleGrant.role == role))
    duplicate = duplicate.where(
        RoleGrant.organisation.is_null() if organisation_id is None else RoleGrant.organisation == organisation_id
    )
    duplicate = duplicate.where(RoleGrant.unit.is_null() if unit_id is None else RoleGrant.unit == unit_id)
    if await duplicate:
        raise Rejected({"role": lazy("This user already has this role here.")}, organisation_id=organisation_id)
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
        raise Rejected({"_": NOT_FOUND})
    return user


async def out_of_reach(actor: Actor, user_id: int) -> bool:
    """Whether the account holds a role that `actor` may not grant (check_grant
    decides: platform_admin, or a role in an organisation they do not manage)."""
    if actor.is_platform_admin:
        return False
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.organisation, RoleGrant.unit).where(
        RoleGrant.user == user_id
    )
    for grant in grants:
        try:
            await check_grant(actor, grant["organisation"], grant["role"], grant["unit"])
        except Rejected:
            return True
    return False


async def require_within_reach(actor: Actor, user: dict) -> None:
    if await out_of_reach(actor, user["id"]):
        raise Rejected({"_": PROTECTED}, organisation_id=user["organisation"])


@handler("admin.grant_role")
async def grant_role(command: Command) -> Effect:
    actor = await acting(command, "admin.grants")
    user = await user_in_scope(actor, require_id(command.payload, "user_id"))
    await require_within_reach(actor, user)
    try:
        organisation_id, unit_id = await check_grant(
            actor, user["organisation"], text(command.payload, "role"), optional_id(command.payload, "unit_id")
        )
    except Rejected as rejection:
        raise Rejected(rejection.errors, organisation_id=user["organisation"]) from None
    grant_id = await add_grant(user["id"], text(command.payload, "role"), organisation_id, unit_id)
    return Effect(
        target_type="user",
        target_id=user["id"],
        organisation_id=user["organisation"],
        ids={"grant_id": grant_id, "user_id": user["id"]},
    )


@handler("admin.revoke_role")
async def revoke_role(command: Command) -> Effect:
    actor = await acting(command, "admin.grants")
    grant = await RoleGrant.select().where(RoleGrant.id == require_id(command.payload, "grant_id")).first()
    if grant is None:
        raise Rejected({"_": NOT_FOUND})
    owner = await User.select(User.organisation).where(User.id == grant["user"]).first()
    if not actor.covers(owner["organisation"]):
        raise Rejected({"_": NOT_FOUND})
    # An account the actor may see but not change (it holds a role they may
    # not grant) says so; then the grant itself must be within reach: a
    # platform_admin grant (no organisation) is reachable by platform admins only.
    await require_within_reach(actor, {"id": grant["user"], "organisation": owner["organisation"]})
    if not actor.covers(grant["organisation"]):
        raise Rejected({"_": NOT_FOUND})
    if grant["user"] == actor.id and grant["role"] in ADMIN_ROLES:
        raise Rejected(
            {"_": lazy("You cannot remove your own admin role; ask another admin.")},
            organisation_id=grant["organisation"],
        )
    await RoleGrant.delete().where(RoleGrant.id == grant["id"])
    await end_sessions(grant["user"])
    return Effect(
        target_type="user",
        target_id=grant["user"],
        organisation_id=grant["organisation"] or owner["organisation"],
        ids={"grant_id": grant["id"], "user_id": grant["user"]},
    )


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
