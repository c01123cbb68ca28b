"""What may be printed, as plain cards: the invitations and people a staff
user selects, checked against the organisations they may print for.

A selection naming anything outside the user's organisations is answered
with None (the web layer turns it into a 404), so ids from another
organisation reveal nothing. Only open invitations (created, sent or opened,
and not expired) are printed: a sheet for a used or revoked invitation would
only mislead the person who gets it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from app.domain.access import in_scope
from app.domain.invitations import secrets
from app.storage.people import ImportRun, Invitation, Membership
from app.storage.tables import Organisation

OPEN_STATUSES = ("created", "sent", "opened")


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
        Invitation.person.first_name,
        Invitation.person.last_name,
        Invitation.organisation.name,
    )


def is_open(row: dict, now: datetime | None = None) -> bool:
    return row["status"] in OPEN_STATUSES and row["expires_at"] > (now or datetime.now(timezone.utc))


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
    now = datetime.now(timezone.utc)
    rows = sorted(rows, key=lambda r: (r["person.last_name"].casefold(), r["person.first_name"].casefold(), r["id"]))
    return [_card(row) for row in rows if is_open(row, now)]


async def sheets_for_invitations(ids: list[int], scope: frozenset[int] | None) -> list[SheetCard] | None:
    """Cards of the open invitations among `ids`; None when one id is unknown
    or belongs to an organisation outside `scope` (None = every organisation)."""
    wanted = set(ids)
    rows = await Invitation.select(*_columns()).where(Invitation.id.is_in(list(wanted)))
    if len(rows) != len(wanted) or not all(in_scope(scope, row["organisation"]) for row in rows):
        return None
    return _open_cards(rows)


async def run_organisation(run_id: int, scope: frozenset[int] | None) -> int | None:
    run = await ImportRun.select(ImportRun.organisation).where(ImportRun.id == run_id).first()
    if run is None or not in_scope(scope, run["organisation"]):
        return None
    return run["organisation"]


async def sheets_for_run(run_id: int, scope: frozenset[int] | None) -> list[SheetCard] | None:
    """Cards of the open invitations of one import run; None when the run is
    unknown or outside `scope`."""
    if await run_organisation(run_id, scope) is None:
        return None
    return _open_cards(await Invitation.select(*_columns()).where(Invitation.import_run == run_id))


async def invitations_of_run(run_id: int) -> list[int]:
    return [row["id"] for row in await Invitation.select(Invitation.id).where(Invitation.import_run == run_id)]


async def organisation_by_slug(slug: str) -> dict | None:
    return await Organisation.select(Organisation.id, Organisation.name).where(Organisation.slug == slug).first()


async def open_sheets_for_organisation(organisation_id: int) -> list[SheetCard]:
    rows = await Invitation.select(*_columns()).where(
        (Invitation.organisation == organisation_id)
        & Invitation.status.is_in(list(OPEN_STATUSES))
        & (Invitation.expires_at > datetime.now(timezone.utc))
    )
    return _open_cards(rows)


async def people_of_invitations(ids: list[int], scope: frozenset[int] | None) -> list[tuple[int, int]] | None:
    """(person id, organisation id) of each invitation's person, for badges;
    None when one id is unknown or outside `scope`."""
    wanted = set(ids)
    rows = await Invitation.select(Invitation.id, Invitation.person, Invitation.organisation).where(Invitation.id.is_in(list(wanted)))
    if len(rows) != len(wanted) or not all(in_scope(scope, row["organisation"]) for row in rows):
        return None
    return _unique((row["person"], row["organisation"]) for row in sorted(rows, key=lambda r: r["id"]))


async def people_in_scope(person_ids: list[int], scope: frozenset[int] | None) -> list[tuple[int, int]] | None:
    """(person id, organisation id) for people on the roster of (or invited
    by) an organisation in `scope`, the first such organisation per person;
    None when one person is on no roster the user may print for."""
    wanted = set(person_ids)
    links = await Membership.select(Membership.person, Membership.organisation).where(Membership.person.is_in(list(wanted))).order_by(Membership.id)
    links += await Invitation.select(Invitation.person, Invitation.organisation).where(Invitation.person.is_in(list(wanted))).order_by(Invitation.id)
    chosen: dict[int, int] = {}
    for link in links:
        if in_scope(scope, link["organisation"]):
            chosen.setdefault(link["person"], link["organisation"])
    if set(chosen) != wanted:
        return None
    return [(person_id, chosen[person_id]) for person_id in sorted(wanted)]


async def person_in_organisation(person_id: int, organisation_id: int) -> bool:
    on_roster = await Membership.exists().where((Membership.person == person_id) & (Membership.organisation == organisation_id))
    return on_roster or await Invitation.exists().where((Invitation.person == person_id) & (Invitation.organisation == organisation_id))


def _unique(pairs) -> list[tuple[int, int]]:
    seen: dict[int, int] = {}
    for person_id, organisation_id in pairs:
        seen.setdefault(person_id, organisation_id)
    return list(seen.items())
