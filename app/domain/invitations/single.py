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
from datetime import date, datetime, timedelta

from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.reasons import Reason
from app.domain.invitations import people
from app.domain.invitations.lifecycle import INVITATION, after_extend, open_where, status_of
from app.domain.invitations.payloads import CreateInvitation, InvitationAction
from app.domain.invitations.reasons import PERSON_CODES
from app.domain.jobs import enqueue
from app.storage import db
from app.storage.people import Invitation, Person
from app.storage.tables import Organisation, Unit

PERMISSION = "invitations.manage"
SEND_MAIL_JOB = "invitations.send_mail"
MIN_GAIN = timedelta(days=1)
PERSON_FIELDS = ("last_name", "first_name", "birth_date", "postcode", "email", "phone", "language")

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
    if (parts := _numbers(value)) is None:
        return False
    year, month, day = parts
    try:
        return date(year, month, day)
    except ValueError:
        return False


def _numbers(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written, before the calendar has its say."""
    if match := _ISO.match(value):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.match(value):
        day, month, year = match.groups()
    else:
        return None
    return int(year), int(month), int(day)


def missing_day(value: str) -> tuple[int, int] | None:
    """(day, month) of a well-written date that is not in the calendar
    ("31/02/1990"), so the answer can name it instead of the format."""
    if (parts := _numbers(value.strip())) is None:
        return None
    _year, month, day = parts
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return day, month


async def _organisation(actor: Actor, payload: CreateInvitation) -> dict:
    organisation_id = payload.organisation_id
    if not organisation_id or not actor.reach.touches(organisation_id):
        raise Rejected("organisation_missing", "organisation_id")
    organisation = await Organisation.select().where(Organisation.id == organisation_id).first()
    if organisation is None:
        raise Rejected("organisation_missing", "organisation_id")
    return organisation


async def _unit(actor: Actor, organisation_id: int, payload: CreateInvitation) -> int | None:
    """The unit invited for: one in the actor's reach, or none (the whole
    organisation) for a role on the whole organisation."""
    unit_id = payload.unit_id
    if unit_id is None:
        if not actor.reach.covers_whole(organisation_id):
            raise Rejected("choose_unit", "unit_id", organisation_id=organisation_id)
        return None
    unit = await Unit.select(Unit.path).where((Unit.id == unit_id) & (Unit.organisation == organisation_id)).first()
    if unit is None or not actor.reach.covers(organisation_id, unit["path"]):
        raise Rejected("unit_unknown", "unit_id", organisation_id=organisation_id)
    return unit_id


def _person_fields(
    payload: CreateInvitation, default_language: str
) -> tuple[people.PersonFields | None, dict[str, str], dict[str, int]]:
    """The person's fields, or the problem code per field (with the day and
    month of a birth date that does not exist)."""
    raw: dict = {key: getattr(payload, key).strip() for key in PERSON_FIELDS}
    raw_birth = raw["birth_date"]
    birth = parse_birth_date(raw_birth)
    raw["birth_date"] = birth or None
    fields, problems = people.validate_person(raw, default_language)
    day_params: dict[str, int] = {}
    if birth is False:
        day = missing_day(raw_birth)
        problems["birth_date"] = "birth_date_no_such_day" if day else "birth_date_format"
        day_params = {"day": day[0], "month": day[1]} if day else {}
        fields = None
    delivery = payload.delivery.strip()
    if delivery not in people.DELIVERIES:
        problems["delivery"] = "delivery_unknown"
    elif delivery != "paper" and not raw["email"] and "email" not in problems:
        problems["email"] = "email_missing"
    return (None if problems else fields), problems, day_params


async def _open_invitation(person_id: int, organisation_id: int) -> int | None:
    row = (
        await Invitation.select(Invitation.id)
        .where((Invitation.person == person_id) & (Invitation.organisation == organisation_id) & open_where(utcnow()))
        .first()
    )
    return row["id"] if row else None


CREATE_CODES = (*PERSON_CODES, "organisation_missing", "choose_unit", "known_elsewhere")


@handler("invitations.create", CreateInvitation, codes=CREATE_CODES)
async def create_invitation(command: Command[CreateInvitation]) -> Effect:
    """Invite one person: their record is found or made, linked to the
    roster, and given an invitation (by e-mail, on paper or both)."""
    actor = await acting(command, PERMISSION)
    payload = command.payload
    errors: dict[str, str] = {}
    organisation = unit_id = None
    try:
        organisation = await _organisation(actor, payload)
        unit_id = await _unit(actor, organisation["id"], payload)
    except Rejected as rejection:
        errors.update(rejection.codes)
    default_language = organisation["default_language"] if organisation else "nl"
    fields, problems, day_params = _person_fields(payload, default_language)
    errors.update(problems)
    organisation_id = organisation["id"] if organisation else None
    if errors or fields is None or organisation is None:
        reasons = [
            Reason(code, None if name == "_" else name, day_params if name == "birth_date" else {})
            for name, code in errors.items()
        ]
        raise Rejected.of(reasons, organisation_id=organisation_id)
    await db.lock(Organisation, organisation["id"])
    person_id, created = await people.ensure_person(fields, organisation["id"])
    if not created and not await people.in_reach(person_id, organisation["id"], actor.reach):
        raise Rejected("known_elsewhere", organisation_id=organisation_id)
    await people.ensure_membership(person_id, organisation["id"], unit_id, source="invitation")
    await people.expire_lapsed(organisation["id"], [person_id])
    ids: dict = {"person_id": person_id, "person_created": created}
    effect = Effect(target_type="person", target_id=person_id, organisation_id=organisation_id, ids=ids)
    if not created and await people.has_active_account(person_id):
        ids["already_registered"] = True
        effect.detail = "already registered: linked, no invitation"
        return effect
    if not created and (existing := await _open_invitation(person_id, organisation["id"])):
        ids["already_invited"] = True
        ids["invitation_id"] = existing
        effect.detail = "already invited: no second invitation"
        return effect
    delivery = payload.delivery.strip()
    invitation_id = await people.issue_invitation(
        organisation_id=organisation["id"],
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


async def invitation_in_scope(actor: Actor, payload: InvitationAction) -> dict:
    invitation = (
        await Invitation.select(*Invitation.all_columns(), Invitation.unit.path.as_alias("unit_path"))
        .where(Invitation.id == payload.invitation_id)
        .first()
    )
    if invitation is None or not actor.reach.covers(invitation["organisation"], invitation["unit_path"]):
        raise Rejected("not_found")
    return invitation


def _effect(invitation: dict, **ids) -> Effect:
    return Effect(
        target_type="invitation",
        target_id=invitation["id"],
        organisation_id=invitation["organisation"],
        ids={"invitation_id": invitation["id"], **ids},
    )


@handler("invitations.resend", InvitationAction, codes=("expired", "not_resendable", "no_email"))
async def resend_invitation(command: Command[InvitationAction]) -> Effect:
    """Send the invitation's mail again (an open invitation of a person with an e-mail address)."""
    actor = await acting(command, PERMISSION)
    invitation = await invitation_in_scope(actor, command.payload)
    organisation_id = invitation["organisation"]
    status = status_of(invitation, utcnow())
    if status == "expired":
        raise Rejected("expired", organisation_id=organisation_id)
    if not INVITATION.can(status, "resend"):
        raise Rejected("not_resendable", organisation_id=organisation_id)
    person = await Person.select(Person.email).where(Person.id == invitation["person"]).first()
    if not person or not person["email"]:
        raise Rejected("no_email", organisation_id=organisation_id)
    job_id = await enqueue(SEND_MAIL_JOB, {"invitation_id": invitation["id"]})
    return _effect(invitation, job_id=job_id)


def extended_until(expires_at: datetime, invitation_days: int, now: datetime) -> datetime | None:
    """The expiry an extension gives (a full period from now), or None when
    that would not be at least a day later than the current one: "Extend"
    must really give the person more time, and a second click (or thirty
    parallel ones) must not pretend to."""
    until = now + timedelta(days=invitation_days)
    return until if until - expires_at >= MIN_GAIN else None


async def newer_open_invitation(invitation: dict, now: datetime | None = None) -> int | None:
    """Another open invitation of the same person and organisation (made by
    "invite again" or a new invite after this one expired), if any."""
    row = (
        await Invitation.select(Invitation.id)
        .where(
            (Invitation.person == invitation["person"])
            & (Invitation.organisation == invitation["organisation"])
            & (Invitation.id != invitation["id"])
            & open_where(now or utcnow())
        )
        .first()
    )
    return row["id"] if row else None


@handler("invitations.extend", InvitationAction, codes=("not_extendable", "not_later", "superseded"))
async def extend_invitation(command: Command[InvitationAction]) -> Effect:
    """A new expiry date (the organisation's invitation days from now), at
    least a day later than the current one; an expired invitation is open
    again, as it was before it expired. Extensions of one invitation take
    turns (a row lock), so parallel clicks end with one extension."""
    actor = await acting(command, PERMISSION)
    await db.lock(Invitation, command.payload.invitation_id)
    invitation = await invitation_in_scope(actor, command.payload)
    organisation_id = invitation["organisation"]
    if not INVITATION.can(invitation["status"], "extend"):
        raise Rejected("not_extendable", organisation_id=organisation_id)
    if await newer_open_invitation(invitation):
        raise Rejected("superseded", organisation_id=organisation_id)
    organisation = (
        await Organisation.select(Organisation.invitation_days).where(Organisation.id == organisation_id).first()
    )
    if organisation is None:
        raise Rejected("not_found")
    expires_at = extended_until(invitation["expires_at"], organisation["invitation_days"], utcnow())
    if expires_at is None:
        raise Rejected("not_later", organisation_id=organisation_id)
    status = after_extend(invitation)
    await Invitation.update({Invitation.expires_at: expires_at, Invitation.status: status}).where(
        Invitation.id == invitation["id"]
    )
    effect = _effect(
        invitation, status=status, expires_at=expires_at.isoformat(), previous=invitation["expires_at"].isoformat()
    )
    effect.detail = f"until {expires_at.date().isoformat()}"
    return effect


@handler("invitations.revoke", InvitationAction, codes=("not_revocable",))
async def revoke_invitation(command: Command[InvitationAction]) -> Effect:
    """Revoke the invitation: its link and code no longer work."""
    actor = await acting(command, PERMISSION)
    await db.lock(Invitation, command.payload.invitation_id)
    invitation = await invitation_in_scope(actor, command.payload)
    if not INVITATION.can(invitation["status"], "revoke"):
        raise Rejected("not_revocable", organisation_id=invitation["organisation"])
    await Invitation.update(
        {Invitation.status: INVITATION.after(invitation["status"], "revoke"), Invitation.revoked_at: utcnow()}
    ).where(Invitation.id == invitation["id"])
    return _effect(invitation)


# Invite again: only an invitation that can no longer be used, nor extended to be.
REINVITABLE = ("revoked", "expired")


@handler("invitations.reinvite", InvitationAction, codes=("not_reinvitable", "already_registered", "known_elsewhere"))
async def reinvite(command: Command[InvitationAction]) -> Effect:
    """A fresh invitation (new link and code, a full period) for the person
    of a revoked or expired one: same organisation, unit, language and
    delivery (on paper when the person has no e-mail address any more). A
    person with an open invitation already gets no second one
    (`already_invited`, as on the invite form)."""
    actor = await acting(command, PERMISSION)
    old = await invitation_in_scope(actor, command.payload)
    organisation_id = old["organisation"]
    if status_of(old, utcnow()) not in REINVITABLE:
        raise Rejected("not_reinvitable", organisation_id=organisation_id)
    await db.lock(Organisation, organisation_id)
    if not await people.in_reach(old["person"], organisation_id, actor.reach):
        raise Rejected("known_elsewhere", organisation_id=organisation_id)
    if await people.has_active_account(old["person"]):
        raise Rejected("already_registered", organisation_id=organisation_id)
    ids: dict = {"person_id": old["person"], "previous": old["id"]}
    if existing := await _open_invitation(old["person"], organisation_id):
        ids.update(already_invited=True, invitation_id=existing)
        return Effect(target_type="invitation", target_id=existing, organisation_id=organisation_id, ids=ids)
    await people.expire_lapsed(organisation_id, [old["person"]])
    organisation = (
        await Organisation.select(Organisation.invitation_days).where(Organisation.id == organisation_id).first()
    )
    person = await Person.select(Person.email).where(Person.id == old["person"]).first()
    delivery = old["delivery"] if person and person["email"] else "paper"
    invitation_id = await people.issue_invitation(
        organisation_id=organisation_id,
        unit_id=old["unit"],
        person_id=old["person"],
        issued_by=actor.id,
        delivery=delivery,
        language=old["language"],
        valid_days=organisation["invitation_days"] if organisation else 30,
    )
    if delivery in ("email", "both"):
        await enqueue(SEND_MAIL_JOB, {"invitation_id": invitation_id})
    ids.update(invitation_id=invitation_id, delivery=delivery)
    return Effect(
        target_type="invitation",
        target_id=invitation_id,
        organisation_id=organisation_id,
        ids=ids,
        detail=f"again after invitation {old['id']}, delivery {delivery}",
    )
