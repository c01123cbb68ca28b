"""The worker's GDPR rights over their account: closing it, and erasing
their personal data. (Seeing and exporting it: access_log.py, export.py.)

Closing (passport.close_account, by the worker; passport.close_inactive, by
the retention job, see retention.py):
- the account is deactivated and every session ends (session_version);
- every consent is withdrawn, each organisation with a withdrawal receipt,
  so no organisation sees anything from the very next request on; open
  requests for consent are refused;
- unused single-use links are retired;
- the data itself is kept (the worker can still ask for it, or for its
  erasure, through the privacy contact) until it is erased.

Erasing (passport.erase, by the worker) does all of that, then removes the
personal data, and cannot be undone:
- the passport: every field, item and document row, and each stored file
  whose digest no other document uses (a job removes the file after the
  command committed);
- consents (withdrawn with receipts first) and requests for consent;
- the account row is kept but pseudonymised: display name "Erased account",
  e-mail, phone, pending e-mail, password and PIN cleared, last login
  forgotten; its single-use links and reminders deleted;
- the organisations' records of the person (Person) are unlinked from the
  account (Person.user = NULL): what an organisation entered itself on its
  roster stays theirs; the person's kiosk badges are revoked; the worker's
  roles (worker, ambassador) end.

Kept, because the law or the audit trail needs them and they hold ids, not
personal values: the consent receipts (ConsentRecord), the access log
(AccessLogEntry), the command records and audit events. Once the account
row is pseudonymised, those ids no longer name anybody.

Staff accounts (any staff role) cannot be closed or erased here: their
organisation manages them. Organisation admins see that a person closed or
erased their account as one audit event on the organisation's record of the
person, nothing more.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.domain.accounts import verify_secret
from app.domain.core.access import STAFF_ROLES
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, audit, handler, utcnow
from app.domain.core.identity import end_sessions
from app.domain.core.reasons import declare
from app.domain.jobs import enqueue, job_handler
from app.domain.passport import consent, files
from app.domain.passport.payloads import CloseAccount, CloseInactive, EraseClosed, EraseData
from app.i18n import lazy
from app.storage import db
from app.storage.passport import Consent, ConsentRequest, Document, Passport, PassportField, PassportItem
from app.storage.people import Badge, Person
from app.storage.rights import AccountEnd, RetentionNotice
from app.storage.tables import RoleGrant, SecretToken, User

PERMISSION = "passport.view"
ERASED_NAME = "Erased account"
REMOVE_FILES = "passport.remove_files"

CODES = declare(
    "passport",
    {
        "confirm_missing": lazy("Confirm that this is what you want."),
        "secret_wrong": lazy("This is not your password or PIN."),
        "staff_account": lazy("Your account is also a staff account: ask your organisation's administrator."),
        "account_closed": lazy("This account is already closed."),
        "still_active": lazy("This account was used or shared again: it is not closed."),
    },
)
RIGHTS_CODES = ("confirm_missing", "secret_wrong", "staff_account", "account_closed")


# -- checks the web asks for before it sends a command -----------------------


async def secret_kind(user_id: int) -> str | None:
    """What the worker types to confirm: "password", "pin" (an account with
    only a PIN, the kiosk) or None (neither: nothing to type)."""
    row = await User.select(User.password_hash, User.pin_hash).where(User.id == user_id).first()
    if row is None:
        return None
    return "password" if row["password_hash"] else "pin" if row["pin_hash"] else None


async def check_secret(user_id: int, secret: str) -> str | None:
    """The stored hash when `secret` is the account's password (or, without
    one, its PIN), else None. The command applies only while that hash is
    still the stored one. argon2 runs off the event loop."""
    row = await User.select(User.password_hash, User.pin_hash).where(User.id == user_id).first()
    hashed = row and (row["password_hash"] or row["pin_hash"])
    if not hashed or not secret:
        return None
    return hashed if await asyncio.to_thread(verify_secret, hashed, secret) else None


# -- shared steps --------------------------------------------------------------


async def _is_staff(user_id: int) -> bool:
    return await RoleGrant.exists().where((RoleGrant.user == user_id) & RoleGrant.role.is_in(list(STAFF_ROLES)))


async def _owner(command: Command, payload: CloseAccount | EraseData) -> dict:
    """The actor's own account, locked, still open, confirmed with its secret."""
    if command.actor_id is None:
        raise Rejected("not_allowed")
    await db.lock(User, command.actor_id)
    # Under the lock: a parallel request may have closed it a moment ago.
    row = await User.select().where(User.id == command.actor_id).first()
    if row is None:
        raise Rejected("not_allowed")
    if not row["is_active"]:
        raise Rejected("account_closed")
    await acting(command, PERMISSION)
    if await _is_staff(row["id"]):
        raise Rejected("staff_account")
    if not payload.confirmed:
        raise Rejected("confirm_missing", "confirm")
    needed = row["password_hash"] or row["pin_hash"]
    if needed and payload.checked_hash != needed:
        raise Rejected("secret_wrong", "secret")
    return row


async def withdraw_everything(user_id: int, channel: str, actor_id: int | None) -> list[str]:
    """Withdraws every consent, one receipt per organisation that had one in
    force; leftovers past their expiry are removed. Returns the receipts."""
    organisations = sorted(
        {row["organisation"] for row in await Consent.select(Consent.organisation).where(Consent.user == user_id)}
    )
    receipts = []
    for organisation_id in organisations:
        _action, receipt = await consent.set_consent(
            user_id=user_id,
            organisation_id=organisation_id,
            categories=[],
            purpose=consent.DEFAULT_PURPOSE,
            channel=channel,
            actor_id=actor_id,
        )
        if receipt:
            receipts.append(str(receipt))
    return receipts


async def _people(user_id: int) -> list[dict]:
    return await Person.select(Person.id, Person.organisation).where(Person.user == user_id).order_by(Person.id)


async def close(user_id: int, by: str, channel: str, actor_id: int | None) -> dict:
    """Closes the account (see the module docstring). Inside the command's
    transaction, with the account row locked."""
    now = utcnow()
    receipts = await withdraw_everything(user_id, channel, actor_id)
    await ConsentRequest.update({ConsentRequest.status: "refused", ConsentRequest.answered_at: now}).where(
        (ConsentRequest.user == user_id) & (ConsentRequest.status == "open")
    )
    await SecretToken.update({SecretToken.used_at: now}).where(
        (SecretToken.user == user_id) & SecretToken.used_at.is_null()
    )
    await User.update({User.is_active: False, User.deactivated_at: now}).where(User.id == user_id)
    await end_sessions(user_id)
    if await AccountEnd.exists().where(AccountEnd.user == user_id):  # closed before, reactivated since
        await AccountEnd.update({AccountEnd.closed_at: now, AccountEnd.closed_by: by}).where(
            (AccountEnd.user == user_id) & AccountEnd.erased_at.is_null()
        )
    else:
        await AccountEnd.insert(AccountEnd(user=user_id, closed_at=now, closed_by=by))
    return {"receipts": receipts}


async def _tell_organisations(command: Command, user_id: int, people: list[dict]) -> None:
    """One audit event per organisation that knows the person: its admins
    see that the account ended, on their own record of the person."""
    for person in people:
        if person["organisation"] is None:
            continue
        await audit(
            command.type,
            actor_id=user_id,
            channel=command.channel,
            target_type="person",
            target_id=person["id"],
            organisation_id=person["organisation"],
            detail="organisation",
        )


def stored_file(digest: str) -> Path:
    """Where the content-addressed file store (files.py) keeps a document's bytes."""
    return files.path_of(digest)


async def erase_data(user_id: int, channel: str, actor_id: int | None, by: str = "self") -> dict:
    """Erases the account's personal data (see the module docstring). Inside
    the command's transaction, with the account row locked."""
    now = utcnow()
    closed = await close(user_id, by, channel, actor_id) if by == "self" else {"receipts": []}
    digests = {row["digest"] for row in await Document.select(Document.digest).where(Document.user == user_id)}
    await PassportItem.delete().where(PassportItem.user == user_id)
    await PassportField.delete().where(PassportField.user == user_id)
    await Document.delete().where(Document.user == user_id)
    await Passport.delete().where(Passport.user == user_id)
    await Consent.delete().where(Consent.user == user_id)
    await ConsentRequest.delete().where(ConsentRequest.user == user_id)
    await SecretToken.delete().where(SecretToken.user == user_id)
    await RetentionNotice.delete().where(RetentionNotice.user == user_id)
    unused = sorted(digests)
    if unused:
        still_used = {
            row["digest"] for row in await Document.select(Document.digest).where(Document.digest.is_in(unused))
        }
        unused = [digest for digest in unused if digest not in still_used]
    if unused:
        # After the commit: a rolled-back erasure must not lose a file.
        await enqueue(REMOVE_FILES, {"digests": unused})
    people = await _people(user_id)
    if people:
        person_ids = [person["id"] for person in people]
        await Badge.update({Badge.revoked_at: now}).where(Badge.person.is_in(person_ids) & Badge.revoked_at.is_null())
        await Person.update({Person.user: None}).where(Person.id.is_in(person_ids))
    await RoleGrant.delete().where((RoleGrant.user == user_id) & RoleGrant.role.is_in(list(consent.WORKER_ROLES)))
    await User.update(
        {
            User.display_name: ERASED_NAME,
            User.email: None,
            User.phone: None,
            User.pending_email: None,
            User.password_hash: None,
            User.pin_hash: None,
            User.last_login_at: None,
            User.onboarded_at: None,
            User.is_active: False,
        }
    ).where(User.id == user_id)
    await AccountEnd.update({AccountEnd.erased_at: now}).where(AccountEnd.user == user_id)
    return {"receipts": closed["receipts"], "people": people, "files": len(unused)}


# -- the commands ------------------------------------------------------------------


@handler("passport.close_account", CloseAccount, codes=RIGHTS_CODES)
async def close_account(command: Command[CloseAccount]) -> Effect:
    """Close one's own account: consents withdrawn with receipts, every session ended, the data kept."""
    row = await _owner(command, command.payload)
    people = await _people(row["id"])
    done = await close(row["id"], "self", command.channel, command.actor_id)
    await _tell_organisations(command, row["id"], people)
    return Effect(target_type="user", target_id=row["id"], ids={"receipts": done["receipts"]}, detail="self")


@handler("passport.erase", EraseData, codes=RIGHTS_CODES)
async def erase(command: Command[EraseData]) -> Effect:
    """Erase one's own personal data and close the account; receipts and the access log stay, pseudonymised."""
    row = await _owner(command, command.payload)
    done = await erase_data(row["id"], command.channel, command.actor_id)
    await _tell_organisations(command, row["id"], done["people"])
    return Effect(
        target_type="user",
        target_id=row["id"],
        ids={"receipts": done["receipts"], "files": done["files"]},
        detail="self",
    )


@handler("passport.close_inactive", CloseInactive, codes=("account_closed", "still_active"))
async def close_inactive(command: Command[CloseInactive]) -> Effect:
    """The retention rule closes an account without consent in force and without a login for 15 months."""
    from app.domain.passport import retention

    if command.actor_id is not None or command.channel not in ("job", "cli"):
        raise Rejected("not_allowed")
    user_id = command.payload.user_id
    await db.lock(User, user_id)
    row = await User.select(User.id, User.is_active).where(User.id == user_id).first()
    if row is None:
        raise Rejected("not_found")
    if not row["is_active"]:
        raise Rejected("account_closed")
    if not await retention.due_for_closure(user_id, retention.brussels_today()):
        raise Rejected("still_active")
    people = await _people(user_id)
    done = await close(user_id, "retention", command.channel, None)
    await _tell_organisations(command, user_id, people)
    return Effect(target_type="user", target_id=user_id, ids={"receipts": done["receipts"]}, detail="retention")


@handler("passport.erase_closed", EraseClosed, codes=("still_active",))
async def erase_closed(command: Command[EraseClosed]) -> Effect:
    """The retention rule erases the data of an account closed 12 months ago."""
    from app.domain.passport import retention

    if command.actor_id is not None or command.channel not in ("job", "cli"):
        raise Rejected("not_allowed")
    user_id = command.payload.user_id
    await db.lock(User, user_id)
    if user_id not in await retention.closed_to_erase(retention.brussels_today(), [user_id]):
        raise Rejected("still_active")
    people = await _people(user_id)
    await withdraw_everything(user_id, command.channel, None)  # none in force: a closed account
    await erase_data(user_id, command.channel, None, by="retention")
    await _tell_organisations(command, user_id, people)
    return Effect(target_type="user", target_id=user_id, detail="retention")


@job_handler(REMOVE_FILES)
async def remove_files(payload: dict, job_id: int) -> None:
    """Removes stored files no document uses any more (again checked now: a
    new upload of the same file may have come in meanwhile)."""
    digests = [d for d in payload.get("digests", []) if isinstance(d, str) and len(d) == 64 and d.isalnum()]
    if not digests:
        return
    used = {row["digest"] for row in await Document.select(Document.digest).where(Document.digest.is_in(digests))}
    for digest in digests:
        if digest not in used:
            stored_file(digest).unlink(missing_ok=True)
