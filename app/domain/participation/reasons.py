"""The participation area's refusals that more than one module answers,
declared once (app.domain.core.reasons). A module with codes of its own
declares them beside its handlers."""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.i18n import lazy

CODES = declare(
    "participation",
    {
        "not_enough_coins": lazy("You do not have enough coins for this: you have %(balance)d, it costs %(price)d."),
        "play_coins_on_real_table": lazy(
            "Play coins are for practice tables only: this table is a real one, paid with real coins."
        ),
        "table_closed": lazy("This table no longer takes changes: its meeting has started, ended or was cancelled."),
        "table_full": lazy("This table is full: all %(max)d chairs are taken."),
        "already_seated": lazy("You already have a seat at this table."),
        "not_visible": lazy("This table belongs to a subgroup you cannot see."),
        "not_participant": lazy("Only the people at this table can do this."),
        "not_moderator": lazy("Only the moderator of this table can do this."),
        "already_evaluated": lazy("You already answered the evaluation of this meeting: you can change your answer."),
        "room_unknown": lazy("Choose a room from the list."),
        "not_member": lazy("You do not take part in this organisation."),
    },
)
