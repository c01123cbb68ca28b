"""Command handlers of the accounts area: logins, passwords, (de)activation,
ending sessions.

Payloads hold ids and argon2 hashes only (app/domain/accounts/payloads.py);
the e-mail address of a reset request is hashed into the command record like
every payload, never stored. Refusals carry the area's reason codes
(app/domain/accounts/reasons.py). A new password, a deactivation and "log
out everywhere" end every session of the account begun before
(identity.end_sessions).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.accounts import tokens
from app.domain.accounts.payloads import (
    ChangePassword,
    DeactivateUser,
    EndSessions,
    ReactivateUser,
    RecordLogin,
    RequestPasswordReset,
    ResetPassword,
    SetPassword,
)
from app.domain.accounts.queries import is_registered_worker, is_staff, user_by_email
from app.domain.accounts.reasons import LINK_CODES
from app.domain.core.actor import actor_of, out_of_reach
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import end_sessions, load_user
from app.domain.jobs import enqueue
from app.storage import db
from app.storage.tables import SecretToken, User

# A mailbox gets at most this many reset links per hour, however often the
# form is sent.
RESET_LINKS_PER_HOUR = 3

HASH_PREFIX = "$argon2id$"


async def _user(user_id: int | None) -> dict:
    row = (
        await User.select(User.id, User.is_active, User.organisation).where(User.id == user_id).first()
        if isinstance(user_id, int)
        else None
    )
    if row is None:
        raise Rejected("not_found")
    return row


async def _require_admin_of(command: Command, user: dict) -> None:
    """Platform admin, or org_admin of the account's organisation who may
    grant every role the account holds; with no actor only the system itself
    (cli, job) may act. Another organisation's account is "not found", so it
    is not even confirmed."""
    organisation_id = user["organisation"]
    if command.actor_id is None:
        if command.channel in ("cli", "job"):
            return
        raise Rejected("not_allowed", organisation_id=organisation_id)
    actor = await load_user(command.actor_id)
    if actor is not None and actor.is_platform_admin:
        return
    if (
        actor is not None
        and organisation_id is not None
        and any(grant.role == "org_admin" and grant.organisation_id == organisation_id for grant in actor.grants)
    ):
        if await out_of_reach(actor_of(actor, "admin.users"), user["id"]):
            raise Rejected("protected", organisation_id=organisation_id)
        return
    raise Rejected("not_found")


def _effect(user: dict) -> Effect:
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )


@handler("accounts.record_login", RecordLogin, codes=("not_found", "not_allowed"))
async def record_login(command: Command[RecordLogin]) -> Effect:
    user = await _user(command.payload.user_id)
    if not user["is_active"] or command.actor_id != user["id"]:
        raise Rejected("not_allowed", organisation_id=user["organisation"])
    await User.update({User.last_login_at: utcnow()}).where(User.id == user["id"])
    return _effect(user)


async def use_token(token_id: int, purpose: str) -> dict:
    """Marks the token used, exactly once even when two requests race; a
    link that cannot be used is refused with link_invalid, link_expired or
    link_used."""
    row = await SecretToken.select().where((SecretToken.id == token_id) & (SecretToken.purpose == purpose)).first()
    if row is None:
        raise Rejected("link_invalid")
    now = utcnow()
    if row["used_at"] is not None:
        raise Rejected("link_used")
    if row["expires_at"] <= now:
        raise Rejected("link_expired")
    claimed = await (
        SecretToken.update({SecretToken.used_at: now})
        .where((SecretToken.id == token_id) & SecretToken.used_at.is_null())
        .returning(SecretToken.id)
    )
    if not claimed:
        raise Rejected("link_used")
    return row


async def _set_password(payload: SetPassword | ResetPassword, purpose: str) -> Effect:
    if not payload.password_hash.startswith(HASH_PREFIX):
        raise Rejected("password_missing", "password")
    token = await use_token(payload.token_id, purpose)
    user = await _user(token["user"])
    if not user["is_active"]:
        raise Rejected("link_invalid", organisation_id=user["organisation"])
    await User.update({User.password_hash: payload.password_hash}).where(User.id == user["id"])
    # Other links still in flight would set the password again: retire them.
    await SecretToken.update({SecretToken.used_at: utcnow()}).where(
        (SecretToken.user == user["id"]) & SecretToken.used_at.is_null()
    )
    # Whoever knew the old password (or held a session) is out now.
    await end_sessions(user["id"])
    return _effect(user)


LINK_PASSWORD_CODES = ("password_missing", "not_found", *LINK_CODES)


@handler("accounts.set_password", SetPassword, codes=LINK_PASSWORD_CODES)
async def set_password(command: Command[SetPassword]) -> Effect:
    return await _set_password(command.payload, tokens.SET_PASSWORD)


@handler("accounts.reset_password", ResetPassword, codes=LINK_PASSWORD_CODES)
async def reset_password(command: Command[ResetPassword]) -> Effect:
    return await _set_password(command.payload, tokens.RESET_PASSWORD)


@handler("accounts.request_password_reset", RequestPasswordReset)
async def request_password_reset(command: Command[RequestPasswordReset]) -> Effect:
    """Issues a reset link for an active staff account or a registered
    worker's account. Every other case is applied too, with nothing done, so
    the answer never reveals an account."""
    user = await user_by_email(command.payload.email)
    if (
        user is None
        or not user["is_active"]
        or not (await is_staff(user["id"]) or await is_registered_worker(user["id"]))
    ):
        return Effect(detail="no_account")
    # Parallel requests for one account count the links one after another.
    await db.lock(User, user["id"])
    since = datetime.now(UTC) - timedelta(hours=1)
    recent = await SecretToken.count().where(
        (SecretToken.user == user["id"])
        & (SecretToken.purpose == tokens.RESET_PASSWORD)
        & (SecretToken.created_at > since)
    )
    if recent >= RESET_LINKS_PER_HOUR:
        return Effect(
            target_type="user", target_id=user["id"], organisation_id=user["organisation"], detail="too_many_links"
        )
    token_id = await tokens.issue(user["id"], tokens.RESET_PASSWORD)
    await enqueue("accounts.send_reset_password_mail", {"user_id": user["id"], "token_id": token_id})
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"token_id": token_id}
    )


ADMIN_CODES = ("not_found", "not_allowed", "protected")


@handler("accounts.deactivate_user", DeactivateUser, codes=(*ADMIN_CODES, "already_deactivated", "own_account"))
async def deactivate_user(command: Command[DeactivateUser]) -> Effect:
    user = await _user(command.payload.user_id)
    await _require_admin_of(command, user)
    if command.actor_id == user["id"]:  # no admin locks themselves out
        raise Rejected("own_account", organisation_id=user["organisation"])
    if not user["is_active"]:
        raise Rejected("already_deactivated", organisation_id=user["organisation"])
    await User.update({User.is_active: False, User.deactivated_at: utcnow()}).where(User.id == user["id"])
    await end_sessions(user["id"])
    return _effect(user)


@handler("accounts.reactivate_user", ReactivateUser, codes=(*ADMIN_CODES, "already_active"))
async def reactivate_user(command: Command[ReactivateUser]) -> Effect:
    """The audit event of this command counts as activity for the inactivity
    rule (see inactivity.py), so the account gets a full new period."""
    user = await _user(command.payload.user_id)
    await _require_admin_of(command, user)
    if user["is_active"]:
        raise Rejected("already_active", organisation_id=user["organisation"])
    await User.update({User.is_active: True, User.deactivated_at: None}).where(User.id == user["id"])
    # Deactivation already ended its sessions; raising the version again
    # also covers sessions begun before versions existed.
    await end_sessions(user["id"])
    return _effect(user)


@handler(
    "accounts.change_password",
    ChangePassword,
    codes=("not_found", "password_missing", "password_changed_meanwhile"),
)
async def change_password(command: Command[ChangePassword]) -> Effect:
    """The signed-in user's own new password. `checked_hash` is the hash the
    current password was verified against: the change applies only while it
    is still the stored one, so of parallel changes exactly one wins."""
    user = await _user(command.actor_id)
    new_hash, checked = command.payload.password_hash, command.payload.checked_hash
    if not new_hash.startswith(HASH_PREFIX) or not checked:
        raise Rejected("password_missing", "password", organisation_id=user["organisation"])
    changed = await (
        User.update({User.password_hash: new_hash})
        .where((User.id == user["id"]) & (User.password_hash == checked) & (User.is_active == True))  # noqa: E712
        .returning(User.id)
    )
    if not changed:
        raise Rejected("password_changed_meanwhile", "current", organisation_id=user["organisation"])
    await tokens.retire(user["id"], (tokens.SET_PASSWORD, tokens.RESET_PASSWORD))
    await end_sessions(user["id"])
    return _effect(user)


@handler("accounts.end_sessions", EndSessions, codes=("not_found", "not_allowed"))
async def end_all_sessions(command: Command[EndSessions]) -> Effect:
    """ "Log out everywhere": every session of the actor's own account ends."""
    user = await _user(command.actor_id)
    if not user["is_active"] or command.payload.user_id != user["id"]:
        raise Rejected("not_allowed", organisation_id=user["organisation"])
    await end_sessions(user["id"])
    return _effect(user)
