"""Logging in at a kiosk with a badge (scanned QR or typed badge code) and
a PIN.

The badge is something the worker has, the PIN something they know; the
badge alone opens nothing. Wrong PINs are limited per badge (so a found card
cannot be guessed open) and per client address (so one kiosk cannot try
many codes). An unknown badge and a wrong PIN get the same answer; a badge
that is revoked, or whose owner has no PIN yet, is told plainly, since only
the card's holder can get that far.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from litestar.stores.base import Store

from app.domain.accounts.limits import LoginLimiter
from app.domain.accounts.passwords import verify_secret
from app.domain.commands import audit
from app.domain.invitations import secrets
from app.domain.invitations.printing.badges import QR_PREFIX
from app.i18n import lazy
from app.storage.people import Badge, Person
from app.storage.tables import User

BADGE_LIMIT = 5
ADDRESS_LIMIT = 20
LARGEST_ID = 2_147_483_647

# Problem code -> (form field or "_" for the summary only, message id).
PROBLEMS = {
    "empty": ("badge", lazy("Scan your badge or type your badge code.")),
    "no_pin_typed": ("pin", lazy("Type your PIN.")),
    "unreadable": ("badge", lazy("The badge could not be read. Scan it again, or type the badge code printed on it.")),
    "format": ("badge", lazy("A badge code has 9 letters and digits, for example K7P-4QX-9MA.")),
    "typo": ("badge", lazy("There is a typing mistake in the badge code. Check each character.")),
    "wrong": ("_", lazy("Badge or PIN is not correct.")),
    "revoked": ("badge", lazy("This badge is no longer valid. Ask for a new one.")),
    "not_registered": ("badge", lazy("You have not finished your registration yet. Register first with the code from your invitation.")),
    "no_pin": ("pin", lazy("You have no PIN yet. Log in with your e-mail address or phone number and your password, or ask a staff member for a PIN reset code.")),
    "deactivated": ("_", lazy("Your account is switched off. Ask the person who invited you.")),
}


@dataclass(frozen=True)
class BadgeCheck:
    user_id: int | None = None  # set only when the login may go ahead
    problem: str | None = None
    wait: int = 0  # seconds to wait when the attempt was refused by a limit


@dataclass
class BadgeLimiter:
    """Sliding windows in the "limits" store, through the login limiter."""

    store: Store

    def _window(self) -> LoginLimiter:
        return LoginLimiter(self.store)

    @staticmethod
    def badge_key(badge_id: int) -> str:
        return f"badge:badge:{badge_id}"

    @staticmethod
    def address_key(address: str) -> str:
        return "badge:address:" + address[:64]

    async def address_wait(self, address: str) -> int:
        return await self._window().wait(self.address_key(address), ADDRESS_LIMIT)

    async def badge_wait(self, badge_id: int) -> int:
        return await self._window().wait(self.badge_key(badge_id), BADGE_LIMIT)

    async def unknown_badge(self, address: str) -> None:
        await self._window().add_failure(self.address_key(address), ADDRESS_LIMIT)

    async def wrong_pin(self, badge_id: int, address: str) -> None:
        await self._window().add_failure(self.badge_key(badge_id), BADGE_LIMIT)
        await self._window().add_failure(self.address_key(address), ADDRESS_LIMIT)

    async def succeeded(self, badge_id: int) -> None:
        await self.store.delete(self.badge_key(badge_id))


def read_badge(typed: str) -> tuple[str, str]:
    """("token", "<id>.<sig>") for scanned QR text, ("code", normalised code)
    for a typed badge code; raises CodeProblem ("unreadable", "format", "typo")."""
    text = (typed or "").strip()
    if text[: len(QR_PREFIX)].upper() == QR_PREFIX:
        token = text[len(QR_PREFIX) :].strip()
        parts = secrets.split_token(token)
        if parts is None or parts[0] > LARGEST_ID:
            raise secrets.CodeProblem("unreadable")
        return "token", token
    return "code", secrets.normalise(text)


async def find_badge(kind: str, value: str) -> dict | None:
    if kind == "token":
        row = await Badge.select().where(Badge.id == secrets.split_token(value)[0]).first()
        return row if row is not None and secrets.token_matches(secrets.BADGE, value, row["salt"]) else None
    return await Badge.select().where(Badge.code_lookup == secrets.code_lookup(secrets.BADGE, value)).first()


async def _owner(person_id: int) -> dict | None:
    person = await Person.select(Person.user).where(Person.id == person_id).first()
    if person is None or person["user"] is None:
        return None
    return await User.select(User.id, User.pin_hash, User.is_active, User.organisation).where(User.id == person["user"]).first()


async def _refused(problem: str, channel: str, user: dict | None = None, badge_id: int | None = None) -> BadgeCheck:
    target = {"target_type": "user", "target_id": user["id"], "organisation_id": user["organisation"]} if user else {}
    if not user and badge_id is not None:
        target = {"target_type": "badge", "target_id": badge_id}
    await audit("accounts.login_failed", actor_id=None, channel=channel, outcome="rejected", detail=f"badge:{problem}", **target)
    return BadgeCheck(problem=problem)


async def check_badge_login(typed: str, pin: str, limiter: BadgeLimiter, address: str, channel: str = "web") -> BadgeCheck:
    """Whether this badge and PIN may log in, counting failures in `limiter`.
    The caller records the login and starts the session when user_id is set."""
    if not (typed or "").strip():
        return BadgeCheck(problem="empty")
    wait = await limiter.address_wait(address)
    if wait:
        return BadgeCheck(problem="limited", wait=wait)
    try:
        kind, value = read_badge(typed)
    except secrets.CodeProblem as problem:
        # Misreads and typos say nothing about existing badges: not counted.
        return BadgeCheck(problem=problem.reason)
    if not pin:
        return BadgeCheck(problem="no_pin_typed")
    badge = await find_badge(kind, value)
    if badge is None:
        # Hash anyway, so the time taken does not tell a known badge apart.
        await asyncio.to_thread(verify_secret, None, pin)
        await limiter.unknown_badge(address)
        return await _refused("wrong", channel)
    wait = await limiter.badge_wait(badge["id"])
    if wait:
        return BadgeCheck(problem="limited", wait=wait)
    if badge["revoked_at"] is not None:
        return await _refused("revoked", channel, badge_id=badge["id"])
    user = await _owner(badge["person"])
    if user is None:
        return await _refused("not_registered", channel, badge_id=badge["id"])
    if not user["pin_hash"]:
        return await _refused("no_pin", channel, user)
    # argon2 takes tens of milliseconds: keep it off the event loop.
    if not await asyncio.to_thread(verify_secret, user["pin_hash"], pin):
        await limiter.wrong_pin(badge["id"], address)
        return await _refused("wrong", channel, user)
    if not user["is_active"]:
        return await _refused("deactivated", channel, user)
    await limiter.succeeded(badge["id"])
    return BadgeCheck(user_id=user["id"])

