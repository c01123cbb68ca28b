"""Action points: what, who (a participant, or a name typed in), a due date
and a status (open, doing, help needed, done). Participants (the opener,
chair holders, moderator and note-taker) add and edit them before, during
and after the meeting. Once the minutes are published only the status
changes (done, help needed...). Every change after an action point was
added is kept in ActionPointChange and shown as its history."""

from __future__ import annotations

from datetime import date

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.reasons import declare
from app.domain.participation.meeting_payloads import AddActionPoint, UpdateActionPoint
from app.domain.participation.meetings import my_table, participant_ids
from app.domain.participation.reasons import CODES  # noqa: F401  (declares the shared codes answered here)
from app.domain.participation.text import one_line
from app.i18n import lazy
from app.storage.participation import ActionPoint, ActionPointChange
from app.storage.tables import User

STATUSES = {
    "open": lazy("Open"),
    "doing": lazy("Being done"),
    "help": lazy("Help needed"),
    "done": lazy("Done"),
}

ACTION_CODES = declare(
    "participation",
    {
        "action_what_missing": lazy("Say what has to be done."),
        "action_who_unknown": lazy("Choose someone at this table, or type a name."),
        "action_due_invalid": lazy("Enter a real date, such as 15/01/2027."),
        "only_status_after_publication": lazy(
            "The minutes are published: only the status of an action point still changes."
        ),
    },
)


def _due(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Rejected("action_due_invalid", "due_on") from None


async def _who(table_id: int, who_id: int | None, moderators: set[int]) -> int | None:
    if who_id is None:
        return None
    if who_id not in set(await participant_ids(table_id)) | moderators:
        raise Rejected("action_who_unknown", "who_id")
    return who_id


async def actions_of(table_id: int) -> list[dict]:
    points = await (
        ActionPoint.select(*ActionPoint.all_columns(), ActionPoint.who.display_name.as_alias("who_name"))
        .where(ActionPoint.table == table_id)
        .order_by(ActionPoint.id)
    )
    if not points:
        return []
    changes = await (
        ActionPointChange.select(
            *ActionPointChange.all_columns(), ActionPointChange.user.display_name.as_alias("user_name")
        )
        .where(ActionPointChange.action_point.is_in([p["id"] for p in points]))
        .order_by(ActionPointChange.id)
    )
    for point in points:
        point["history"] = [change for change in changes if change["action_point"] == point["id"]]
    return points


@handler(
    "participation.add_action_point",
    AddActionPoint,
    codes=(*ACTION_CODES, "not_participant", "table_closed", "not_visible"),
)
async def add_action_point(command: Command[AddActionPoint]) -> Effect:
    """Add an action point: what, who, by when."""
    payload = command.payload
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] == "cancelled":
        raise Rejected("table_closed", organisation_id=org)
    if not me.is_participant:
        raise Rejected("not_participant", organisation_id=org)
    what = one_line(payload.what)
    errors = {}
    if not what:
        errors["what"] = "action_what_missing"
    try:
        due = _due(payload.due_on)
    except Rejected:
        errors["due_on"] = "action_due_invalid"
    try:
        who = await _who(table["id"], payload.who_id, {table["moderator"], table["note_taker"]} - {None})
    except Rejected:
        errors["who_id"] = "action_who_unknown"
    if errors:
        raise Rejected.each(errors, organisation_id=org)
    now = utcnow()
    rows = await ActionPoint.insert(
        ActionPoint(
            table=table["id"],
            what=what,
            who=who,
            who_text="" if who else " ".join(payload.who_text.split()),
            due_on=due,
            status=payload.status,
            created_at=now,
            updated_at=now,
        )
    )
    return Effect(
        target_type="action_point",
        target_id=rows[0]["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "action_point_id": rows[0]["id"]},
    )


@handler(
    "participation.update_action_point",
    UpdateActionPoint,
    codes=(*ACTION_CODES, "not_participant", "table_closed", "not_visible"),
)
async def update_action_point(command: Command[UpdateActionPoint]) -> Effect:
    """Change an action point (after publication: its status), kept as history."""
    payload = command.payload
    point = await ActionPoint.select().where(ActionPoint.id == payload.action_point_id).first()
    if point is None:
        raise Rejected("not_found")
    table, me = await my_table(command, point["table"], lock=True)
    org = table["organisation"]
    if table["phase"] == "cancelled":
        raise Rejected("table_closed", organisation_id=org)
    if not me.is_participant:
        raise Rejected("not_participant", organisation_id=org)
    new: dict = {"status": payload.status}
    if payload.what is not None:
        new["what"] = one_line(payload.what)
        if not new["what"]:
            raise Rejected("action_what_missing", "what", organisation_id=org)
    if payload.due_on is not None:
        new["due_on"] = _due(payload.due_on) if payload.due_on else None
    if payload.who_id is not None or payload.who_text is not None:
        who = await _who(table["id"], payload.who_id, {table["moderator"], table["note_taker"]} - {None})
        new["who"] = who
        new["who_text"] = "" if who else " ".join((payload.who_text or "").split())
    changed = {key: value for key, value in new.items() if point[key] != value}
    if table["phase"] == "held" and set(changed) - {"status"}:
        raise Rejected("only_status_after_publication", organisation_id=org)
    if not changed:
        return Effect(target_type="action_point", target_id=point["id"], organisation_id=org, ids={"changes": 0})
    now = utcnow()
    names: dict[int, str] = {}
    for user_id in {point["who"], new.get("who")} - {None}:
        row = await User.select(User.display_name).where(User.id == user_id).first()
        names[user_id] = row["display_name"] if row else ""

    def shown(key: str, value) -> str:
        if key == "who":
            return names.get(value, "") if value else ""
        return "" if value is None else str(value)

    for key, value in changed.items():
        await ActionPointChange.insert(
            ActionPointChange(
                action_point=point["id"],
                user=me.member.user_id,
                field=key,
                old=shown(key, point[key])[:300],
                new=shown(key, value)[:300],
                at=now,
            )
        )
    await ActionPoint.update(
        {**{getattr(ActionPoint, key): value for key, value in changed.items()}, ActionPoint.updated_at: now}
    ).where(ActionPoint.id == point["id"])
    return Effect(
        target_type="action_point",
        target_id=point["id"],
        organisation_id=org,
        ids={"table_id": table["id"], "changes": len(changed)},
    )
