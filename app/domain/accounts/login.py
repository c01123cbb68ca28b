"""Checking a login: the limits, the password, the account's state, and the
audit trail of refusals. Every refusal looks the same to the person logging in.

The attempt is claimed under the account's and the address's limits before
the password is checked (app/domain/limits.py): parallel tries cannot pass
the limit. A wrong password keeps its claims; a login that goes through
gives the address its place back and clears the account's counter
(login_succeeded), so a busy office is not locked by people who log in.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.domain.accounts import limits as login_limits
from app.domain.accounts.passwords import verify_secret
from app.domain.accounts.queries import user_by_email, user_by_phone
from app.domain.core.commands import audit
from app.domain.core.limits import Attempt, Limiter, limiter


@dataclass(frozen=True)
class LoginCheck:
    user_id: int | None  # set only when the login may go ahead
    organisation_id: int | None = None
    wait: int = 0  # seconds to wait when a limit refused the attempt (nothing was checked)
    attempt: Attempt = Attempt()
    subject: str = ""  # the account's counter
    # The account's session version read with the password hash: a session
    # started from this check is void if the sessions were ended meanwhile.
    session_version: int | None = None


async def _account(identifier: str) -> dict | None:
    # Workers may log in with their phone number instead of an e-mail address.
    return await user_by_email(identifier) if "@" in identifier else await user_by_phone(identifier)


async def check_login(
    identifier: str, password: str, address: str, channel: str = "web", limits: Limiter | None = None
) -> LoginCheck:
    limits = limits or limiter()
    user = await _account(identifier)
    subject = login_limits.account_subject(identifier, user["id"] if user else None)
    attempt = await limits.claim(
        (login_limits.ADDRESS, login_limits.address_subject(address)), (login_limits.ACCOUNT, subject)
    )
    if attempt.refused:
        return LoginCheck(None, wait=attempt.wait)
    # verify_secret hashes even without an account, so the time taken does
    # not tell whether the e-mail address is known.
    # argon2 takes tens of milliseconds: keep it off the event loop.
    correct = await asyncio.to_thread(verify_secret, user["password_hash"] if user else None, password)
    if user is None:
        await audit(
            "accounts.login_failed", actor_id=None, channel=channel, outcome="rejected", detail="unknown_account"
        )
        return LoginCheck(None)
    if not correct:
        await audit(
            "accounts.login_failed",
            actor_id=None,
            channel=channel,
            outcome="rejected",
            target_type="user",
            target_id=user["id"],
            organisation_id=user["organisation"],
            detail="wrong_password",
        )
        return LoginCheck(None)
    if not user["is_active"]:
        await audit(
            "accounts.login_refused",
            actor_id=None,
            channel=channel,
            outcome="rejected",
            target_type="user",
            target_id=user["id"],
            organisation_id=user["organisation"],
            detail="deactivated",
        )
        return LoginCheck(None)
    return LoginCheck(
        user["id"], user["organisation"], attempt=attempt, subject=subject, session_version=user["session_version"]
    )


async def login_succeeded(check: LoginCheck, limits: Limiter | None = None) -> None:
    """The login was recorded: its claims go back and the account's counter starts over."""
    limits = limits or limiter()
    await limits.give_back(check.attempt)
    await limits.reset(login_limits.ACCOUNT, check.subject)


async def record_logout(user_id: int, organisation_id: int | None, channel: str = "web") -> None:
    await audit(
        "accounts.logout",
        actor_id=user_id,
        channel=channel,
        target_type="user",
        target_id=user_id,
        organisation_id=organisation_id,
    )
