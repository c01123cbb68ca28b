"""One invitation at a time: staff invite a person, then resend, extend or
revoke the invitation.

Decisions (documented for the team):
- The person is matched on name + birth date among the organisation's own
  records (people.ensure_person): a known person is linked, never
  duplicated; other organisations' records are never looked at, so the
  answer for someone registered elsewhere is the answer for anyone new.
- A person the organisation knows who already has an active account gets no
  new invitation: the command answers `already_registered`.
- A person with an open invitation of the same organisation (created, sent
  or opened, not past its expiry) gets no second one either: the command
  answers `already_invited` with that invitation's id, so staff can resend or
  extend it instead of spreading two valid codes for one person.
- A role granted on a unit invites for that unit and below only; an
  invitation without a unit needs a role on the whole organisation. A person
  the organisation keeps under a unit out of the actor's reach is refused
  with `known_elsewhere` (the record stays untouched).
- Parallel invitations of one organisation take turns (a row lock on the
  organisation), and the database refuses a second record or a second open
  invitation in any case (unique indexes).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.ids import optional_id, require_id
from app.domain.core.reasons import NOT_FOUND
from app.domain.core.text import text
from app.domain.invitations import people
from app.domain.invitations.queries import OPEN, effective_status
from app.domain.jobs.queue import enqueue
from app.i18n import lazy
from app.storage import db
from app.storage.people import Invitation, Person
from app.storage.tables import Organisation, Unit

PERMISSION = "invitations.manage"
SEND_MAIL_JOB = "invitations.send_mail"
PERSON_FIELDS = ("last_name", "first_name", "birth_date", "postcode", "email", "phone", "language")
ORGANISATION_MISSING = lazy("Choose an organisation.")
NOT_RESENDABLE = lazy("Only an invitation that is still open can be sent again.")
NO_EMAIL = lazy("This person has no e-mail address, so the invitation cannot be sent by e-mail. Print it instead.")
EXPIRED = lazy("This invitation has expired. Extend it first, then send it again.")
NOT_EXTENDABLE = lazy("A registered or revoked invitation cannot be extended.")
NOT_REVOCABLE = lazy("This invitation is already registered or revoked.")
CHOOSE_UNIT = lazy("Choose the unit this person is invited for.")
KNOWN_ELSEWHERE = lazy(
    "Your organisation already knows this person in a unit you do not manage. Ask a colleague of that unit."
)

_DAY_FIRST = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", re.ASCII
)  # ASCII digits only (\d also matches other scripts' digits)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)


def parse_birth_date(value: str) -> date | None | bool:
    """A date from a form: yyyy-mm-dd (date inputs) or dd/mm/yyyy, dd-mm-yyyy,
    d.m.yyyy (typed). None when empty, False when it is not a date."""
    value = value.strip()
    if not value:
        return None
    if match := _ISO.match(value):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.match(value):
        day, month, year = match.groups()
    else:
        return False
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return False


async def _organisation(actor: Actor, payload: dict) -> dict:
    organisation_id = optional_id(payload, "organisation_id")
    if not organisation_id or not actor.reach.touches(organisation_id):
        raise Rejected({"organisation_id": ORGANISATION_MISSING})
    organisation = await Organisation.select().where(Organisation.id == organisation_id).first()
    if organisation is None:
        raise Rejected({"organisation_id": ORGANISATION_MISSING})
    return organisation


async def _unit(actor: Actor, organisation_id: int, payload: dict) -> int | None:
    """The unit invited for: one in the actor's reach, or none (the whole
    organisation) for a role on the whole organisation."""
    unit_id = optional_id(payload, "unit_id")
    if unit_id is None:
        if not actor.reach.covers_whole(organisation_id):
            raise Rejected({"unit_id": CHOOSE_UNIT}, organisation_id=organisation_id)
        return None
    unit = (
        await Unit.select(Unit.path).where((Unit.id == unit_id) & (Unit.organisation == organisation_id)).first()
        if unit_id
        else None
    )
    if unit is None or not actor.reach.covers(organisation_id, unit["path"]):
        raise Rejected({"unit_id": people.PROBLEMS["unit_unknown"]}, organisation_id=organisation_id)
    return unit_id


def _person_fields(payload: dict, default_language: str) -> tuple[people.PersonFields | None, dict[str, str]]:
    raw = {key: text(payload, key) for key in PERSON_FIELDS}
    birth = parse_birth_date(raw["birth_date"])
    raw["birth_date"] = birth or None
    fields, problems = people.validate_person(raw, default_language)
    if birth is False:
        problems["birth_date"] = "birth_date_format"
        fields = None
    delivery = text(payload, "delivery")
    if delivery not in people.DELIVERIES:
        problems["delivery"] = "delivery_unknown"
    elif delivery != "paper" and not text(payload, "email") and "email" not in problems:
        problems["email"] = "email_missing"
    return (None if problems else fields), problems


async def _open_invitation(person_id: int, organisation_id: int) -> int | None:
    rows = await Invitation.select(Invitation.id, Invitation.status, Invitation.expires_at).where(
        (Invitation.person == person_id)
        & (Invitation.organisation == organisation_id)
        & Invitation.status.is_in(list(OPEN))
    )
    now = utcnow()
    return next((row["id"] for row in rows if effective_status(row, now) in OPEN), None)


@handler("invitations.create")
async def create_invitation(command: Command) -> Effect:
    actor = await acting(command, PERMISSION)
    payload = command.payload
    errors: dict[str, str] = {}
    organisation = unit_id = None
    try:
        organisation = await _organisation(actor, payload)
        unit_id = await _unit(actor, organisation["id"], payload)
    except Rejected as rejection:
        errors.update(rejection.errors)
    default_language = organisation["default_language"] if organisation else "nl"
    fields, problems = _person_fields(payload, default_language)
    errors.update({field: people.PROBLEMS[code] for field, code in problems.items()})
    organisation_id = organisation["id"] if organisation else None
    if errors or fields is None:
        raise Rejected(errors, organisation_id=organisation_id)
    await db.lock(Organisation, organisation_id)
    person_id, created = await people.ensure_person(fields, organisation_id)
    if not created and not await people.in_reach(person_id, organisation_id, actor.reach):
        raise Rejected({"_": KNOWN_ELSEWHERE}, organisation_id=organisation_id)
    await people.ensure_membership(person_id, organisation_id, unit_id, source="invitation")
    await people.expire_lapsed(organisation_id, [person_id])
    ids: dict = {"person_id": person_id, "person_created": created}
    effect = Effect(target_type="person", target_id=person_id, organisation_id=organisation_id, ids=ids)
    if not created and await people.has_active_account(person_id):
        ids["already_registered"] = True
        effect.detail = "already registered: linked, no invitation"
        return effect
    if not created and (existing := await _open_invitation(person_id, organisation_id)):
        ids["already_invited"] = True
        ids["invitation_id"] = existing
        effect.detail = "already invited: no second invitation"
        return effect
    delivery = text(payload, "delivery")
    invitation_id = await people.issue_invitation(
        organisation_id=organisation_id,
        unit_id=unit_id,
        person_id=person_id,
        issued_by=actor.id,
        delivery=delivery,
        language=fields.language,
        valid_days=organisation["invitation_days"],
    )
    if delivery in ("email", "both"):
        await enqueue(SEND_MAIL_JOB, {"invitation_id": invitation_id})
    ids["invitation_id"] = invitation_id
    return Effect(
        target_type="invitation",
        target_id=invitation_id,
        organisation_id=organisation_id,
        ids=ids,
        detail=f"delivery {delivery}",
    )


# -- actions on one invitation -----------------------------------------------


async def invitation_in_scope(actor: Actor, payload: dict) -> dict:
    invitation = (
        await Invitation.select(*Invitation.all_columns(), Invitation.unit.path.as_alias("unit_path"))
        .where(Invitation.id == require_id(payload, "invitation_id"))
        .first()
    )
    if invitation is None or not actor.reach.covers(invitation["organisation"], invitation["unit_path"]):
        raise Rejected({"_": NOT_FOUND})
    return invitation


def _effect(invitation: dict, **ids) -> Effect:
    return Effect(
        target_type="invitation",
        target_id=invitation["id"],
        organisation_id=invitation["organisation"],
        ids={"invitation_id": invitation["id"], **ids},
    )


@handler("invitations.resend")
async def resend_invitation(command: Command) -> Effect:
    actor = await acting(command, PERMISSION)
    invitation = await invitation_in_scope(actor, command.payload)
    organisation_id = invitation["organisation"]
    status = effective_status(invitation, utcnow())
    if status == "expired":
        raise Rejected({"_": EXPIRED}, organisation_id=organisation_id)
    if status not in OPEN:
        raise Rejected({"_": NOT_RESENDABLE}, organisation_id=organisation_id)
    person = await Person.select(Person.email).where(Person.id == invitation["person"]).first()
    if not person or not person["email"]:
        raise Rejected({"_": NO_EMAIL}, organisation_id=organisation_id)
    job_id = await enqueue(SEND_MAIL_JOB, {"invitation_id": invitation["id"]})
    return _effect(invitation, job_id=job_id)


def _reopened_status(invitation: dict) -> str:
    """The status an expired invitation had before it expired."""
    if invitation["opened_at"] is not None:
        return "opened"
    return "sent" if invitation["sent_at"] is not None else "created"


@handler("invitations.extend")
async def extend_invitation(command: Command) -> Effect:
    actor = await acting(command, PERMISSION)
    invitation = await invitation_in_scope(actor, command.payload)
    if invitation["status"] not in (*OPEN, "expired"):
        raise Rejected({"_": NOT_EXTENDABLE}, organisation_id=invitation["organisation"])
    organisation = (
        await Organisation.select(Organisation.invitation_days)
        .where(Organisation.id == invitation["organisation"])
        .first()
    )
    expires_at = utcnow() + timedelta(days=organisation["invitation_days"])
    status = _reopened_status(invitation) if invitation["status"] == "expired" else invitation["status"]
    await Invitation.update({Invitation.expires_at: expires_at, Invitation.status: status}).where(
        Invitation.id == invitation["id"]
    )
    effect = _effect(invitation, status=status)
    effect.detail = f"until {expires_at.date().isoformat()}"
    return effect


@handler("invitations.revoke")
async def revoke_invitation(command: Command) -> Effect:
    actor = await acting(command, PERMISSION)
    invitation = await invitation_in_scope(actor, command.payload)
    if invitation["status"] not in (*OPEN, "expired"):
        raise Rejected({"_": NOT_REVOCABLE}, organisation_id=invitation["organisation"])
    await Invitation.update({Invitation.status: "revoked", Invitation.revoked_at: utcnow()}).where(
        Invitation.id == invitation["id"]
    )
    return _effect(invitation)
