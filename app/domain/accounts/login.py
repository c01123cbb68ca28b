"""Checking a login: the password, the account's state, and the audit trail
of refusals. Every refusal looks the same to the person logging in."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.domain.accounts.passwords import verify_secret
from app.domain.accounts.queries import user_by_email
from app.domain.commands import audit
from app.domain.registration.queries import user_by_phone


@dataclass(frozen=True)
class LoginCheck:
    user_id: int | None  # set only when the login may go ahead
    organisation_id: int | None = None


async def check_login(email: str, password: str, channel: str = "web") -> LoginCheck:
    # Workers may log in with their phone number instead of an e-mail address.
    user = await user_by_email(email) if "@" in email else await user_by_phone(email)
    # verify_secret hashes even without an account, so the time taken does
    # not tell whether the e-mail address is known.
    # argon2 takes tens of milliseconds: keep it off the event loop.
    correct = await asyncio.to_thread(verify_secret, user["password_hash"] if user else None, password)
    if user is None:
        await audit("accounts.login_failed", actor_id=None, channel=channel, outcome="rejected", detail="unknown_account")
        return LoginCheck(None)
    if not correct:
        await audit("accounts.login_failed", actor_id=None, channel=channel, outcome="rejected", target_type="user", target_id=user["id"], organisation_id=user["organisation"], detail="wrong_password")
        return LoginCheck(None)
    if not user["is_active"]:
        await audit("accounts.login_refused", actor_id=None, channel=channel, outcome="rejected", target_type="user", target_id=user["id"], organisation_id=user["organisation"], detail="deactivated")
        return LoginCheck(None)
    return LoginCheck(user["id"], user["organisation"])


async def record_logout(user_id: int, organisation_id: int | None, channel: str = "web") -> None:
    await audit("accounts.logout", actor_id=user_id, channel=channel, target_type="user", target_id=user_id, organisation_id=organisation_id)
