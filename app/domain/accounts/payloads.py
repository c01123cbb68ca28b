"""The payload of every command of the accounts area: ids and argon2 hashes,
and the e-mail address of a reset request (hashed into the command record
like every payload, never stored)."""

from __future__ import annotations

from app.domain.core.payloads import Digest, Id, Payload, ShortText


class RecordLogin(Payload, frozen=True):
    user_id: Id


class SetPassword(Payload, frozen=True):
    """A new account's first password, through the link mailed to it."""

    token_id: Id
    password_hash: Digest


class ResetPassword(Payload, frozen=True):
    """A new password through a "forgot password" link."""

    token_id: Id
    password_hash: Digest


class RequestPasswordReset(Payload, frozen=True):
    email: ShortText


class DeactivateUser(Payload, frozen=True):
    user_id: Id


class ReactivateUser(Payload, frozen=True):
    user_id: Id


class ChangePassword(Payload, frozen=True):
    """The signed-in user's own new password; `checked_hash` is the stored
    hash the current password was verified against."""

    password_hash: Digest
    checked_hash: Digest


class EndSessions(Payload, frozen=True):
    """ "Log out everywhere": the signed-in user's own account."""

    user_id: Id


class ConfirmEmail(Payload, frozen=True):
    token_id: Id


class FinishIntroduction(Payload, frozen=True):
    """The signed-in person finished or skipped the passport introduction."""

    user_id: Id
