"""The meeting's agenda: the opener and the chair holders add points, the
moderator orders them (up, down); a point is removed by its author or the
moderator. There is no approval or lock step (the pilot removed it). The
agenda changes until the meeting is closed."""

from __future__ import annotations

from piccolo.query.methods.select import Max

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.reasons import declare
from app.domain.participation.meeting_payloads import AddAgendaPoint, MoveAgendaPoint, RemoveAgendaPoint
from app.domain.participation.meetings import MEETING_PHASES, my_table
from app.domain.participation.reasons import CODES  # noqa: F401  (declares the shared codes answered here)
from app.domain.participation.text import one_line
from app.i18n import lazy
from app.storage.participation import AgendaPoint

AGENDA_CODES = declare(
    "participation",
    {
        "agenda_text_missing": lazy("Write the agenda point."),
        "agenda_point_unknown": lazy("This agenda point no longer exists."),
        "not_agenda_author": lazy("Only the opener and the chair holders add agenda points."),
        "not_agenda_orderer": lazy("Only the moderator orders the agenda (while there is none: the opener)."),
        "not_agenda_remover": lazy("Only the one who added this point or the moderator removes it."),
    },
)


async def agenda_of(table_id: int) -> list[dict]:
    return await (
        AgendaPoint.select(
            AgendaPoint.id,
            AgendaPoint.text,
            AgendaPoint.position,
            AgendaPoint.user,
            AgendaPoint.user.display_name.as_alias("author"),
        )
        .where(AgendaPoint.table == table_id)
        .order_by(AgendaPoint.position)
        .order_by(AgendaPoint.id)
    )


async def _point(point_id: int) -> dict:
    row = await AgendaPoint.select().where(AgendaPoint.id == point_id).first()
    if row is None:
        raise Rejected("not_found")
    return row


@handler("participation.add_agenda_point", AddAgendaPoint, codes=(*AGENDA_CODES, "table_closed", "not_visible"))
async def add_agenda_point(command: Command[AddAgendaPoint]) -> Effect:
    """Add a point to the meeting's agenda."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] not in MEETING_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if not (me.seat_role in ("opener", "chair") or me.is_moderator):
        raise Rejected("not_agenda_author", organisation_id=org)
    text = one_line(payload.text)
    if not text:
        raise Rejected("agenda_text_missing", "text", organisation_id=org)
    row = (
        await AgendaPoint.select(Max(AgendaPoint.position).as_alias("top"))
        .where(AgendaPoint.table == table["id"])
        .first()
    )
    position = int((row or {}).get("top") or 0) + 1
    rows = await AgendaPoint.insert(
        AgendaPoint(table=table["id"], user=me.member.user_id, text=text, position=position, created_at=utcnow())
    )
    return Effect(
        target_type="agenda_point",
        target_id=rows[0]["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "point_id": rows[0]["id"]},
    )


@handler("participation.move_agenda_point", MoveAgendaPoint, codes=(*AGENDA_CODES, "table_closed", "not_visible"))
async def move_agenda_point(command: Command[MoveAgendaPoint]) -> Effect:
    """Move an agenda point one place up or down."""
    point = await _point(command.payload.point_id)
    table, me = await my_table(command, point["table"], lock=True)
    point = await _point(point["id"])  # again under the table's lock: removed meanwhile is not_found
    org = table["organisation"]
    if table["phase"] not in MEETING_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if not (me.is_moderator or (table["moderator"] is None and me.seat_role == "opener")):
        raise Rejected("not_agenda_orderer", organisation_id=org)
    points = [row["id"] for row in await agenda_of(table["id"])]
    index = points.index(point["id"])
    other = index - 1 if command.payload.direction == "up" else index + 1
    if 0 <= other < len(points):
        points[index], points[other] = points[other], points[index]
        for position, point_id in enumerate(points, start=1):
            await AgendaPoint.update({AgendaPoint.position: position}).where(AgendaPoint.id == point_id)
    return Effect(
        target_type="agenda_point",
        target_id=point["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "order": points},
    )


@handler("participation.remove_agenda_point", RemoveAgendaPoint, codes=(*AGENDA_CODES, "table_closed", "not_visible"))
async def remove_agenda_point(command: Command[RemoveAgendaPoint]) -> Effect:
    """Remove an agenda point (its author or the moderator)."""
    point = await _point(command.payload.point_id)
    table, me = await my_table(command, point["table"], lock=True)
    point = await _point(point["id"])  # again under the table's lock: removed once, not twice
    org = table["organisation"]
    if table["phase"] not in MEETING_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if not (me.is_moderator or point["user"] == me.member.user_id):
        raise Rejected("not_agenda_remover", organisation_id=org)
    await AgendaPoint.delete().where(AgendaPoint.id == point["id"])
    return Effect(target_type="agenda_point", target_id=point["id"], organisation_id=org, ids={"table_id": table["id"]})
