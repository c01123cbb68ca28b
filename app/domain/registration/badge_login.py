"""Logging in at a kiosk with a badge (scanned QR or typed badge code) and
a PIN.

The badge is something the worker has, the PIN something they know; the
badge alone opens nothing. Wrong PINs are limited per badge (so a found card
cannot be guessed open) and per client address (so one kiosk cannot try
many codes). An unknown badge and a wrong PIN get the same answer; a badge
that is revoked, or whose owner has no PIN yet, is told plainly, since only
the card's holder can get that far.

Each try is claimed under both limits before its PIN is checked (see
app/domain/limits.py), so parallel tries cannot pass them. Only a checked,
wrong PIN (or an unknown badge) keeps its claims; a try that checks nothing
gives them back, and a login clears the badge's counter.

A wrong PIN tells how many tries are left before the badge locks. An unknown
badge is counted under the per-badge limit too, keyed by what was typed or
scanned, so it answers exactly like a known badge with a wrong PIN: the same
message, the same count going down, the same lock.

Badge codes have 12 characters; a 9-character code is either a badge of the
old format (still accepted) or an invitation code typed here by mistake.
Without a PIN it is answered with where to register; with a PIN it is looked
up as an old badge, and a failure carries the same pointer whether such a
badge exists or not.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

from app.domain import invitations
from app.domain.accounts import verify_secret
from app.domain.core.commands import audit
from app.domain.core.limits import Limiter, Rule, address_subject, limiter
from app.domain.invitations import BADGE_QR_PREFIX
from app.i18n import lazy
from app.storage.people import Badge, Person
from app.storage.tables import User

BADGE = Rule("badge:badge", 5)
ADDRESS = Rule("badge:address", 20)
BADGE_LIMIT, ADDRESS_LIMIT = BADGE.limit, ADDRESS.limit
LARGEST_ID = 2_147_483_647

# Problem code -> (form field or "_" for the summary only, message id).
PROBLEMS = {
    "empty": ("badge", lazy("Scan your badge or type your badge code.")),
    "no_pin_typed": ("pin", lazy("Type your PIN.")),
    "unreadable": ("badge", lazy("The badge could not be read. Scan it again, or type the badge code printed on it.")),
    "format": ("badge", lazy("A badge code has 12 letters and digits, for example K7PA-4QX9-MA2C.")),
    "invitation_code": (
        "badge",
        lazy(
            "This looks like the code from an invitation: it has 9 characters. "
            "A badge code has 12, in three groups of four. To register with an invitation code, "
            "choose \u201cI have an invitation code\u201d."
        ),
    ),
    "typo": ("badge", lazy("There is a typing mistake in the badge code. Check each character.")),
    "wrong": ("_", lazy("Badge or PIN is not correct.")),
    "revoked": ("badge", lazy("This badge is no longer valid. Ask for a new one.")),
    "not_registered": (
        "badge",
        lazy("You have not finished your registration yet. Register first with the code from your invitation."),
    ),
    "no_pin": (
        "pin",
        lazy(
            "You have no PIN yet. Log in with your e-mail address or phone number and your password, "
            "or ask a staff member for a PIN reset code."
        ),
    ),
    "deactivated": ("_", lazy("Your account is switched off. Ask the person who invited you.")),
}


@dataclass(frozen=True)
class BadgeCheck:
    user_id: int | None = None  # set only when the login may go ahead
    problem: str | None = None
    wait: int = 0  # seconds to wait when the attempt was refused by a limit
    keeps_claim: bool = False  # a wrong PIN or an unknown badge: counted under the limits
    session_version: int | None = None  # read with the PIN hash (see accounts.login.LoginCheck)
    tries_left: int | None = None  # after a wrong PIN (or an unknown badge): before the badge locks
    short_code: bool = False  # a 9-character code was typed: perhaps an invitation code


def read_badge(typed: str) -> tuple[str, str]:
    """("token", "<id>.<sig>") for scanned QR text, ("code", normalised code)
    for a typed badge code (12 characters, or 9 for the old format); raises
    CodeProblem ("unreadable", "format", "typo")."""
    text = (typed or "").strip()
    if text[: len(BADGE_QR_PREFIX)].upper() == BADGE_QR_PREFIX:
        token = text[len(BADGE_QR_PREFIX) :].strip()
        parts = invitations.secrets.split_token(token)
        if parts is None or parts[0] > LARGEST_ID:
            raise invitations.secrets.CodeProblem("unreadable")
        return "token", token
    return "code", invitations.secrets.normalise_badge(text)


def _subject(kind: str, value: str, badge: dict | None) -> str:
    """Whose counter a try goes on: the badge's own (code and QR share it),
    or, for a badge that does not exist, one of its own for what was typed."""
    if badge is not None:
        return str(badge["id"])
    return "unknown:" + hashlib.sha256(f"{kind}|{value}".encode()).hexdigest()


async def find_badge(kind: str, value: str) -> dict | None:
    if kind == "token":
        parts = invitations.secrets.split_token(value)
        if parts is None:
            return None
        row = await Badge.select().where(Badge.id == parts[0]).first()
        return (
            row
            if row is not None and invitations.secrets.token_matches(invitations.secrets.BADGE, value, row["salt"])
            else None
        )
    return (
        await Badge.select()
        .where(Badge.code_lookup == invitations.secrets.code_lookup(invitations.secrets.BADGE, value))
        .first()
    )


async def owner(person_id: int) -> dict | None:
    person = await Person.select(Person.user).where(Person.id == person_id).first()
    if person is None or person["user"] is None:
        return None
    return (
        await User.select(User.id, User.pin_hash, User.is_active, User.organisation, User.session_version)
        .where(User.id == person["user"])
        .first()
    )


async def _refused(problem: str, channel: str, user: dict | None = None, badge_id: int | None = None) -> BadgeCheck:
    target = {"target_type": "user", "target_id": user["id"], "organisation_id": user["organisation"]} if user else {}
    if not user and badge_id is not None:
        target = {"target_type": "badge", "target_id": badge_id}
    await audit(
        "accounts.login_failed", actor_id=None, channel=channel, outcome="rejected", detail=f"badge:{problem}", **target
    )
    return BadgeCheck(problem=problem)


async def check_badge_login(
    typed: str, pin: str, address: str, channel: str = "web", limits: Limiter | None = None
) -> BadgeCheck:
    """Whether this badge and PIN may log in, counting failures under the
    limits. The caller records the login and starts the session when
    user_id is set."""
    if not (typed or "").strip():
        return BadgeCheck(problem="empty")
    limits = limits or limiter()
    # The address first: a kiosk over its limit is told so before anything else.
    attempt = await limits.claim((ADDRESS, address_subject(address)))
    if attempt.refused:
        return BadgeCheck(problem="limited", wait=attempt.wait)
    check = await _check(typed, pin, channel, limits)
    if not check.keeps_claim:
        # Nothing secret was checked (a misread, a revoked badge), or it logs in.
        await limits.give_back(attempt)
    return check


async def _check(typed: str, pin: str, channel: str, limits: Limiter) -> BadgeCheck:
    try:
        kind, value = read_badge(typed)
    except invitations.secrets.CodeProblem as problem:
        # Misreads and typos say nothing about existing badges: not counted.
        return BadgeCheck(problem=problem.reason)
    if not pin:
        # Nothing is looked up yet, so this says nothing about badges either.
        return BadgeCheck(problem="invitation_code" if _is_short(typed) else "no_pin_typed")
    badge = await find_badge(kind, value)
    subject = _subject(kind, value, badge)
    attempt = await limits.claim((BADGE, subject))
    if attempt.refused:
        return BadgeCheck(problem="limited", wait=attempt.wait)
    if badge is None:
        # Hash anyway, so the time taken does not tell a known badge apart.
        await asyncio.to_thread(verify_secret, None, pin)
        check = _counted(await _refused("wrong", channel))
    else:
        check = await _check_pin(badge, pin, channel)
    if not check.keeps_claim:
        await limits.give_back(attempt)
        if check.user_id is not None:
            await limits.reset(BADGE, subject)
        return check
    left = await limits.left(BADGE, subject)
    return BadgeCheck(problem=check.problem, keeps_claim=True, tries_left=left, short_code=_is_short(typed))


def _is_short(typed: str) -> bool:
    """A typed code of 9 characters: an old badge, or an invitation code."""
    try:
        return len(invitations.secrets.normalise_badge(typed)) == invitations.secrets.CODE_LENGTH
    except invitations.secrets.CodeProblem:
        return False


def _counted(check: BadgeCheck) -> BadgeCheck:
    return BadgeCheck(user_id=check.user_id, problem=check.problem, wait=check.wait, keeps_claim=True)


async def _check_pin(badge: dict, pin: str, channel: str) -> BadgeCheck:
    if badge["revoked_at"] is not None:
        return await _refused("revoked", channel, badge_id=badge["id"])
    user = await owner(badge["person"])
    if user is None:
        return await _refused("not_registered", channel, badge_id=badge["id"])
    if not user["pin_hash"]:
        return await _refused("no_pin", channel, user)
    # argon2 takes tens of milliseconds: keep it off the event loop.
    if not await asyncio.to_thread(verify_secret, user["pin_hash"], pin):
        return _counted(await _refused("wrong", channel, user))
    if not user["is_active"]:
        return await _refused("deactivated", channel, user)
    return BadgeCheck(user_id=user["id"], session_version=user["session_version"])
