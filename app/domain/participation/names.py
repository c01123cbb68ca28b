"""How participation pages name people: a person who left participation
(participation.leave), whose account is closed or gone, is "a former
participant". Past minutes, messages and evaluations keep their content;
only the name is replaced (issue 11, point 10).

    names = await display_names({seat["user"] for seat in seats}, organisation_id)
    names.get(user_id, former())   # a missing id (a deleted account) reads as a former participant

A seat with `left_at` set is named with `seat_name()`, whatever the person
does later (the seat belongs to the time they were there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.participation.people import departed_ids
from app.i18n import _, lazy
from app.storage.tables import User

FORMER = lazy("a former participant")


def former() -> str:
    """ "a former participant", in the current language."""
    return _(FORMER)


async def display_names(user_ids: Iterable[int | None], organisation_id: int) -> dict[int, str]:
    """{user id: the name to show} for the given people, with departed,
    closed and missing accounts named "a former participant"."""
    wanted = sorted({user_id for user_id in user_ids if user_id is not None})
    if not wanted:
        return {}
    rows = await User.select(User.id, User.display_name, User.is_active).where(User.id.is_in(wanted))
    gone = await departed_ids(organisation_id)
    names = {user_id: former() for user_id in wanted}
    for row in rows:
        if row["is_active"] and row["id"] not in gone:
            names[row["id"]] = row["display_name"] or former()
    return names


def seat_name(seat: Mapping[str, Any], names: Mapping[int, str]) -> str:
    """The name of the person on a seat (a left seat: a former participant)."""
    if seat.get("left_at") is not None or seat.get("user") is None:
        return former()
    return names.get(seat["user"], former())


__all__ = ["FORMER", "display_names", "former", "seat_name"]
