"""Loading the signed-in user with their role grants (one read per request),
and the session version that says whether a session still counts.

A session remembers the account's `session_version` from the moment it began;
`end_sessions()` raises the version, which voids every session begun before
(password or PIN reset, e-mail change, deactivation, revoked role, "log out
everywhere"). The session doing a change that should survive it starts anew
with the new version (see app/web/accounts/sessions.py).
"""

from __future__ import annotations

from app.domain.core.access import CurrentUser, Grant
from app.storage.tables import RoleGrant, User


async def _load(user_id: int, session_version: int | None) -> CurrentUser | None:
    row = await (
        User.select(
            User.id,
            User.email,
            User.display_name,
            User.language,
            User.organisation,
            User.is_active,
            User.session_version,
        )
        .where(User.id == user_id)
        .first()
    )
    if row is None or not row["is_active"]:
        return None
    if session_version is not None and row["session_version"] != session_version:
        return None
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.organisation, RoleGrant.unit, RoleGrant.unit.path).where(
        RoleGrant.user == user_id
    )
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


async def load_user(user_id: int) -> CurrentUser | None:
    """The active account with its grants (commands: who is acting)."""
    return await _load(user_id, None)


async def load_session_user(user_id: int, session_version: int) -> CurrentUser | None:
    """The account of a session, or None when the session no longer counts
    (the account is gone or deactivated, or its sessions were ended)."""
    return await _load(user_id, session_version)


async def session_version(user_id: int) -> int | None:
    row = await User.select(User.session_version).where(User.id == user_id).first()
    return row["session_version"] if row else None


async def end_sessions(user_id: int) -> None:
    """Void every session of the account begun so far (inside the caller's
    transaction: a rolled-back command ends nothing). One atomic update, so
    parallel calls never lose a raise."""
    await User.update({User.session_version: User.session_version + 1}).where(User.id == user_id)
