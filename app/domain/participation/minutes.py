"""The meeting's minutes: one text per table, written live by the note-taker
(or the moderator; while neither is chosen, the opener) from a template
(present, the agenda points one by one, decisions, action points).

Minutes are written at any time before the meeting is closed: before, during
or after the planned hours (the pilot's app refused them outside set hours,
the most common reason for missing minutes). Every save names the version it
was based on; a save on an older version is refused as a conflict (the page
then shows both texts), never written over. Closing the meeting publishes
them; published minutes are read-only.
"""

from __future__ import annotations

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.reasons import declare
from app.domain.participation.meeting_payloads import SaveMinutes
from app.domain.participation.meetings import MEETING_PHASES, Place, my_table
from app.domain.participation.reasons import CODES  # noqa: F401  (declares the shared codes answered here)
from app.i18n import _, lazy
from app.storage.participation import Minutes

MINUTES_CODES = declare(
    "participation",
    {
        "minutes_conflict": lazy(
            "Someone else saved the minutes meanwhile (version %(version)d). Your text is not lost: "
            "it is shown below beside the saved one. Merge them and save again."
        ),
        "not_minutes_writer": lazy(
            "These minutes are the note-taker's and the moderator's: only they edit them. "
            "You can read them here as they are written."
        ),
        "minutes_published": lazy("These minutes are published and can no longer be changed."),
    },
)


def may_write(table: dict, me: Place) -> bool:
    if me.is_note_taker or me.is_moderator:
        return True
    return table["note_taker"] is None and table["moderator"] is None and me.seat_role == "opener"


def template(present: list[str], agenda: list[str]) -> str:
    """The starting text of the minutes, in the current language."""
    lines = [f"## {_('Present')}", *(f"- {name}" for name in present), ""]
    for number, point in enumerate(agenda, start=1):
        lines += [f"## {number}. {point}", "", ""]
    lines += [f"## {_('Decisions')}", "- ", "", f"## {_('Action points')}", "- ", ""]
    return "\n".join(lines)


async def minutes_of(table_id: int) -> dict | None:
    return await (
        Minutes.select(
            Minutes.id,
            Minutes.body,
            Minutes.version,
            Minutes.updated_at,
            Minutes.published_at,
            Minutes.updated_by.display_name.as_alias("updated_by_name"),
        )
        .where(Minutes.table == table_id)
        .first()
    )


@handler(
    "participation.save_minutes",
    SaveMinutes,
    codes=(*MINUTES_CODES, "table_closed", "not_visible"),
)
async def save_minutes(command: Command[SaveMinutes]) -> Effect:
    """Save the minutes, based on the version the writer last saw."""
    payload = command.payload
    # The table row is the turn parallel savers take.
    table, me = await my_table(command, payload.table_id, lock=True)
    org = table["organisation"]
    if table["phase"] == "held":
        raise Rejected("minutes_published", organisation_id=org)
    if table["phase"] not in MEETING_PHASES:
        raise Rejected("table_closed", organisation_id=org)
    if not may_write(table, me):
        raise Rejected("not_minutes_writer", organisation_id=org)
    stored = await Minutes.select(Minutes.id, Minutes.version, Minutes.body).where(Minutes.table == table["id"]).first()
    current = stored["version"] if stored else 0
    if payload.version != current:
        raise Rejected("minutes_conflict", "body", organisation_id=org, version=current)
    now = utcnow()
    version = current + 1
    if stored is None:
        await Minutes.insert(
            Minutes(table=table["id"], body=payload.body, version=version, updated_by=me.member.user_id, updated_at=now)
        )
    else:
        if stored["body"] == payload.body:
            return Effect(target_type="minutes", target_id=table["id"], organisation_id=org, ids={"version": current})
        await Minutes.update(
            {
                Minutes.body: payload.body,
                Minutes.version: version,
                Minutes.updated_by: me.member.user_id,
                Minutes.updated_at: now,
            }
        ).where((Minutes.id == stored["id"]) & (Minutes.version == current))
    return Effect(target_type="minutes", target_id=table["id"], organisation_id=org, ids={"version": version})
