"""Command handlers of the accounts area: logins, passwords, (de)activation,
ending sessions.

Payloads hold ids and argon2 hashes only; the e-mail address of a reset
request is hashed into the command record like every payload, never stored.
A new password, a deactivation and "log out everywhere" end every session of
the account begun before (identity.end_sessions).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.accounts import tokens
from app.domain.accounts.queries import is_staff, user_by_email
from app.domain.admin.grants import require_within_reach
from app.domain.core.actor import Actor
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import end_sessions, load_user
from app.domain.jobs.queue import enqueue
from app.domain.registration.queries import is_registered_worker
from app.i18n import lazy
from app.storage import db
from app.storage.tables import SecretToken, User

# A mailbox gets at most this many reset links per hour, however often the
# form is sent.
RESET_LINKS_PER_HOUR = 3

# The same message id as the admin area's "not found": its web layer answers
# 404 for it, so another organisation's accounts are not even confirmed.
NOT_FOUND = lazy("This item does not exist or you do not have access to it.")

PASSWORD_CHANGED_MEANWHILE = lazy("Your password was changed a moment ago. Enter your current password again.")

# Rejections of a link carry one of these message ids; the web layer maps
# them back to the reason (see link_problem()).
LINK_PROBLEMS = {
    "invalid": lazy("This link is not valid."),
    "expired": lazy("This link has expired."),
    "used": lazy("This link has already been used."),
}


def link_problem(errors: dict[str, str]) -> str | None:
    """ "invalid", "expired" or "used" when a rejection was about the link."""
    for reason, message in LINK_PROBLEMS.items():
        if errors.get("_") == message:
            return reason
    return None


def _user_id(command: Command) -> int:
    value = command.payload.get("user_id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise Rejected(NOT_FOUND)
    return value


async def _user(user_id: int) -> dict:
    row = await User.select(User.id, User.is_active, User.organisation).where(User.id == user_id).first()
    if row is None:
        raise Rejected(NOT_FOUND)
    return row


async def _require_admin_of(command: Command, user: dict) -> None:
    """Platform admin, or org_admin of the account's organisation who may
    grant every role the account holds; with no actor only the system itself
    (cli, job) may act."""
    organisation_id = user["organisation"]
    if command.actor_id is None:
        if command.channel in ("cli", "job"):
            return
        raise Rejected(lazy("You may not do this."), organisation_id)
    actor = await load_user(command.actor_id)
    if actor is not None and actor.is_platform_admin:
        return
    if (
        actor is not None
        and organisation_id is not None
        and any(grant.role == "org_admin" and grant.organisation_id == organisation_id for grant in actor.grants)
    ):
        await require_within_reach(
            Actor(user=actor, scope=actor.organisations_with("admin.users"), reach=actor.reach("admin.users")), user
        )
        return
    raise Rejected(NOT_FOUND)


@handler("accounts.record_login")
async def record_login(command: Command) -> Effect:
    user = await _user(_user_id(command))
    if not user["is_active"] or command.actor_id != user["id"]:
        raise Rejected(lazy("You may not do this."), user["organisation"])
    await User.update({User.last_login_at: utcnow()}).where(User.id == user["id"])
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )


async def use_token(command: Command, purpose: str) -> dict:
    """Marks the token used, exactly once even when two requests race."""
    token_id = command.payload.get("token_id")
    if not isinstance(token_id, int) or isinstance(token_id, bool):
        raise Rejected(LINK_PROBLEMS["invalid"])
    row = await SecretToken.select().where((SecretToken.id == token_id) & (SecretToken.purpose == purpose)).first()
    if row is None:
        raise Rejected(LINK_PROBLEMS["invalid"])
    now = utcnow()
    if row["used_at"] is not None:
        raise Rejected(LINK_PROBLEMS["used"])
    if row["expires_at"] <= now:
        raise Rejected(LINK_PROBLEMS["expired"])
    claimed = await (
        SecretToken.update({SecretToken.used_at: now})
        .where((SecretToken.id == token_id) & SecretToken.used_at.is_null())
        .returning(SecretToken.id)
    )
    if not claimed:
        raise Rejected(LINK_PROBLEMS["used"])
    return row


async def _set_password(command: Command, purpose: str) -> Effect:
    password_hash = command.payload.get("password_hash")
    if not isinstance(password_hash, str) or not password_hash.startswith("$argon2id$"):
        raise Rejected({"password": lazy("Choose a password.")})
    token = await use_token(command, purpose)
    user = await _user(token["user"])
    if not user["is_active"]:
        raise Rejected(LINK_PROBLEMS["invalid"], user["organisation"])
    await User.update({User.password_hash: password_hash}).where(User.id == user["id"])
    # Other links still in flight would set the password again: retire them.
    await SecretToken.update({SecretToken.used_at: utcnow()}).where(
        (SecretToken.user == user["id"]) & SecretToken.used_at.is_null()
    )
    # Whoever knew the old password (or held a session) is out now.
    await end_sessions(user["id"])
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )


@handler("accounts.set_password")
async def set_password(command: Command) -> Effect:
    return await _set_password(command, tokens.SET_PASSWORD)


@handler("accounts.reset_password")
async def reset_password(command: Command) -> Effect:
    return await _set_password(command, tokens.RESET_PASSWORD)


@handler("accounts.request_password_reset")
async def request_password_reset(command: Command) -> Effect:
    """Issues a reset link for an active staff account or a registered
    worker's account. Every other case is applied too, with nothing done, so
    the answer never reveals an account."""
    user = await user_by_email(str(command.payload.get("email") or ""))
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


@handler("accounts.deactivate_user")
async def deactivate_user(command: Command) -> Effect:
    user = await _user(_user_id(command))
    await _require_admin_of(command, user)
    if not user["is_active"]:
        raise Rejected(lazy("This account is already deactivated."), user["organisation"])
    await User.update({User.is_active: False, User.deactivated_at: utcnow()}).where(User.id == user["id"])
    await end_sessions(user["id"])
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )


@handler("accounts.reactivate_user")
async def reactivate_user(command: Command) -> Effect:
    """The audit event of this command counts as activity for the inactivity
    rule (see inactivity.py), so the account gets a full new period."""
    user = await _user(_user_id(command))
    await _require_admin_of(command, user)
    if user["is_active"]:
        raise Rejected(lazy("This account is already active."), user["organisation"])
    await User.update({User.is_active: True, User.deactivated_at: None}).where(User.id == user["id"])
    # Deactivation already ended its sessions; raising the version again
    # also covers sessions begun before versions existed.
    await end_sessions(user["id"])
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )


@handler("accounts.change_password")
async def change_password(command: Command) -> Effect:
    """The signed-in user's own new password. `checked_hash` is the hash the
    current password was verified against: the change applies only while it
    is still the stored one, so of parallel changes exactly one wins."""
    user = await _user(command.actor_id if isinstance(command.actor_id, int) else 0)
    new_hash, checked = command.payload.get("password_hash"), command.payload.get("checked_hash")
    if (
        not isinstance(new_hash, str)
        or not new_hash.startswith("$argon2id$")
        or not isinstance(checked, str)
        or not checked
    ):
        raise Rejected({"password": lazy("Choose a password.")}, user["organisation"])
    changed = await (
        User.update({User.password_hash: new_hash})
        .where((User.id == user["id"]) & (User.password_hash == checked) & (User.is_active == True))  # noqa: E712
        .returning(User.id)
    )
    if not changed:
        raise Rejected({"current": PASSWORD_CHANGED_MEANWHILE}, user["organisation"])
    await tokens.retire(user["id"], (tokens.SET_PASSWORD, tokens.RESET_PASSWORD))
    await end_sessions(user["id"])
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )


@handler("accounts.end_sessions")
async def end_all_sessions(command: Command) -> Effect:
    """ "Log out everywhere": every session of the actor's own account ends."""
    user = await _user(command.actor_id if isinstance(command.actor_id, int) else 0)
    if not user["is_active"] or command.payload.get("user_id") != user["id"]:
        raise Rejected(lazy("You may not do this."), user["organisation"])
    await end_sessions(user["id"])
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )
