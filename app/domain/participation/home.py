"""The worker-facing participation pages' queries: the worker's home, a
table's page, the organisation page (tables by phase, published minutes
searchable) and the wallet's history. Queries only: every change is a
command (tables, table_actions, leaving).

Names go through app.domain.participation.names: people who left are "a
former participant".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.core.access import CurrentUser
from app.domain.core.pagination import Page, clamp, contains, page_number
from app.domain.participation.announcements import recent_for
from app.domain.participation.evaluations import waiting
from app.domain.participation.goals import Progress, current_progress
from app.domain.participation.names import display_names, former, seat_name
from app.domain.participation.people import Member, member, members_of, subgroups
from app.domain.participation.setup import Settings, settings_of
from app.domain.participation.tables import OPEN_PHASES
from app.domain.participation.visibility import sees_minutes, sees_table
from app.domain.participation.wallet import Balance, _wallet_id, balance_now, history
from app.i18n import lazy
from app.storage.participation import (
    ActionPoint,
    Evaluation,
    Minutes,
    ParticipationTable,
    Room,
    Seat,
    TableInvite,
    TableMessage,
)

PHASES = ("proposed", "planned", "running", "held", "cancelled")

PHASE_LABELS = {
    "proposed": lazy("Looking for chairs"),
    "planned": lazy("Date set"),
    "running": lazy("Meeting in progress"),
    "held": lazy("Held"),
    "evaluated": lazy("Held and evaluated"),
    "cancelled": lazy("Cancelled"),
}

CHANNEL_LABELS = {
    "web": lazy("on the website"),
    "paper": lazy("on paper"),
    "sms": lazy("by text message"),
    "kiosk": lazy("at a kiosk"),
}

REASON_LABELS = {
    "refill": lazy("Coins of the new period"),
    "table": lazy("Opened a table"),
    "chair": lazy("Bought a chair"),
    "refund": lazy("Coins given back"),
    "returned": lazy("Coins returned: the meeting was completed"),
    "practice": lazy("Play coins for practice"),
}

STATUS_LABELS = {
    "open": lazy("open"),
    "doing": lazy("in progress"),
    "help": lazy("help needed"),
    "done": lazy("done"),
}

SUMMARY_COLUMNS = (
    ParticipationTable.id,
    ParticipationTable.title,
    ParticipationTable.phase,
    ParticipationTable.unit,
    ParticipationTable.organisation,
    ParticipationTable.practice,
    ParticipationTable.min_chairs,
    ParticipationTable.max_chairs,
    ParticipationTable.chair_price,
    ParticipationTable.starts_at,
    ParticipationTable.place,
    ParticipationTable.created_at,
    ParticipationTable.room.name.as_alias("room_name"),
)


async def _chair_counts(table_ids: list[int]) -> dict[int, int]:
    if not table_ids:
        return {}
    rows = await Seat.select(Seat.table).where(
        Seat.table.is_in(table_ids) & (Seat.role == "chair") & Seat.refunded_at.is_null() & Seat.left_at.is_null()
    )
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["table"]] = counts.get(row["table"], 0) + 1
    return counts


async def _my_seats(member: Member) -> dict[int, dict]:
    """{table id: my current seat} at the organisation's tables."""
    rows = await Seat.select(Seat.id, Seat.table, Seat.role, Seat.coins).where(
        (Seat.user == member.user_id)
        & (Seat.table.organisation == member.organisation_id)
        & Seat.refunded_at.is_null()
        & Seat.left_at.is_null()
    )
    return {row["table"]: row for row in rows}


async def _my_invites(member: Member) -> set[int]:
    rows = await TableInvite.select(TableInvite.table).where(
        (TableInvite.user == member.user_id) & (TableInvite.table.organisation == member.organisation_id)
    )
    return {row["table"] for row in rows}


def _with_counts(rows: list[dict], counts: dict[int, int]) -> list[dict]:
    for row in rows:
        row["chairs"] = counts.get(row["id"], 0)
        row["needed"] = max(0, row["min_chairs"] - row["chairs"])
        row["room_left"] = row["chairs"] < row["max_chairs"]
    return rows


@dataclass
class Home:
    member: Member
    real: Balance
    play: Balance | None
    settings: Settings
    joinable: list[dict]
    invited: list[dict]
    mine: list[dict]
    action_points: list[dict]
    goal: Progress | None
    # Held meetings the person has still to evaluate.
    evaluations: list[dict] = field(default_factory=list)
    # The latest "what we did" of held tables the person may read.
    outcomes: list[dict] = field(default_factory=list)
    announcements: list[dict] = field(default_factory=list)


async def home_of(member: Member) -> Home:
    """What the worker's home shows for one organisation."""
    org = member.organisation_id
    seats = await _my_seats(member)
    invites = await _my_invites(member)
    query = ParticipationTable.select(*SUMMARY_COLUMNS).where(
        (ParticipationTable.organisation == org) & ParticipationTable.phase.is_in([*OPEN_PHASES, "running"])
    )
    rows = await query.order_by(ParticipationTable.created_at, ascending=False)
    visible = [row for row in rows if sees_table(member, row, seated=row["id"] in seats or row["id"] in invites)]
    _with_counts(visible, await _chair_counts([row["id"] for row in visible]))
    mine = [row for row in visible if row["id"] in seats]
    for row in mine:
        row["role"] = seats[row["id"]]["role"]
    mine.sort(key=lambda row: (row["starts_at"] is None, row["starts_at"] or row["created_at"]))
    open_rows = [row for row in visible if row["id"] not in seats and row["phase"] in OPEN_PHASES and row["room_left"]]
    invited = [row for row in open_rows if row["id"] in invites]
    joinable = [row for row in open_rows if row["id"] not in invites and sees_table(member, row)]
    points = await (
        ActionPoint.select(
            ActionPoint.id,
            ActionPoint.what,
            ActionPoint.due_on,
            ActionPoint.status,
            ActionPoint.table,
            ActionPoint.table.title.as_alias("table_title"),
        )
        .where(
            (ActionPoint.who == member.user_id)
            & (ActionPoint.status != "done")
            & (ActionPoint.table.organisation == org)
        )
        .order_by(ActionPoint.due_on)
    )
    play_wallet = await _wallet_id(org, member.user_id, "play")
    return Home(
        member=member,
        real=await balance_now(org, member.user_id, "real"),
        play=await balance_now(org, member.user_id, "play") if play_wallet else None,
        settings=await settings_of(org),
        joinable=joinable,
        invited=invited,
        mine=mine,
        action_points=points,
        goal=await current_progress(org),
        evaluations=await waiting(member.user_id, org, limit=5),
        outcomes=await _outcomes(member, set(seats)),
        announcements=await recent_for(member, limit=3),
    )


async def _outcomes(member: Member, seated: set[int], limit: int = 5) -> list[dict]:
    """Employers must show that results are acted on: the latest outcomes."""
    rows = await (
        ParticipationTable.select(
            ParticipationTable.id,
            ParticipationTable.title,
            ParticipationTable.outcome,
            ParticipationTable.outcome_at,
            ParticipationTable.organisation,
            ParticipationTable.unit,
            ParticipationTable.visibility,
        )
        .where(
            (ParticipationTable.organisation == member.organisation_id)
            & (ParticipationTable.phase == "held")
            & (ParticipationTable.outcome != "")
        )
        .order_by(ParticipationTable.outcome_at, ascending=False)
        .limit(50)
    )
    return [row for row in rows if sees_minutes(member, row, seated=row["id"] in seated)][:limit]


async def wallet_of(member: Member) -> dict[str, Any]:
    """The person's coin movements (real and play), with the tables' titles."""
    org = member.organisation_id
    kinds = {}
    table_ids: set[int] = set()
    for kind in ("real", "play"):
        entries = await history(org, member.user_id, kind, limit=200)
        kinds[kind] = entries
        table_ids |= {entry["table_id"] for entry in entries if entry["table_id"]}
    titles = {}
    if table_ids:
        rows = await ParticipationTable.select(ParticipationTable.id, ParticipationTable.title).where(
            ParticipationTable.id.is_in(sorted(table_ids)) & (ParticipationTable.organisation == org)
        )
        titles = {row["id"]: row["title"] for row in rows}
    return {
        "real": await balance_now(org, member.user_id, "real"),
        "play": await balance_now(org, member.user_id, "play") if kinds["play"] else None,
        "entries": kinds,
        "titles": titles,
    }


@dataclass
class TableView:
    table: dict
    member: Member
    room: str
    author: str
    opened_by: str | None  # the ambassador who typed it in, when on behalf
    seats: list[dict]  # {name, role, mine}
    chairs: int
    needed: int
    seat: dict | None  # mine
    invited: bool
    is_open: bool
    balance: Balance
    settings: Settings
    messages: list[dict]
    invitees: list[dict]  # colleagues I may invite {user_id, name}
    invitations: list[str]  # names of who is invited (not seated)
    moderator: str | None
    note_taker: str | None
    can: dict[str, bool] = field(default_factory=dict)


async def sees(member: Member, table: dict) -> bool:
    """Whether the member may see the table: its subgroup, or seated, or invited."""
    seated = await Seat.exists().where(
        (Seat.table == table["id"])
        & (Seat.user == member.user_id)
        & Seat.refunded_at.is_null()
        & Seat.left_at.is_null()
    )
    if seated:
        return True
    invited = await TableInvite.exists().where(
        (TableInvite.table == table["id"]) & (TableInvite.user == member.user_id)
    )
    return sees_table(member, table, seated=invited)


async def table_of(table_id: int) -> dict | None:
    return await ParticipationTable.select().where(ParticipationTable.id == table_id).first()


async def table_page(table_id: int, user: CurrentUser) -> TableView | str | None:
    """The table's page for the user: None when it is missing or of an
    organisation where they have no place (a plain 404), "not_visible" for
    a table of a subgroup they cannot see."""
    table = await table_of(table_id)
    if table is None:
        return None
    me = await member(user.id, table["organisation"], user=user)
    if me is None or not (me.takes_part or me.is_admin):
        return None
    if not await sees(me, table):
        return "not_visible"
    return await table_view(table, me)


async def table_view(table: dict, member: Member) -> TableView:
    """A table's page for a member who sees it (check `sees` first)."""
    org = table["organisation"]
    seats = await (
        Seat.select(Seat.id, Seat.user, Seat.role, Seat.left_at, Seat.coins)
        .where((Seat.table == table["id"]) & Seat.refunded_at.is_null())
        .order_by(Seat.id)
    )
    messages = await (
        TableMessage.select(TableMessage.id, TableMessage.user, TableMessage.body, TableMessage.created_at)
        .where(TableMessage.table == table["id"])
        .order_by(TableMessage.id)
    )
    invites = await TableInvite.select(TableInvite.user).where(TableInvite.table == table["id"])
    people = (
        {seat["user"] for seat in seats}
        | {m["user"] for m in messages}
        | {i["user"] for i in invites}
        | {table["opener"], table["opened_by"], table["moderator"], table["note_taker"]}
    )
    names = await display_names(people, org)
    room = await Room.select(Room.name).where(Room.id == table["room"]).first()
    mine = next((s for s in seats if s["user"] == member.user_id and s["left_at"] is None), None)
    opener_seat = next((s for s in seats if s["role"] == "opener"), None)
    chairs = sum(1 for s in seats if s["role"] == "chair" and s["left_at"] is None)
    is_open = table["phase"] in OPEN_PHASES
    seated_ids = {s["user"] for s in seats if s["left_at"] is None}
    invited_ids = {i["user"] for i in invites}
    holds = mine is not None and mine["role"] in ("opener", "chair")
    can_invite = is_open and (holds or member.is_ambassador) and member.takes_part
    invitees: list[dict] = []
    if can_invite:
        candidates = await members_of(org, None if member.is_ambassador or table["unit"] is None else table["unit"])
        invitees = [
            c for c in candidates if c["user_id"] not in seated_ids | invited_ids and c["user_id"] != member.user_id
        ]

    def name(user_id: int | None) -> str | None:
        return names.get(user_id, former()) if user_id is not None else None

    author = seat_name(opener_seat, names) if opener_seat else (name(table["opener"]) or former())
    opened_by = None
    if table["opened_by"] is not None and table["opened_by"] != table["opener"]:
        opened_by = name(table["opened_by"])
    return TableView(
        table=table,
        member=member,
        room=room["name"] if room else "",
        author=author,
        opened_by=opened_by,
        seats=[{"name": seat_name(s, names), "role": s["role"], "mine": s is mine} for s in seats],
        chairs=chairs,
        needed=max(0, table["min_chairs"] - chairs),
        seat=mine,
        invited=member.user_id in invited_ids,
        is_open=is_open,
        balance=await balance_now(org, member.user_id, "play" if table["practice"] else "real"),
        settings=await settings_of(org),
        messages=[{**m, "name": name(m["user"]) or former()} for m in messages],
        invitees=invitees,
        invitations=[name(i["user"]) or former() for i in invites if i["user"] not in seated_ids],
        moderator=name(table["moderator"]),
        note_taker=name(table["note_taker"]),
        can={
            "buy": is_open and mine is None and chairs < table["max_chairs"] and member.takes_part,
            "give_back": is_open and mine is not None and mine["role"] == "chair",
            "cancel": is_open and (table["opener"] == member.user_id or member.is_ambassador or member.is_admin),
            "invite": can_invite,
            "post": is_open and (holds or table["moderator"] == member.user_id),
            "make_real": is_open and table["practice"] and (table["opener"] == member.user_id or member.is_ambassador),
        },
    )


async def open_form_of(member: Member) -> dict[str, Any]:
    """What the "open a table" form offers the member."""
    org = member.organisation_id
    rooms = await (
        Room.select(Room.id, Room.name, Room.description)
        .where((Room.organisation == org) & (Room.archived == False))  # noqa: E712 (a Piccolo expression)
        .order_by(Room.position)
        .order_by(Room.id)
    )
    play_wallet = await _wallet_id(org, member.user_id, "play")
    return {
        "rooms": rooms,
        "settings": await settings_of(org),
        "real": await balance_now(org, member.user_id, "real"),
        "play": await balance_now(org, member.user_id, "play") if play_wallet else None,
        "colleagues": await members_of(org) if member.is_ambassador else [],
        "subgroups": await subgroups(org) if member.is_ambassador else [],
    }


async def organisation_tables(member: Member, per_phase: int = 50) -> dict[str, dict[str, Any]]:
    """The tables the member sees, by phase: proposed, planned (a running
    meeting included), held, evaluated (held with at least one evaluation),
    cancelled. {phase: {"rows": [...] (latest first, at most per_phase), "total": n}}."""
    org = member.organisation_id
    seats = await _my_seats(member)
    invites = await _my_invites(member)
    rows = await (
        ParticipationTable.select(*SUMMARY_COLUMNS)
        .where(ParticipationTable.organisation == org)
        .order_by(ParticipationTable.created_at, ascending=False)
    )
    visible = [row for row in rows if sees_table(member, row, seated=row["id"] in seats or row["id"] in invites)]
    held_ids = [row["id"] for row in visible if row["phase"] == "held"]
    evaluated: set[int] = set()
    if held_ids:
        evaluated = {
            row["table"] for row in await Evaluation.select(Evaluation.table).where(Evaluation.table.is_in(held_ids))
        }
    groups: dict[str, dict[str, Any]] = {
        phase: {"rows": [], "total": 0} for phase in ("proposed", "planned", "held", "evaluated", "cancelled")
    }
    for row in visible:
        phase = row["phase"]
        if phase == "running":
            phase = "planned"
        elif phase == "held" and row["id"] in evaluated:
            phase = "evaluated"
        group = groups.get(phase)
        if group is None:
            continue
        group["total"] += 1
        if len(group["rows"]) < per_phase:
            group["rows"].append(row)
    shown = [row["id"] for group in groups.values() for row in group["rows"]]
    counts = await _chair_counts(shown)
    for group in groups.values():
        _with_counts(group["rows"], counts)
    return groups


async def search_minutes(member: Member, words: str, number: int = 1, per_page: int = 10) -> Page:
    """Published minutes the member may read, newest first; every word must
    appear in the table's title or the minutes' text (case-insensitive)."""
    org = member.organisation_id
    published = await (
        Minutes.select(
            Minutes.table,
            Minutes.body,
            Minutes.published_at,
            Minutes.table.title.as_alias("title"),
            Minutes.table.unit.as_alias("unit"),
            Minutes.table.visibility.as_alias("visibility"),
            Minutes.table.organisation.as_alias("organisation"),
            Minutes.table.closed_at.as_alias("closed_at"),
        )
        .where(Minutes.published_at.is_not_null() & (Minutes.table.organisation == org))
        .order_by(Minutes.published_at, ascending=False)
    )
    if not published:
        return Page([], 1, per_page, 0)
    seats = await _my_seats(member)
    readable = [row for row in published if sees_minutes(member, row, seated=row["table"] in seats)]
    terms = [term for term in words.split() if term][:8]
    if terms and readable:
        ids = [row["table"] for row in readable]
        for term in terms:
            in_title = {
                row["id"]
                for row in await ParticipationTable.select(ParticipationTable.id).where(
                    ParticipationTable.id.is_in(ids) & contains(("title",), term)
                )
            }
            in_body = {
                row["table"]
                for row in await Minutes.select(Minutes.table).where(
                    Minutes.table.is_in(ids) & contains(("body",), term)
                )
            }
            ids = [table_id for table_id in ids if table_id in in_title | in_body]
            if not ids:
                break
        keep = set(ids)
        readable = [row for row in readable if row["table"] in keep]
    total = len(readable)
    number = clamp(page_number(number), total, per_page)
    items = readable[(number - 1) * per_page : number * per_page]
    for row in items:
        text = " ".join(row["body"].split())
        row["excerpt"] = text[:240] + ("…" if len(text) > 240 else "")
    return Page(items, number, per_page, total)


async def removable_people(member: Member) -> list[dict]:
    """The people taking part in the member's organisation, besides the
    member ({user_id, name, unit}), for the removal page."""
    labels = {unit["id"]: unit["label"] for unit in await subgroups(member.organisation_id)}
    return [
        {**person, "unit": labels.get(person["unit_id"], "")}
        for person in await members_of(member.organisation_id)
        if person["user_id"] != member.user_id
    ]


__all__ = [
    "CHANNEL_LABELS",
    "PHASE_LABELS",
    "REASON_LABELS",
    "STATUS_LABELS",
    "Home",
    "TableView",
    "home_of",
    "open_form_of",
    "organisation_tables",
    "removable_people",
    "search_minutes",
    "sees",
    "table_of",
    "table_page",
    "table_view",
    "wallet_of",
]
