"""Command handlers of registration: opening an invitation, checking the
person's birth date, completing the registration, and the PIN reset that
staff hand over in person.

Payloads (payloads.py) carry ids, argon2 hashes and a keyed proof of the
typed birth date, never the date itself (see rules.birth_date_proof).
Refusals carry the area's reason codes (reasons.py).
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from app.domain import invitations
from app.domain.accounts import user_by_email
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import end_sessions, load_user
from app.domain.invitations import INVITATION, ensure_membership
from app.domain.registration import rules
from app.domain.registration.payloads import (
    CompleteRegistration,
    IssuePinReset,
    OpenInvitation,
    ResetPin,
    VerifyIdentity,
)
from app.domain.registration.queries import person_for_pin_reset, phone_in_use, pin_reset_scope, problem_of
from app.domain.registration.reasons import INVITATION_CODES
from app.storage.people import ConsentReceipt, Invitation, Person
from app.storage.tables import RoleGrant, SecretToken, User

PIN_RESET = rules.PIN_RESET
PIN_RESET_LIFETIME = timedelta(hours=24)

HASH_PREFIX = "$argon2id$"


async def _usable_invitation(invitation_id: int) -> dict:
    row = await Invitation.select().where(Invitation.id == invitation_id).first()
    if row is None:
        raise Rejected("unknown")
    problem = problem_of(row)
    if problem:
        raise Rejected(problem, organisation_id=row["organisation"])
    return row


def _effect(row: dict, **ids) -> Effect:
    return Effect(
        target_type="invitation",
        target_id=row["id"],
        organisation_id=row["organisation"],
        ids={"invitation_id": row["id"], **ids},
    )


@handler("registration.open", OpenInvitation, codes=INVITATION_CODES)
async def open_invitation(command: Command[OpenInvitation]) -> Effect:
    """The link was followed or the code typed: created/sent -> opened."""
    row = await _usable_invitation(command.payload.invitation_id)
    if INVITATION.can(row["status"], "open"):
        opened = INVITATION.after(row["status"], "open")
        await Invitation.update({Invitation.status: opened, Invitation.opened_at: utcnow()}).where(
            (Invitation.id == row["id"]) & Invitation.status.is_in(list(INVITATION.sources("open")))
        )
    return _effect(row)


async def _proof_matches(row: dict, proof: str) -> bool:
    person = await Person.select(Person.birth_date).where(Person.id == row["person"]).first()
    if person is None:
        # The foreign key keeps the person; without one the invitation names nobody.
        raise Rejected("unknown", organisation_id=row["organisation"])
    expected = rules.birth_date_proof(row["id"], person["birth_date"])
    return hmac.compare_digest(proof, expected)


async def _claim_try(row: dict) -> int | None:
    """Counts this try on the invitation row before the birth date is
    compared, unless the row is locked: the tries so far including this
    one, or None. On PostgreSQL the update locks the row, so a parallel try
    waits for this transaction and then sees its count or its lock; on
    SQLite write transactions run one at a time."""
    now = utcnow()
    claimed = await (
        Invitation.update({Invitation.failed_attempts: Invitation.failed_attempts + 1})
        .where((Invitation.id == row["id"]) & (Invitation.locked_until.is_null() | (Invitation.locked_until <= now)))
        .returning(Invitation.failed_attempts)
    )
    return claimed[0]["failed_attempts"] if claimed else None


@handler("registration.verify_identity", VerifyIdentity, codes=INVITATION_CODES)
async def verify_identity(command: Command[VerifyIdentity]) -> Effect:
    """Applied whatever the answer, so a wrong try is counted (a rejection
    would roll the count back); the result is in ids["result"]: match,
    mismatch (with attempts_left) or locked (with locked_until). The try is
    claimed on the invitation row first, so parallel tries check at most
    MAX_FAILED_ATTEMPTS birth dates before the lock."""
    row = await _usable_invitation(command.payload.invitation_id)
    attempts = await _claim_try(row)
    if attempts is None:
        # Locked by a parallel try since it was read: nothing is checked.
        current = await Invitation.select().where(Invitation.id == row["id"]).first()
        problem = problem_of(current) if current else "unknown"
        if current is None or problem != "locked":
            raise Rejected(problem or "unknown", organisation_id=current["organisation"] if current else None)
        effect = _effect(current, result="locked", locked_until=current["locked_until"].isoformat())
        effect.detail = "still_locked"
        return effect
    if await _proof_matches(row, command.payload.proof):
        await Invitation.update({Invitation.failed_attempts: 0, Invitation.locked_until: None}).where(
            Invitation.id == row["id"]
        )
        return _effect(row, result="match")
    if attempts >= rules.MAX_FAILED_ATTEMPTS:
        # The lock gives a fresh series of tries once it is over.
        until = utcnow() + rules.LOCK_TIME
        await Invitation.update({Invitation.failed_attempts: 0, Invitation.locked_until: until}).where(
            Invitation.id == row["id"]
        )
        effect = _effect(row, result="locked", locked_until=until.isoformat())
        effect.detail = "locked"
        return effect
    effect = _effect(row, result="mismatch", attempts_left=rules.MAX_FAILED_ATTEMPTS - attempts)
    effect.detail = "mismatch"
    return effect


def _hash(value: str | None, field: str) -> str | None:
    if not value:
        return None
    if not value.startswith(HASH_PREFIX):
        raise Rejected("secret_missing", field)
    return value


def _accepted_at(command: Command[CompleteRegistration]) -> datetime:
    try:
        moment = datetime.fromisoformat(command.payload.accepted_at or "")
    except ValueError:
        return command.issued_at
    if moment.tzinfo is None or moment > utcnow():
        return command.issued_at
    return moment


async def _claim(row: dict) -> None:
    """Marks the invitation registered, once even when two requests race."""
    now = utcnow()
    claimed = await (
        Invitation.update(
            {
                Invitation.status: INVITATION.after("opened", "register"),
                Invitation.registered_at: now,
                Invitation.failed_attempts: 0,
            }
        )
        .where(
            (Invitation.id == row["id"])
            & Invitation.registered_at.is_null()
            & Invitation.status.is_in(list(INVITATION.sources("register")))
        )
        .returning(Invitation.id)
    )
    if not claimed:
        raise Rejected("registered", organisation_id=row["organisation"])


async def _new_user(person: dict, row: dict, language: str, password_hash: str | None, pin_hash: str | None) -> int:
    if person["email"] and await user_by_email(person["email"]) is not None:
        raise Rejected("email_taken", organisation_id=row["organisation"])
    # A phone number already used by another account stays on the person
    # only: logging in by phone needs a number that points at one account.
    phone = person["phone"] if person["phone"] and not await phone_in_use(person["phone"]) else None
    rows = await User.insert(
        User(
            email=person["email"],
            phone=phone,
            display_name=f"{person['first_name']} {person['last_name']}",
            password_hash=password_hash,
            pin_hash=pin_hash,
            language=language,
            organisation=row["organisation"],
            is_active=True,
            created_at=utcnow(),
        )
    )
    user_id = rows[0]["id"]
    await Person.update({Person.user: user_id, Person.language: language}).where(Person.id == person["id"])
    return user_id


async def _grant_worker(user_id: int, row: dict) -> None:
    exists = await RoleGrant.exists().where(
        (RoleGrant.user == user_id) & (RoleGrant.role == "worker") & (RoleGrant.organisation == row["organisation"])
    )
    if not exists:
        await RoleGrant.insert(
            RoleGrant(
                user=user_id, role="worker", organisation=row["organisation"], unit=row["unit"], created_at=utcnow()
            )
        )


async def _accept(person: dict, row: dict, user_id: int) -> int:
    """Links the organisation's record of the person to the account of the
    logged-in user who accepted the invitation (after the birth date check):
    the only way an existing account joins another organisation."""
    user = await User.select(User.id, User.is_active).where(User.id == user_id).first()
    if user is None or not user["is_active"]:
        raise Rejected("deactivated", organisation_id=row["organisation"])
    if person["user"] is not None and person["user"] != user_id:
        raise Rejected("not_yours", organisation_id=row["organisation"])
    records = await Person.select(Person.id, Person.organisation, Person.birth_date).where(
        (Person.user == user_id) & (Person.id != person["id"])
    )
    if any(record["birth_date"] != person["birth_date"] for record in records):
        raise Rejected("not_yours", organisation_id=row["organisation"])
    if any(record["organisation"] == row["organisation"] for record in records):
        raise Rejected("already_member", organisation_id=row["organisation"])
    await Person.update({Person.user: user_id}).where(Person.id == person["id"])
    return user_id


@handler(
    "registration.complete",
    CompleteRegistration,
    codes=(
        *INVITATION_CODES,
        "identity_unconfirmed",
        "privacy_not_accepted",
        "secret_missing",
        "email_taken",
        "log_in_first",
        "not_yours",
        "already_member",
        "deactivated",
    ),
)
async def complete(command: Command[CompleteRegistration]) -> Effect:
    """One transaction: the account (a new one, or the logged-in user's own
    when they accept the invitation: the command's actor), the worker role
    in the invitation's organisation, the consent receipt and the invitation
    marked registered. Without an actor, a record already linked to an
    account is refused: only its owner, logged in, may use it."""
    payload = command.payload
    row = await _usable_invitation(payload.invitation_id)
    if not await _proof_matches(row, payload.proof):
        raise Rejected("identity_unconfirmed", organisation_id=row["organisation"])
    language = payload.language
    if payload.privacy_version != rules.PRIVACY_VERSION:
        raise Rejected("privacy_not_accepted", "privacy", organisation_id=row["organisation"])
    password_hash, pin_hash = _hash(payload.password_hash, "password"), _hash(payload.pin_hash, "pin")
    person = await Person.select().where(Person.id == row["person"]).first()
    if person is None:
        raise Rejected("unknown", organisation_id=row["organisation"])
    await _claim(row)
    linked = command.actor_id is not None
    if command.actor_id is not None:
        user_id = await _accept(person, row, command.actor_id)
    elif person["user"] is not None:
        raise Rejected("log_in_first", organisation_id=row["organisation"])
    else:
        if password_hash is None and pin_hash is None:
            raise Rejected("secret_missing", "password", organisation_id=row["organisation"])
        user_id = await _new_user(person, row, language, password_hash, pin_hash)
    await _grant_worker(user_id, row)
    await ensure_membership(person["id"], row["organisation"], row["unit"], "invitation")
    await ConsentReceipt.insert(
        ConsentReceipt(
            person=person["id"],
            document=rules.PRIVACY_NOTICE,
            version=rules.PRIVACY_VERSION,
            channel=command.channel if command.channel in ("web", "kiosk") else "web",
            accepted_at=_accepted_at(command),
            active=True,
        )
    )
    effect = _effect(row, user_id=user_id, linked=linked)
    effect.detail = "linked" if linked else "created"
    return effect


# -- PIN reset handed over by staff --------------------------------------------


@handler("registration.issue_pin_reset", IssuePinReset, codes=("not_found", "no_active_account"))
async def issue_pin_reset(command: Command[IssuePinReset]) -> Effect:
    """Staff with invitations.manage in one of the person's organisations
    issue a single-use code (shown to them once) that lets the worker choose
    a new PIN; earlier codes stop working."""
    person = await person_for_pin_reset(command.payload.person_id)
    actor = await load_user(command.actor_id) if command.actor_id is not None else None
    if person is None or actor is None:
        raise Rejected("not_found")
    allowed = pin_reset_scope(actor, person)
    if not allowed:
        raise Rejected("not_found")
    user = (
        await User.select(User.id, User.is_active).where(User.id == person["user"]).first() if person["user"] else None
    )
    if user is None or not user["is_active"]:
        raise Rejected("no_active_account", organisation_id=allowed[0])
    now = utcnow()
    await SecretToken.update({SecretToken.used_at: now}).where(
        (SecretToken.user == user["id"]) & (SecretToken.purpose == PIN_RESET) & SecretToken.used_at.is_null()
    )
    rows = await SecretToken.insert(
        SecretToken(
            user=user["id"],
            purpose=PIN_RESET,
            salt=invitations.secrets.new_salt(),
            expires_at=now + PIN_RESET_LIFETIME,
            created_at=now,
        )
    )
    return Effect(
        target_type="user",
        target_id=user["id"],
        organisation_id=allowed[0],
        ids={"token_id": rows[0]["id"], "person_id": person["id"]},
    )


@handler("registration.reset_pin", ResetPin, codes=("pin_missing", "code_unknown", "code_used", "code_expired"))
async def reset_pin(command: Command[ResetPin]) -> Effect:
    """The worker sets a new PIN with the code staff gave them."""
    token_id, pin_hash = command.payload.token_id, command.payload.pin_hash
    if not pin_hash.startswith(HASH_PREFIX):
        raise Rejected("pin_missing", "pin")
    now = utcnow()
    token = await SecretToken.select().where((SecretToken.id == token_id) & (SecretToken.purpose == PIN_RESET)).first()
    if token is None:
        raise Rejected("code_unknown", "code")
    if token["used_at"] is not None:
        raise Rejected("code_used", "code")
    if token["expires_at"] <= now:
        raise Rejected("code_expired", "code")
    claimed = await (
        SecretToken.update({SecretToken.used_at: now})
        .where((SecretToken.id == token_id) & SecretToken.used_at.is_null())
        .returning(SecretToken.id)
    )
    user = await User.select(User.id, User.is_active, User.organisation).where(User.id == token["user"]).first()
    if not claimed or user is None or not user["is_active"]:
        raise Rejected("code_used", "code")
    await User.update({User.pin_hash: pin_hash}).where(User.id == user["id"])
    await end_sessions(user["id"])  # whoever used the old PIN is logged out
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )
