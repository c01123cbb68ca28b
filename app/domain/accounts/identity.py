"""Loading the signed-in user with their role grants (one read per request)."""

from __future__ import annotations

from app.domain.access import CurrentUser, Grant
from app.storage.tables import RoleGrant, User


async def load_user(user_id: int) -> CurrentUser | None:
    row = await (
        User.select(User.id, User.email, User.display_name, User.language, User.organisation, User.is_active)
        .where(User.id == user_id)
        .first()
    )
    if row is None or not row["is_active"]:
        return None
    grants = await RoleGrant.select(
        RoleGrant.role, RoleGrant.organisation, RoleGrant.unit, RoleGrant.unit.path
    ).where(RoleGrant.user == user_id)
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        language=row["language"],
        organisation_id=row["organisation"],
        grants=tuple(
            Grant(role=g["role"], organisation_id=g["organisation"], unit_id=g["unit"], unit_path=g["unit.path"])
            for g in grants
        ),
    )
