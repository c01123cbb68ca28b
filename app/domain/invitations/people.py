"""People and invitations: the rules shared by single invitations, bulk
registration and the admin roster.

Each organisation keeps its own record of a person (app.storage.people.Person).
Within one organisation a person is identified by last name, first name and
birth date (compared without case, accents or extra spaces), so inviting
someone the organisation already knows links to its record instead of making
a second one. Matching never looks at other organisations' records: inviting
a person who is registered elsewhere reveals nothing and links nothing; they
join this organisation only by accepting its invitation while logged in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from piccolo.columns import Column

from app.domain.core.access import Reach
from app.domain.core.text import normalise_phone
from app.domain.invitations import secrets
from app.domain.invitations.lifecycle import due_where
from app.domain.invitations.reasons import PERSON_PROBLEMS
from app.i18n import LANGUAGES
from app.storage.people import Invitation, Membership, Person
from app.storage.tables import User

EMAIL = re.compile(
    r"^[^@\s,;<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
DELIVERIES = ("email", "paper", "both")
MIN_AGE, MAX_AGE = 15, 100

# Problem codes (stored with import rows) and the messages shown for them.
PROBLEMS = PERSON_PROBLEMS


@dataclass(frozen=True)
class PersonFields:
    last_name: str
    first_name: str
    birth_date: date
    postcode: str
    email: str | None
    phone: str | None
    language: str


def clean_text(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("\u00a0", " ").split())


def _name_problem(value: str, missing: str) -> str | None:
    if not value:
        return missing
    if len(value) > 100:
        return "name_too_long"
    if any(unicodedata.category(ch).startswith("C") for ch in value) or not any(ch.isalpha() for ch in value):
        return "name_invalid"
    return None


def birth_date_problem(value: date | None, today: date | None = None) -> str | None:
    if value is None:
        return "birth_date_missing"
    today = today or date.today()
    if value > today:
        return "birth_date_impossible"
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    return "birth_date_impossible" if not MIN_AGE <= age <= MAX_AGE else None


def postcode_problem(value: str) -> str | None:
    if not value:
        return "postcode_missing"
    return (
        None
        if value.isascii() and value.isdigit() and len(value) == 4 and 1000 <= int(value) <= 9999
        else "postcode_range"
    )


def validate_person(
    raw: dict, default_language: str, today: date | None = None
) -> tuple[PersonFields | None, dict[str, str]]:
    """Checks a person's fields; `raw` holds strings, except birth_date which
    is a date (or None when it could not be read: report birth_date_format
    yourself in that case). Returns the clean fields or problem codes by field."""
    problems: dict[str, str] = {}
    last, first = clean_text(raw.get("last_name")), clean_text(raw.get("first_name"))
    for field, value, missing in (
        ("last_name", last, "last_name_missing"),
        ("first_name", first, "first_name_missing"),
    ):
        if problem := _name_problem(value, missing):
            problems[field] = problem
    birth = raw.get("birth_date")
    if problem := birth_date_problem(birth, today):
        problems["birth_date"] = problem
    postcode = clean_text(raw.get("postcode"))
    if problem := postcode_problem(postcode):
        problems["postcode"] = problem
    email = clean_text(raw.get("email")).lower() or None
    if email and (len(email) > 254 or not EMAIL.match(email)):
        problems["email"] = "email_syntax"
    phone_raw = clean_text(raw.get("phone"))
    phone = normalise_phone(phone_raw) if phone_raw else None
    if phone_raw and phone is None:
        problems["phone"] = "phone_invalid"
    language = clean_text(raw.get("language")).lower() or default_language
    if language not in LANGUAGES:
        problems["language"] = "language_unknown"
    if problems or birth is None:
        return None, problems
    return PersonFields(last, first, birth, postcode, email, phone, language), {}


def match_key(last_name: str, first_name: str, birth_date: date) -> str:
    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return " ".join(
            "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("-", " ").split()
        )

    return f"{fold(last_name)}|{fold(first_name)}|{birth_date.isoformat()}"


async def find_person(fields: PersonFields, organisation_id: int) -> dict | None:
    """This organisation's record of the person, if it has one."""
    key = match_key(fields.last_name, fields.first_name, fields.birth_date)
    return await Person.select().where((Person.organisation == organisation_id) & (Person.match_key == key)).first()


async def ensure_person(fields: PersonFields, organisation_id: int) -> tuple[int, bool]:
    """(person id, created): the organisation's record of the person, made
    when it has none. Inside the caller's transaction. A known person keeps
    their data; a missing e-mail or phone is filled in. Two requests racing
    to make one record meet the unique index (organisation, match key); the
    loser is run again by execute() and finds the winner's record."""
    existing = await find_person(fields, organisation_id)
    if existing is not None:
        updates: dict[Column | str, Any] = {}
        if fields.email and not existing["email"]:
            updates[Person.email] = fields.email
        if fields.phone and not existing["phone"]:
            updates[Person.phone] = fields.phone
        if updates:
            await Person.update(updates).where(Person.id == existing["id"])
        return existing["id"], False
    rows = await Person.insert(
        Person(
            organisation=organisation_id,
            last_name=fields.last_name,
            first_name=fields.first_name,
            birth_date=fields.birth_date,
            postcode=fields.postcode,
            email=fields.email,
            phone=fields.phone,
            language=fields.language,
            match_key=match_key(fields.last_name, fields.first_name, fields.birth_date),
            created_at=datetime.now(UTC),
        )
    )
    return rows[0]["id"], True


async def ensure_membership(person_id: int, organisation_id: int, unit_id: int | None, source: str) -> None:
    exists = await Membership.exists().where(
        (Membership.person == person_id) & (Membership.organisation == organisation_id)
    )
    if not exists:
        await Membership.insert(
            Membership(
                person=person_id,
                organisation=organisation_id,
                unit=unit_id,
                source=source,
                created_at=datetime.now(UTC),
            )
        )


async def has_active_account(person_id: int) -> bool:
    person = await Person.select(Person.user).where(Person.id == person_id).first()
    if person is None or person["user"] is None:
        return False
    return await User.exists().where((User.id == person["user"]) & (User.is_active == True))  # noqa: E712


async def expire_lapsed(organisation_id: int, person_ids: list[int], now: datetime | None = None) -> None:
    """Marks open invitations of these people past their expiry as expired
    (the daily job would do it later): only one invitation per person and
    organisation may be open (a unique index), and an expired one must not
    stand in the way of the next."""
    now = now or datetime.now(UTC)
    for start in range(0, len(person_ids), 500):  # well below SQLite's variable limit
        await Invitation.update({Invitation.status: "expired"}).where(
            (Invitation.organisation == organisation_id)
            & Invitation.person.is_in(person_ids[start : start + 500])
            & due_where(now)
        )


def invitation_values(
    *,
    organisation_id: int,
    unit_id: int | None,
    person_id: int,
    issued_by: int | None,
    delivery: str,
    language: str,
    valid_days: int,
    import_run_id: int | None = None,
    now: datetime | None = None,
) -> dict:
    """The column values of a new invitation (status created) with a fresh
    salt; single invitations and bulk registration both build rows here."""
    salt = secrets.new_salt()
    now = now or datetime.now(UTC)
    return {
        "organisation": organisation_id,
        "unit": unit_id,
        "person": person_id,
        "issued_by": issued_by,
        "import_run": import_run_id,
        "delivery": delivery,
        "language": language,
        "status": "created",
        "salt": salt,
        "code_lookup": secrets.code_lookup(secrets.INVITATION, secrets.code_for(secrets.INVITATION, salt)),
        "expires_at": now + timedelta(days=valid_days),
        "failed_attempts": 0,
        "created_at": now,
    }


async def issue_invitation(
    *,
    organisation_id: int,
    unit_id: int | None,
    person_id: int,
    issued_by: int | None,
    delivery: str,
    language: str,
    valid_days: int,
    import_run_id: int | None = None,
) -> int:
    """A new invitation row (status created); inside the caller's transaction.
    Delivery by mail is the job `invitations.send_mail` {"invitation_id"}."""
    row = invitation_values(
        organisation_id=organisation_id,
        unit_id=unit_id,
        person_id=person_id,
        issued_by=issued_by,
        delivery=delivery,
        language=language,
        valid_days=valid_days,
        import_run_id=import_run_id,
    )
    rows = await Invitation.insert(Invitation(**row))
    return rows[0]["id"]


async def roster_unit_path(person_id: int, organisation_id: int) -> str | None:
    """The path of the unit the person is on in this organisation's roster
    (None: on no unit, i.e. the whole organisation)."""
    row = (
        await Membership.select(Membership.unit.path.as_alias("path"))
        .where((Membership.person == person_id) & (Membership.organisation == organisation_id))
        .first()
    )
    return row["path"] if row else None


async def in_reach(person_id: int, organisation_id: int, reach: Reach) -> bool:
    """Whether this organisation's record of the person lies within `reach`:
    its roster unit (or the whole organisation) is covered."""
    return reach.covers(organisation_id, await roster_unit_path(person_id, organisation_id))
