"""The impact figures of seed 002's impact evaluation, per organisation and
period, per subgroup and in total: tables opened, meetings held, minutes
published and evaluations answered; and the people who registered but never
came back, with a nudge from their ambassador.

Definitions (ours):
- a table is counted in the subgroup it belongs to (its `unit`; a table of
  the whole organisation under "whole organisation"); practice tables are
  left out;
- opened: created in the period; held: closed in the period (phase held);
  minutes published: published in the period; evaluations answered: given
  in the period;
- registered: a worker account of the organisation (an active account with
  a worker or ambassador role there) that has a password or a PIN;
- never came back: no login on any day after the day the account was
  created (Brussels time), and that first day is over.

`participation.nudge` {user_id}: an ambassador (or an admin of the
organisation) sends such a person a friendly mail in their own language.
At most one nudge per person per NUDGE_DAYS (7) days, our choice; a person
without an e-mail address cannot be nudged by mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.querystring import QueryString

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import Id, Payload
from app.domain.core.reasons import declare
from app.domain.participation.barometer import Period
from app.domain.participation.people import TAKING_PART, organisation_name, unit_labels
from app.i18n import TIMEZONE, lazy
from app.storage import db
from app.storage.participation import Nudge
from app.storage.tables import RoleGrant, User

NUDGE_DAYS = 7
MANAGE = "participation.manage"
FIGURES = ("opened", "held", "published", "answered")

NUDGE_CODES = declare(
    "participation",
    {
        "nudged_recently": lazy(
            "This person was reminded less than %(days)d days ago. You can send the next reminder from %(date)s."
        ),
        "no_email": lazy("This person has no e-mail address. Reach them another way: in person or at the kiosk."),
    },
)


class NudgePerson(Payload, frozen=True, kw_only=True):
    """participation.nudge: remind someone who registered but never came back."""

    user_id: Id
    # The organisation the reminder is about, when the person is in several.
    organisation_id: Id | None = None


@dataclass(frozen=True)
class Figures:
    key: int | None  # the unit id (None: the whole organisation)
    label: str
    opened: int = 0
    held: int = 0
    published: int = 0
    answered: int = 0


@dataclass(frozen=True)
class Dormant:
    """A person who registered but never came back."""

    user_id: int
    name: str
    registered_at: datetime
    last_login_at: datetime | None
    has_email: bool
    nudged_at: datetime | None

    @property
    def next_nudge(self) -> datetime | None:
        return self.nudged_at + timedelta(days=NUDGE_DAYS) if self.nudged_at else None

    @property
    def may_nudge(self) -> bool:
        return self.has_email and (self.next_nudge is None or utcnow() >= self.next_nudge)


async def _query(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await db.engine().run_querystring(QueryString(sql, *args))


_COUNTS = {
    "opened": (
        'SELECT t."unit" AS unit, COUNT(*) AS n FROM "participation_table" t WHERE t."organisation" = {} '
        'AND NOT t."practice" AND t."created_at" >= {} AND t."created_at" < {} GROUP BY t."unit"'
    ),
    "held": (
        'SELECT t."unit" AS unit, COUNT(*) AS n FROM "participation_table" t WHERE t."organisation" = {} '
        """AND NOT t."practice" AND t."phase" = 'held' AND t."closed_at" >= {} AND t."closed_at" < {} """
        'GROUP BY t."unit"'
    ),
    "published": (
        'SELECT t."unit" AS unit, COUNT(*) AS n FROM "minutes" m JOIN "participation_table" t ON t."id" = m."table" '
        'WHERE t."organisation" = {} AND NOT t."practice" AND m."published_at" >= {} AND m."published_at" < {} '
        'GROUP BY t."unit"'
    ),
    "answered": (
        'SELECT t."unit" AS unit, COUNT(*) AS n FROM "evaluation" e JOIN "participation_table" t ON t."id" = e."table" '
        'WHERE e."organisation" = {} AND NOT t."practice" AND e."created_at" >= {} AND e."created_at" < {} '
        'GROUP BY t."unit"'
    ),
}


async def figures(organisation_id: int, period: Period, *, whole: str = "") -> tuple[list[Figures], Figures]:
    """The four counts per subgroup (those with any), and their total."""
    counts: dict[int | None, dict[str, int]] = {}
    for name, sql in _COUNTS.items():
        for row in await _query(sql, organisation_id, period.start, period.end):
            counts.setdefault(row["unit"], {})[name] = int(row["n"])
    labels = await unit_labels(organisation_id)
    rows = [
        Figures(unit, labels.get(unit, whole) if unit is not None else whole, **values)
        for unit, values in counts.items()
    ]
    rows.sort(key=lambda row: (row.key is not None, row.label))
    total = Figures(None, "", **{name: sum(getattr(row, name) for row in rows) for name in FIGURES})
    return rows, total


def _day(moment: datetime):
    return moment.astimezone(TIMEZONE).date()


async def never_came_back(organisation_id: int, now: datetime | None = None) -> list[Dormant]:
    """Registered workers of the organisation without a login on a later day
    than their first one, oldest registration first."""
    now = now or utcnow()
    grants = await RoleGrant.select(RoleGrant.user).where(
        (RoleGrant.organisation == organisation_id) & RoleGrant.role.is_in(list(TAKING_PART))
    )
    ids = sorted({grant["user"] for grant in grants})
    if not ids:
        return []
    users = await User.select(
        User.id, User.display_name, User.email, User.created_at, User.last_login_at, User.password_hash, User.pin_hash
    ).where(User.id.is_in(ids) & (User.is_active == True))  # noqa: E712 (a Piccolo expression)
    today = _day(now)
    found = []
    for user in users:
        if not (user["password_hash"] or user["pin_hash"]):
            continue  # invited or imported, not registered
        first_day = _day(user["created_at"])
        if first_day >= today:
            continue  # their first day is not over
        last = user["last_login_at"]
        if last is not None and _day(last) > first_day:
            continue  # came back
        found.append(user)
    nudged = await _last_nudges(organisation_id, [user["id"] for user in found])
    people = [
        Dormant(
            user_id=user["id"],
            name=user["display_name"],
            registered_at=user["created_at"],
            last_login_at=user["last_login_at"],
            has_email=bool(user["email"]),
            nudged_at=nudged.get(user["id"]),
        )
        for user in found
    ]
    return sorted(people, key=lambda person: (person.registered_at, person.user_id))


async def _last_nudges(organisation_id: int, user_ids: list[int]) -> dict[int, datetime]:
    if not user_ids:
        return {}
    rows = await (
        Nudge.select(Nudge.user, Nudge.at)
        .where((Nudge.organisation == organisation_id) & Nudge.user.is_in(user_ids))
        .order_by(Nudge.at)
    )
    return {row["user"]: row["at"] for row in rows}


async def _organisation_of(actor_scope: frozenset[int] | None, user_id: int, wanted: int | None) -> int:
    """The organisation where the person takes part and the actor manages participation."""
    grants = await RoleGrant.select(RoleGrant.organisation).where(
        (RoleGrant.user == user_id) & RoleGrant.role.is_in(list(TAKING_PART))
    )
    shared = sorted(
        {
            grant["organisation"]
            for grant in grants
            if grant["organisation"] is not None and (actor_scope is None or grant["organisation"] in actor_scope)
        }
    )
    if wanted is not None:
        shared = [org for org in shared if org == wanted]
    if not shared:
        raise Rejected("not_found")
    return shared[0]


@handler("participation.nudge", NudgePerson, codes=("nudged_recently", "no_email"))
async def nudge(command: Command[NudgePerson]) -> Effect:
    """Remind a person who registered but never came back (a friendly mail)."""
    from app.domain.mail import queue_mail

    actor = await acting(command, MANAGE)
    payload = command.payload
    organisation_id = await _organisation_of(actor.scope, payload.user_id, payload.organisation_id)
    await db.lock(User, payload.user_id)  # parallel nudges of one person take turns
    person = await (
        User.select(User.id, User.email, User.display_name, User.language, User.is_active)
        .where(User.id == payload.user_id)
        .first()
    )
    if person is None or not person["is_active"]:
        raise Rejected("not_found")
    now = utcnow()
    last = await (
        Nudge.select(Nudge.at)
        .where((Nudge.organisation == organisation_id) & (Nudge.user == person["id"]))
        .order_by(Nudge.at, ascending=False)
        .first()
    )
    if last is not None and now < last["at"] + timedelta(days=NUDGE_DAYS):
        from app.i18n import format_date

        raise Rejected(
            "nudged_recently",
            organisation_id=organisation_id,
            days=NUDGE_DAYS,
            date=format_date(last["at"] + timedelta(days=NUDGE_DAYS), "long"),
        )
    if not person["email"]:
        raise Rejected("no_email", organisation_id=organisation_id)
    rows = await Nudge.insert(Nudge(organisation=organisation_id, user=person["id"], by=actor.id, at=now))
    sender = actor.user.display_name if actor.user else ""
    await queue_mail(
        to=person["email"],
        template="participation_nudge",
        language=person["language"] or "nl",
        context={
            "name": person["display_name"],
            "organisation": await organisation_name(organisation_id) or "",
            "sender": sender,
            "path": f"/participation?organisation={organisation_id}",
        },
    )
    return Effect(
        target_type="user",
        target_id=person["id"],
        organisation_id=organisation_id,
        ids={"user_id": person["id"], "nudge_id": rows[0]["id"]},
    )


__all__ = ["FIGURES", "NUDGE_DAYS", "Dormant", "Figures", "NudgePerson", "figures", "never_came_back"]
