"""Rows -> a result code per row. The dry run shows this plan; the apply
command computes it again inside its transaction and carries it out.

Codes (seed 004): 1 done, 2 not needed, 3 not found (match mode), 4 invalid.
A second row for the same person in one file gets code 2 with the problem
"duplicate_in_file": the person is handled once, by the first row, and the
file is not refused for a copy-paste slip.

Only the organisation's own records count: code 2 means "already registered
or invited in this organisation", never "has an account somewhere" (that
would tell an uploader about other organisations' people). An upload is for
one unit (or the whole organisation): a row's unit must lie inside it, and a
person the organisation keeps under a unit beyond the uploader's reach is
left alone (code 2, "known_elsewhere").
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.domain.core.access import Reach
from app.domain.core.commands import Rejected
from app.domain.invitations.imports import columns, values
from app.domain.invitations.imports.reading import ParsedFile, Row
from app.domain.invitations.lifecycle import open_where
from app.domain.invitations.people import PersonFields, match_key, validate_person
from app.storage.people import Invitation, Membership, Person
from app.storage.tables import Organisation, Unit

MODES = ("create", "match")
CHUNK = 500  # ids per IN (...) list, well below SQLite's variable limit
VALIDATE_CHUNK = 250  # rows checked between two turns of the event loop


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

    @property
    def person(self) -> PersonFields:
        """The checked fields: every row without problems has them."""
        if self.fields is None:
            raise ValueError(f"row {self.number} has no checked fields")
        return self.fields

    @property
    def linked_id(self) -> int:
        """The person of a done row (known, or created by the import)."""
        if self.person_id is None:
            raise ValueError(f"row {self.number} has no person")
        return self.person_id


@dataclass
class Plan:
    organisation: dict
    mode: str
    results: list[Result]
    target: Target | None = None

    def counts(self) -> dict[int, int]:
        totals = {1: 0, 2: 0, 3: 0, 4: 0}
        for result in self.results:
            totals[result.code] += 1
        return totals


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def turns(items: list, size: int = CHUNK):
    """chunks(), handing the event loop back after each: SQLite reads run
    synchronously, so a hundred of them in a row would hold every other
    request back for half a second."""
    for part in chunks(items, size):
        yield part
        await asyncio.sleep(0)


@dataclass(frozen=True)
class Target:
    """Where an upload goes: the organisation, the unit chosen (None: the
    whole organisation) with its path, and the uploader's reach."""

    organisation_id: int
    unit_id: int | None = None
    unit_path: str | None = None
    reach: Reach = field(default_factory=Reach.all)


async def target_for(reach: Reach, organisation_id: int, unit_id: int | None) -> Target | None:
    """The upload target, when `reach` may upload there: a unit of the
    organisation inside reach, or the whole organisation (unit None) for a
    role on the whole organisation. None otherwise."""
    if unit_id is None:
        return Target(organisation_id, None, None, reach) if reach.covers_whole(organisation_id) else None
    unit = await Unit.select(Unit.path).where((Unit.id == unit_id) & (Unit.organisation == organisation_id)).first()
    if unit is None or not reach.covers(organisation_id, unit["path"]):
        return None
    return Target(organisation_id, unit_id, unit["path"], reach)


class Units:
    """The organisation's units by folded name, for the unit column."""

    def __init__(self, rows: list[dict], target_path: str | None):
        self.by_name: dict[str, list[dict]] = {}
        for row in sorted(rows, key=lambda r: r["id"]):
            self.by_name.setdefault(columns.fold(row["name"]), []).append(row)
        self.target_path = target_path

    def find(self, name: str) -> tuple[int | None, str | None]:
        """(unit id, None) or (None, problem code)."""
        candidates = self.by_name.get(columns.fold(name))
        if not candidates:
            return None, "unit_unknown"
        inside = [unit for unit in candidates if self.target_path is None or unit["path"].startswith(self.target_path)]
        return (inside[0]["id"], None) if inside else (None, "unit_outside")


async def make_plan(parsed: ParsedFile, target: Target | int, mode: str) -> Plan:
    if isinstance(target, int):
        target = Target(target)
    organisation_id = target.organisation_id
    organisation = await Organisation.select().where(Organisation.id == organisation_id).first()
    if organisation is None:
        raise Rejected("not_found")
    units = Units(
        await Unit.select(Unit.id, Unit.name, Unit.path).where(Unit.organisation == organisation_id), target.unit_path
    )
    results = await _validate_all(parsed.rows, organisation["default_language"], units, target.unit_id)
    _mark_duplicates(results)
    candidates = [result for result in results if result.code == 0]
    known = await _known_people(organisation_id, [result.key for result in candidates])
    for result in candidates:
        result.person_id = known.get(result.key)
    roster = await _members(organisation_id, [r.person_id for r in candidates if r.person_id])
    for result in candidates:
        if result.person_id is not None and not target.reach.covers(organisation_id, roster.get(result.person_id)):
            result.code, result.problems = 2, {"row": "known_elsewhere"}
        elif mode == "match" and result.person_id not in roster:
            result.code = 3
    linked = [r.person_id for r in candidates if r.code == 0 and r.person_id]
    not_needed = await _active_accounts(linked) | await _open_invitations(organisation_id, linked)
    for result in candidates:
        if result.code == 0:
            result.code = 2 if result.person_id in not_needed else 1
    return Plan(organisation, mode, results, target)


async def _validate_all(rows: list[Row], default_language: str, units: Units, target_unit: int | None) -> list[Result]:
    """Every row checked, handing the event loop back every VALIDATE_CHUNK
    rows: 50,000 rows take seconds, and other requests must not wait that long."""
    results: list[Result] = []
    for start in range(0, len(rows), VALIDATE_CHUNK):
        results.extend(
            _validate(row, default_language, units, target_unit) for row in rows[start : start + VALIDATE_CHUNK]
        )
        await asyncio.sleep(0)
    return results


def _validate(row: Row, default_language: str, units: Units, target_unit: int | None) -> Result:
    cells = row.cells
    birth = values.birth_date(cells.get("birth_date"))
    raw: dict[str, Any] = {
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
    unit_id = target_unit
    unit_name = values.text(cells.get("unit"))
    if unit_name:
        unit_id, problem = units.find(unit_name)
        if problem:
            problems["unit"] = problem
    result = Result(row.number, 0, last_name=raw["last_name"], first_name=raw["first_name"])
    if problems or person is None:
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


async def _known_people(organisation_id: int, keys: list[str]) -> dict[str, int]:
    """match key -> the organisation's record of that person."""
    found: dict[str, int] = {}
    async for part in turns(sorted(set(keys))):
        rows = (
            await Person.select(Person.id, Person.match_key)
            .where((Person.organisation == organisation_id) & Person.match_key.is_in(part))
            .order_by(Person.id)
        )
        for row in rows:
            found.setdefault(row["match_key"], row["id"])
    return found


async def _members(organisation_id: int, person_ids: list[int]) -> dict[int, str | None]:
    """The people on the organisation's roster -> the path of their unit
    there (None: no unit)."""
    members: dict[int, str | None] = {}
    async for part in turns(sorted(set(person_ids))):
        rows = await Membership.select(Membership.person, Membership.unit.path.as_alias("path")).where(
            (Membership.organisation == organisation_id) & Membership.person.is_in(part)
        )
        members.update({row["person"]: row["path"] for row in rows})
    return members


async def _active_accounts(person_ids: list[int]) -> set[int]:
    """The bulk form of people.has_active_account."""
    active: set[int] = set()
    async for part in turns(sorted(set(person_ids))):
        rows = await Person.select(Person.id).where(Person.id.is_in(part) & (Person.user.is_active == True))  # noqa: E712
        active.update(row["id"] for row in rows)
    return active


async def _open_invitations(organisation_id: int, person_ids: list[int]) -> set[int]:
    """People with an invitation from this organisation that can still be used:
    a re-uploaded file must not invite them twice."""
    now = datetime.now(UTC)
    invited: set[int] = set()
    async for part in turns(sorted(set(person_ids))):
        rows = await Invitation.select(Invitation.person).where(
            (Invitation.organisation == organisation_id) & Invitation.person.is_in(part) & open_where(now)
        )
        invited.update(row["person"] for row in rows)
    return invited
