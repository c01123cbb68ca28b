"""Command handlers of registration: opening an invitation, checking the
person's birth date, completing the registration, and the PIN reset that
staff hand over in person.

Payloads carry ids, argon2 hashes and a keyed proof of the typed birth date,
never the date itself (see rules.birth_date_proof).
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from app.domain.accounts.queries import user_by_email
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.identity import end_sessions, load_user
from app.domain.invitations import secrets
from app.domain.invitations.people import ensure_membership
from app.domain.registration import rules
from app.domain.registration.queries import person_for_pin_reset, phone_in_use, pin_reset_scope, problem_of
from app.i18n import LANGUAGES, lazy
from app.storage.people import ConsentReceipt, Invitation, Person
from app.storage.tables import RoleGrant, SecretToken, User

PIN_RESET = rules.PIN_RESET
PIN_RESET_LIFETIME = timedelta(hours=24)

NOT_FOUND = lazy("This item does not exist or you do not have access to it.")
# Rejections about the invitation carry its problem code ("revoked",
# "registered", "expired", "locked", "unknown"); the web layer words them.
IDENTITY = lazy("Confirm your birth date first.")
EMAIL_TAKEN = lazy(
    "This e-mail address already has a Werkpas account. "
    "Log in with it, then open your invitation again to add it to your account."
)
LOG_IN_FIRST = lazy(
    "This invitation is already linked to a Werkpas account. Log in with that account, then open the invitation again."
)
NOT_YOURS = lazy(
    "This invitation is for someone else: it does not match the account you are logged in with. "
    "Log out first if it is yours."
)
ALREADY_MEMBER = lazy("Your account already belongs to this organisation: you do not need this invitation.")
DEACTIVATED = lazy("Your account is switched off. Ask the person who invited you.")
NEEDS_SECRET = lazy("Choose a password, a PIN, or both.")
PIN_CODE_PROBLEMS = {
    "unknown": lazy("This code does not exist. Check it, or ask for a new one."),
    "used": lazy("This code has already been used. Ask for a new one."),
    "expired": lazy("This code has expired. Ask for a new one."),
}


def _int(command: Command, name: str) -> int:
    value = command.payload.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Rejected({"_": "unknown"})
    return value


async def _usable_invitation(command: Command) -> dict:
    row = await Invitation.select().where(Invitation.id == _int(command, "invitation_id")).first()
    if row is None:
        raise Rejected({"_": "unknown"})
    problem = problem_of(row)
    if problem:
        raise Rejected({"_": problem}, row["organisation"])
    return row


def _effect(row: dict, **ids) -> Effect:
    return Effect(
        target_type="invitation",
        target_id=row["id"],
        organisation_id=row["organisation"],
        ids={"invitation_id": row["id"], **ids},
    )


@handler("registration.open")
async def open_invitation(command: Command) -> Effect:
    """The link was followed or the code typed: created/sent -> opened."""
    row = await _usable_invitation(command)
    if row["status"] in ("created", "sent"):
        await Invitation.update({Invitation.status: "opened", Invitation.opened_at: utcnow()}).where(
            (Invitation.id == row["id"]) & Invitation.status.is_in(["created", "sent"])
        )
    return _effect(row)


async def _proof_matches(row: dict, proof: object) -> bool:
    person = await Person.select(Person.birth_date).where(Person.id == row["person"]).first()
    expected = rules.birth_date_proof(row["id"], person["birth_date"])
    return isinstance(proof, str) and hmac.compare_digest(proof, expected)


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


@handler("registration.verify_identity")
async def verify_identity(command: Command) -> Effect:
    """Applied whatever the answer, so a wrong try is counted (a rejection
    would roll the count back); the result is in ids["result"]: match,
    mismatch (with attempts_left) or locked (with locked_until). The try is
    claimed on the invitation row first, so parallel tries check at most
    MAX_FAILED_ATTEMPTS birth dates before the lock."""
    row = await _usable_invitation(command)
    attempts = await _claim_try(row)
    if attempts is None:
        # Locked by a parallel try since it was read: nothing is checked.
        row = await Invitation.select().where(Invitation.id == row["id"]).first()
        problem = problem_of(row) if row else "unknown"
        if problem != "locked":
            raise Rejected({"_": problem or "unknown"}, row["organisation"] if row else None)
        effect = _effect(row, result="locked", locked_until=row["locked_until"].isoformat())
        effect.detail = "still_locked"
        return effect
    if await _proof_matches(row, command.payload.get("proof")):
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


def _hash(command: Command, name: str) -> str | None:
    value = command.payload.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.startswith("$argon2id$"):
        raise Rejected({name.removesuffix("_hash"): NEEDS_SECRET})
    return value


def _accepted_at(command: Command) -> datetime:
    try:
        moment = datetime.fromisoformat(str(command.payload.get("accepted_at")))
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
            {Invitation.status: "registered", Invitation.registered_at: now, Invitation.failed_attempts: 0}
        )
        .where(
            (Invitation.id == row["id"])
            & Invitation.registered_at.is_null()
            & Invitation.status.is_in(["created", "sent", "opened"])
        )
        .returning(Invitation.id)
    )
    if not claimed:
        raise Rejected({"_": "registered"}, row["organisation"])


async def _new_user(person: dict, row: dict, language: str, password_hash: str | None, pin_hash: str | None) -> int:
    if person["email"] and await user_by_email(person["email"]) is not None:
        raise Rejected({"_": EMAIL_TAKEN}, row["organisation"])
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
        raise Rejected({"_": DEACTIVATED}, row["organisation"])
    if person["user"] is not None and person["user"] != user_id:
        raise Rejected({"_": NOT_YOURS}, row["organisation"])
    records = await Person.select(Person.id, Person.organisation, Person.birth_date).where(
        (Person.user == user_id) & (Person.id != person["id"])
    )
    if any(record["birth_date"] != person["birth_date"] for record in records):
        raise Rejected({"_": NOT_YOURS}, row["organisation"])
    if any(record["organisation"] == row["organisation"] for record in records):
        raise Rejected({"_": ALREADY_MEMBER}, row["organisation"])
    await Person.update({Person.user: user_id}).where(Person.id == person["id"])
    return user_id


@handler("registration.complete")
async def complete(command: Command) -> Effect:
    """One transaction: the account (a new one, or the logged-in user's own
    when they accept the invitation: the command's actor), the worker role
    in the invitation's organisation, the consent receipt and the invitation
    marked registered. Without an actor, a record already linked to an
    account is refused: only its owner, logged in, may use it."""
    row = await _usable_invitation(command)
    if not await _proof_matches(row, command.payload.get("proof")):
        raise Rejected({"_": IDENTITY}, row["organisation"])
    language = command.payload.get("language")
    if language not in LANGUAGES:
        raise Rejected({"language": lazy("Choose a language.")}, row["organisation"])
    if command.payload.get("privacy_version") != rules.PRIVACY_VERSION:
        raise Rejected({"privacy": lazy("Read and accept the privacy notice.")}, row["organisation"])
    password_hash, pin_hash = _hash(command, "password_hash"), _hash(command, "pin_hash")
    person = await Person.select().where(Person.id == row["person"]).first()
    await _claim(row)
    linked = command.actor_id is not None
    if linked:
        user_id = await _accept(person, row, command.actor_id)
    elif person["user"] is not None:
        raise Rejected({"_": LOG_IN_FIRST}, row["organisation"])
    else:
        if password_hash is None and pin_hash is None:
            raise Rejected({"password": NEEDS_SECRET}, row["organisation"])
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


@handler("registration.issue_pin_reset")
async def issue_pin_reset(command: Command) -> Effect:
    """Staff with invitations.manage in one of the person's organisations
    issue a single-use code (shown to them once) that lets the worker choose
    a new PIN; earlier codes stop working."""
    person = (
        await person_for_pin_reset(_int(command, "person_id"))
        if isinstance(command.payload.get("person_id"), int)
        else None
    )
    actor = await load_user(command.actor_id) if command.actor_id is not None else None
    if person is None or actor is None:
        raise Rejected(NOT_FOUND)
    allowed = pin_reset_scope(actor, person)
    if not allowed:
        raise Rejected(NOT_FOUND)
    user = (
        await User.select(User.id, User.is_active).where(User.id == person["user"]).first() if person["user"] else None
    )
    if user is None or not user["is_active"]:
        raise Rejected(lazy("This person has no active account yet: give them their invitation instead."), allowed[0])
    now = utcnow()
    await SecretToken.update({SecretToken.used_at: now}).where(
        (SecretToken.user == user["id"]) & (SecretToken.purpose == PIN_RESET) & SecretToken.used_at.is_null()
    )
    rows = await SecretToken.insert(
        SecretToken(
            user=user["id"],
            purpose=PIN_RESET,
            salt=secrets.new_salt(),
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


@handler("registration.reset_pin")
async def reset_pin(command: Command) -> Effect:
    """The worker sets a new PIN with the code staff gave them."""
    token_id = command.payload.get("token_id")
    pin_hash = command.payload.get("pin_hash")
    if not isinstance(token_id, int) or isinstance(token_id, bool):
        raise Rejected({"code": PIN_CODE_PROBLEMS["unknown"]})
    if not isinstance(pin_hash, str) or not pin_hash.startswith("$argon2id$"):
        raise Rejected({"pin": lazy("Choose a PIN.")})
    now = utcnow()
    token = await SecretToken.select().where((SecretToken.id == token_id) & (SecretToken.purpose == PIN_RESET)).first()
    if token is None:
        raise Rejected({"code": PIN_CODE_PROBLEMS["unknown"]})
    if token["used_at"] is not None:
        raise Rejected({"code": PIN_CODE_PROBLEMS["used"]})
    if token["expires_at"] <= now:
        raise Rejected({"code": PIN_CODE_PROBLEMS["expired"]})
    claimed = await (
        SecretToken.update({SecretToken.used_at: now})
        .where((SecretToken.id == token_id) & SecretToken.used_at.is_null())
        .returning(SecretToken.id)
    )
    user = await User.select(User.id, User.is_active, User.organisation).where(User.id == token["user"]).first()
    if not claimed or user is None or not user["is_active"]:
        raise Rejected({"code": PIN_CODE_PROBLEMS["used"]})
    await User.update({User.pin_hash: pin_hash}).where(User.id == user["id"])
    await end_sessions(user["id"])  # whoever used the old PIN is logged out
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )
