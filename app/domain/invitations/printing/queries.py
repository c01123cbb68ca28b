"""What may be printed, as plain cards: the invitations and people a staff
user selects, checked against the organisations they may print for.

A selection naming anything outside the user's reach (other organisations,
and units beyond the user's own) is answered with None (the web layer turns
it into a 404), so such ids reveal nothing. Only open invitations (created, sent or opened,
and not expired) are printed: a sheet for a used or revoked invitation would
only mislead the person who gets it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.domain.core.access import Reach
from app.domain.invitations import secrets
from app.domain.invitations.lifecycle import is_open, open_where, unusable
from app.storage.people import ImportRun, Invitation, Membership
from app.storage.tables import Organisation


@dataclass(frozen=True)
class SheetCard:
    invitation_id: int
    name: str
    language: str
    url: str
    code: str  # grouped for reading: K7P-4QX-9MA
    organisation: str
    expires_at: datetime


def _columns():
    return (
        Invitation.id,
        Invitation.salt,
        Invitation.language,
        Invitation.status,
        Invitation.expires_at,
        Invitation.organisation,
        Invitation.unit.path.as_alias("unit_path"),
        Invitation.person.first_name,
        Invitation.person.last_name,
        Invitation.organisation.name,
    )


def _card(row: dict) -> SheetCard:
    return SheetCard(
        invitation_id=row["id"],
        name=f"{row['person.first_name']} {row['person.last_name']}",
        language=row["language"],
        url=secrets.invitation_url(row["id"], row["salt"]),
        code=secrets.display(secrets.code_for(secrets.INVITATION, row["salt"])),
        organisation=row["organisation.name"],
        expires_at=row["expires_at"],
    )


def _open_cards(rows: list[dict]) -> list[SheetCard]:
    now = datetime.now(UTC)
    rows = sorted(rows, key=lambda r: (r["person.last_name"].casefold(), r["person.first_name"].casefold(), r["id"]))
    return [_card(row) for row in rows if is_open(row, now)]


async def sheets_for_invitations(ids: list[int], reach: Reach) -> list[SheetCard] | None:
    """Cards of the open invitations among `ids`; None when one id is unknown
    or lies outside `reach`."""
    wanted = set(ids)
    rows = await Invitation.select(*_columns()).where(Invitation.id.is_in(list(wanted)))
    if len(rows) != len(wanted) or not all(reach.covers(row["organisation"], row["unit_path"]) for row in rows):
        return None
    return _open_cards(rows)


async def run_organisation(run_id: int, reach: Reach) -> int | None:
    run = (
        await ImportRun.select(ImportRun.organisation, ImportRun.unit.path.as_alias("unit_path"))
        .where(ImportRun.id == run_id)
        .first()
    )
    if run is None or not reach.covers(run["organisation"], run["unit_path"]):
        return None
    return run["organisation"]


async def sheets_for_run(run_id: int, reach: Reach) -> list[SheetCard] | None:
    """Cards of the open invitations of one import run; None when the run is
    unknown or outside `reach`."""
    if await run_organisation(run_id, reach) is None:
        return None
    rows = await Invitation.select(*_columns()).where(Invitation.import_run == run_id)
    return _open_cards([row for row in rows if reach.covers(row["organisation"], row["unit_path"])])


async def invitations_of_run(run_id: int) -> list[int]:
    return [row["id"] for row in await Invitation.select(Invitation.id).where(Invitation.import_run == run_id)]


async def organisation_by_slug(slug: str) -> dict | None:
    return await Organisation.select(Organisation.id, Organisation.name).where(Organisation.slug == slug).first()


async def open_sheets_for_organisation(organisation_id: int) -> list[SheetCard]:
    rows = await Invitation.select(*_columns()).where(
        (Invitation.organisation == organisation_id) & open_where(datetime.now(UTC))
    )
    return _open_cards(rows)


async def people_of_invitations(ids: list[int], reach: Reach) -> list[tuple[int, int]] | None:
    """(person id, organisation id) of each invitation's person, for badges;
    None when one id is unknown, outside `reach`, or its person is not on
    the organisation's roster within reach."""
    wanted = set(ids)
    rows = await Invitation.select(
        Invitation.id, Invitation.person, Invitation.organisation, Invitation.unit.path.as_alias("unit_path")
    ).where(Invitation.id.is_in(list(wanted)))
    if len(rows) != len(wanted) or not all(reach.covers(row["organisation"], row["unit_path"]) for row in rows):
        return None
    people = _unique((row["person"], row["organisation"]) for row in sorted(rows, key=lambda r: r["id"]))
    return people if await people_in_scope([person for person, _org in people], reach) is not None else None


async def _on_roster(person_ids: list[int], reach: Reach) -> dict[int, int]:
    """person id -> organisation, for the records of people on the roster of
    their own organisation within `reach` (its unit, or the whole one)."""
    rows = await Membership.select(
        Membership.person,
        Membership.organisation,
        Membership.unit.path.as_alias("unit_path"),
        Membership.person.organisation.as_alias("record_of"),
    ).where(Membership.person.is_in(list(set(person_ids))))
    return {
        row["person"]: row["organisation"]
        for row in rows
        if row["organisation"] == row["record_of"] and reach.covers(row["organisation"], row["unit_path"])
    }


async def people_in_scope(person_ids: list[int], reach: Reach) -> list[tuple[int, int]] | None:
    """(person id, organisation id) for records of people on the roster of
    their organisation, within `reach` (its unit, or the whole organisation);
    None when one of them is not."""
    wanted = set(person_ids)
    chosen = await _on_roster(person_ids, reach) if wanted else {}
    if set(chosen) != wanted:
        return None
    return [(person_id, chosen[person_id]) for person_id in sorted(wanted)]


async def person_on_roster(person_id: int, organisation_id: int, reach: Reach) -> bool:
    """Whether the person is this organisation's record, on its roster,
    within `reach`: the only people staff may make badges or PIN codes for."""
    found = await people_in_scope([person_id], reach)
    return found == [(person_id, organisation_id)]


def _unique(pairs) -> list[tuple[int, int]]:
    seen: dict[int, int] = {}
    for person_id, organisation_id in pairs:
        seen.setdefault(person_id, organisation_id)
    return list(seen.items())


# -- a selection from the list, sorted into printable and skipped ------------

KINDS = ("sheets", "badges")
# Why a ticked invitation is not printed, in the order the summary names them.
SKIPS = ("revoked", "expired", "registered", "not_on_roster")


@dataclass(frozen=True)
class Sorted:
    printable: list[int]  # invitation ids, in the order chosen
    skipped: dict[str, int]  # reason (SKIPS) -> how many


def _skip(row: dict, kind: str, on_roster: dict[int, int], now: datetime) -> str | None:
    """Why this invitation gets no sheet (or its person no badge) now."""
    reason = unusable(row, now)
    if kind == "sheets":
        # A lock ends by itself: the sheet stays good, so it is printed.
        return None if reason == "locked" else reason
    if reason == "revoked":
        return reason
    # A badge is for a person on the roster, whatever became of the invitation.
    return None if row["person"] in on_roster else "not_on_roster"


async def sort_selection(ids: list[int], reach: Reach, kind: str, now: datetime | None = None) -> Sorted | None:
    """The ticked invitations sorted into printable ones and skipped ones
    with their reason; None when one id is unknown or lies outside `reach`
    (the web layer answers 404, so such ids reveal nothing)."""
    now = now or datetime.now(UTC)
    wanted = list(dict.fromkeys(ids))
    rows = await Invitation.select(
        Invitation.id,
        Invitation.status,
        Invitation.expires_at,
        Invitation.revoked_at,
        Invitation.registered_at,
        Invitation.locked_until,
        Invitation.person,
        Invitation.organisation,
        Invitation.unit.path.as_alias("unit_path"),
    ).where(Invitation.id.is_in(wanted))
    if len(rows) != len(wanted) or not all(reach.covers(row["organisation"], row["unit_path"]) for row in rows):
        return None
    on_roster = await _on_roster([row["person"] for row in rows], reach) if kind == "badges" else {}
    by_id = {row["id"]: row for row in rows}
    printable, skipped = [], dict.fromkeys(SKIPS, 0)
    for invitation_id in wanted:
        reason = _skip(by_id[invitation_id], kind, on_roster, now)
        if reason is None:
            printable.append(invitation_id)
        else:
            skipped[reason] += 1
    return Sorted(printable=printable, skipped={reason: n for reason, n in skipped.items() if n})
