"""Rows -> a result code per row. The dry run shows this plan; the apply
command computes it again inside its transaction and carries it out.

Codes (seed 004): 1 done, 2 not needed, 3 not found (match mode), 4 invalid.
A second row for the same person in one file gets code 2 with the problem
"duplicate_in_file": the person is handled once, by the first row, and the
file is not refused for a copy-paste slip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from app.domain.invitations.imports import columns, values
from app.domain.invitations.imports.reading import ParsedFile, Row
from app.domain.invitations.people import PersonFields, match_key, validate_person
from app.storage.people import Invitation, Membership, Person
from app.storage.tables import Organisation, Unit

MODES = ("create", "match")
OPEN_STATUSES = ("created", "sent", "opened")
CHUNK = 500  # ids per IN (...) list, well below SQLite's variable limit


@dataclass
class Result:
    number: int
    code: int
    problems: dict[str, str] = field(default_factory=dict)
    fields: PersonFields | None = None
    unit_id: int | None = None
    person_id: int | None = None  # a known person (linked, or the reason for code 2)
    key: str = ""
    # The file's own values, echoed back in the same response only.
    last_name: str = ""
    first_name: str = ""


@dataclass
class Plan:
    organisation: dict
    mode: str
    results: list[Result]

    def counts(self) -> dict[int, int]:
        totals = {1: 0, 2: 0, 3: 0, 4: 0}
        for result in self.results:
            totals[result.code] += 1
        return totals


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def make_plan(parsed: ParsedFile, organisation_id: int, mode: str) -> Plan:
    organisation = await Organisation.select().where(Organisation.id == organisation_id).first()
    units = {columns.fold(unit["name"]): unit["id"] for unit in await Unit.select(Unit.id, Unit.name).where(Unit.organisation == organisation_id)}
    results = [_validate(row, organisation["default_language"], units) for row in parsed.rows]
    _mark_duplicates(results)
    candidates = [result for result in results if result.code == 0]
    known = await _known_people([result.key for result in candidates])
    for result in candidates:
        result.person_id = known.get(result.key)
    if mode == "match":
        roster = await _members(organisation_id, [r.person_id for r in candidates if r.person_id])
        for result in candidates:
            if result.person_id not in roster:
                result.code = 3
    linked = [r.person_id for r in candidates if r.code == 0 and r.person_id]
    not_needed = await _active_accounts(linked) | await _open_invitations(organisation_id, linked)
    for result in candidates:
        if result.code == 0:
            result.code = 2 if result.person_id in not_needed else 1
    return Plan(organisation, mode, results)


def _validate(row: Row, default_language: str, units: dict[str, int]) -> Result:
    cells = row.cells
    birth = values.birth_date(cells.get("birth_date"))
    raw = {
        "last_name": values.text(cells.get("last_name")),
        "first_name": values.text(cells.get("first_name")),
        "birth_date": None if birth is values.UNREADABLE else birth,
        "postcode": values.postcode(cells.get("postcode")),
        "email": values.text(cells.get("email")),
        "language": values.language(cells.get("language"), columns.fold),
    }
    person, problems = validate_person(raw, default_language)
    if birth is values.UNREADABLE:
        problems["birth_date"] = "birth_date_format"
    unit_id = None
    unit_name = values.text(cells.get("unit"))
    if unit_name:
        unit_id = units.get(columns.fold(unit_name))
        if unit_id is None:
            problems["unit"] = "unit_unknown"
    result = Result(row.number, 0, last_name=raw["last_name"], first_name=raw["first_name"])
    if problems:
        result.code, result.problems = 4, problems
        return result
    result.fields, result.unit_id = person, unit_id
    result.key = match_key(person.last_name, person.first_name, person.birth_date)
    return result


def _mark_duplicates(results: list[Result]) -> None:
    seen: set[str] = set()
    for result in results:
        if result.code != 0:
            continue
        if result.key in seen:
            result.code, result.problems = 2, {"row": "duplicate_in_file"}
        seen.add(result.key)


async def _known_people(keys: list[str]) -> dict[str, int]:
    """match key -> the oldest person with it."""
    found: dict[str, int] = {}
    for part in chunks(sorted(set(keys))):
        rows = await Person.select(Person.id, Person.match_key).where(Person.match_key.is_in(part)).order_by(Person.id)
        for row in rows:
            found.setdefault(row["match_key"], row["id"])
    return found


async def _members(organisation_id: int, person_ids: list[int]) -> set[int]:
    members: set[int] = set()
    for part in chunks(sorted(set(person_ids))):
        rows = await Membership.select(Membership.person).where((Membership.organisation == organisation_id) & Membership.person.is_in(part))
        members.update(row["person"] for row in rows)
    return members


async def _active_accounts(person_ids: list[int]) -> set[int]:
    """The bulk form of people.has_active_account."""
    active: set[int] = set()
    for part in chunks(sorted(set(person_ids))):
        rows = await Person.select(Person.id).where(Person.id.is_in(part) & (Person.user.is_active == True))  # noqa: E712
        active.update(row["id"] for row in rows)
    return active


async def _open_invitations(organisation_id: int, person_ids: list[int]) -> set[int]:
    """People with an invitation from this organisation that can still be used:
    a re-uploaded file must not invite them twice."""
    now = datetime.now(timezone.utc)
    invited: set[int] = set()
    for part in chunks(sorted(set(person_ids))):
        rows = await Invitation.select(Invitation.person).where(
            (Invitation.organisation == organisation_id)
            & Invitation.person.is_in(part)
            & Invitation.status.is_in(list(OPEN_STATUSES))
            & (Invitation.expires_at > now)
        )
        invited.update(row["person"] for row in rows)
    return invited
