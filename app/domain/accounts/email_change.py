"""A new e-mail address for an account takes effect only once confirmed from
that address.

An admin's change is kept in `app_user.pending_email`; a single-use link
(SecretToken CONFIRM_EMAIL) is mailed to the new address, and the old address
is told, with no link in that mail (a link there could be used to undo a
legitimate change, or mistaken for one that secures the account). The login
and "forgot password" keep using the old address until the link is used.
Confirming checks the address is still free, retires the links mailed to the
old address and ends every session of the account.
"""

from __future__ import annotations

from piccolo.query.functions.string import Lower

from app.domain.accounts import tokens
from app.domain.accounts.commands import use_token
from app.domain.accounts.payloads import ConfirmEmail
from app.domain.accounts.reasons import LINK_CODES
from app.domain.core.commands import Command, Effect, Rejected, handler
from app.domain.core.identity import end_sessions
from app.domain.jobs import enqueue
from app.domain.mail import queue_mail
from app.storage.tables import SecretToken, User

CONFIRM_JOB = "accounts.send_confirm_email_mail"
SET_PASSWORD_JOB = "accounts.send_set_password_mail"
NOTICE_TEMPLATE = "email_change_notice"


def masked(email: str) -> str:
    """n***@example.be: enough for the owner of the old address to recognise
    the new one, without handing a stranger (a mistyped old address) the
    whole address."""
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


async def request_change(user: dict, new_email: str) -> int:
    """Within the admin's command: keep the address pending, mail the link to
    it and tell the old address. Returns the token id. `user` holds id,
    email, display_name and language."""
    # The account row first: on PostgreSQL this waits for a parallel change
    # of the same account to commit, so the retire below also sees (and
    # retires) that change's link. One open link, for the pending address.
    await User.update({User.pending_email: new_email}).where(User.id == user["id"])
    await tokens.retire(user["id"], (tokens.CONFIRM_EMAIL,))
    token_id = await tokens.issue(user["id"], tokens.CONFIRM_EMAIL)
    await enqueue(CONFIRM_JOB, {"user_id": user["id"], "token_id": token_id})
    if user["email"]:
        context = {"name": user["display_name"], "new_email": masked(new_email)}
        await queue_mail(to=user["email"], template=NOTICE_TEMPLATE, language=user["language"], context=context)
    return token_id


async def cancel(user_id: int) -> None:
    await User.update({User.pending_email: None}).where(User.id == user_id)
    await tokens.retire(user_id, (tokens.CONFIRM_EMAIL,))


async def _lock_account(token_id: int) -> None:
    """Take the account's row lock before the token's, in the order a
    change takes them (request_change), so the two never deadlock."""
    owner = await SecretToken.select(SecretToken.user).where(SecretToken.id == token_id).first()
    if owner is not None:
        await User.update({User.session_version: User.session_version}).where(User.id == owner["user"])


async def _address_taken(email: str, user_id: int) -> bool:
    return await User.exists().where(Lower(User.email) == email.lower()).where(User.id != user_id)


@handler("accounts.confirm_email", ConfirmEmail, codes=(*LINK_CODES, "email_taken_now"))
async def confirm_email(command: Command[ConfirmEmail]) -> Effect:
    await _lock_account(command.payload.token_id)
    token = await use_token(command.payload.token_id, tokens.CONFIRM_EMAIL)
    user = await (
        User.select(User.id, User.is_active, User.organisation, User.pending_email, User.password_hash)
        .where(User.id == token["user"])
        .first()
    )
    if user is None or not user["is_active"] or not user["pending_email"]:
        raise Rejected("link_invalid", organisation_id=user["organisation"] if user else None)
    if await _address_taken(user["pending_email"], user["id"]):
        raise Rejected("email_taken_now", organisation_id=user["organisation"])
    await User.update({User.email: user["pending_email"], User.pending_email: None}).where(User.id == user["id"])
    # Reset and set-password links went to the old address: worthless now.
    await tokens.retire(user["id"])
    await end_sessions(user["id"])
    ids = {"user_id": user["id"]}
    if not user["password_hash"]:
        # A new account whose address was mistyped: the set-password link
        # goes to the confirmed address now.
        ids["token_id"] = await tokens.issue(user["id"], tokens.SET_PASSWORD)
        await enqueue(SET_PASSWORD_JOB, {"user_id": user["id"], "token_id": ids["token_id"]})
    return Effect(target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids=ids)


async def pending_address(user_id: int) -> str | None:
    """The address waiting for confirmation (shown on the confirm page)."""
    row = await User.select(User.pending_email, User.is_active).where(User.id == user_id).first()
    return row["pending_email"] if row and row["is_active"] else None
