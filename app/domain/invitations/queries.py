"""Reads of invitations for staff pages: the list (status filter, name
search, pagination) and one invitation with its history, code and link.

Statuses come from the lifecycle (app.domain.invitations.lifecycle): an open
invitation past its expiry shows as expired even before the daily job marks
it (`status_of`).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from app.domain.admin import unit_choices
from app.domain.core.access import Reach
from app.domain.core.commands import utcnow
from app.domain.core.pagination import Page, clamp, contains
from app.domain.invitations import secrets, single
from app.domain.invitations.lifecycle import INVITATION, OPEN, STATUSES, status_of, status_where
from app.i18n import lazy
from app.storage.people import Invitation, Person
from app.storage.tables import Organisation, User

__all__ = ["OPEN", "STATUSES", "get_invitation", "list_invitations", "organisations_for", "unit_groups"]

STATUS_LABELS = {
    "created": lazy("Created"),
    "sent": lazy("Sent"),
    "opened": lazy("Opened"),
    "registered": lazy("Registered"),
    "expired": lazy("Expired"),
    "revoked": lazy("Revoked"),
}
DELIVERY_LABELS = {"email": lazy("E-mail"), "paper": lazy("Printed sheet"), "both": lazy("E-mail and printed sheet")}
PER_PAGE = 25
MAX_SEARCH_WORDS = 5


def _fold(text: str) -> str:
    """Like the person's match key: no accents, case-folded, hyphens as
    spaces (SQLite's lower() knows only ASCII, so we search the folded key)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("-", " ").replace("|", " ")
    )


def _name_where(search: str):
    """Every word of the search must occur in the first or last name."""
    people = Person.select(Person.id)
    for word in _fold(search).split()[:MAX_SEARCH_WORDS]:
        people = people.where(contains(('"person"."match_key"',), word))
    return Invitation.person.is_in(people)


LIST_COLUMNS = (
    Invitation.id,
    Invitation.status,
    Invitation.delivery,
    Invitation.expires_at,
    Invitation.created_at,
    Invitation.sent_at,
    Invitation.organisation,
    Invitation.person.last_name.as_alias("last_name"),
    Invitation.person.first_name.as_alias("first_name"),
    Invitation.organisation.name.as_alias("organisation_name"),
)


def in_reach(reach: Reach):
    """Invitations within `reach` (by organisation and unit), or None: all."""
    return reach.where(Invitation.organisation, Invitation.unit.path)


async def list_invitations(reach: Reach, search: str, status: str, number: int, now: datetime | None = None) -> Page:
    now = now or utcnow()
    query, count = Invitation.select(*LIST_COLUMNS), Invitation.count()
    wheres = []
    if (where := in_reach(reach)) is not None:
        wheres.append(where)
    if status in STATUSES:
        wheres.append(status_where(status, now))
    if search.strip():
        wheres.append(_name_where(search))
    for where in wheres:
        query, count = query.where(where), count.where(where)
    total = await count
    number = clamp(number, total, PER_PAGE)
    rows = (
        await query.order_by(Invitation.created_at, ascending=False)
        .order_by(Invitation.id, ascending=False)
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    for row in rows:
        row["status"] = status_of(row, now)
    return Page(items=rows, number=number, per_page=PER_PAGE, total=total)


DETAIL_COLUMNS = (
    *Invitation.all_columns(),
    Invitation.person.last_name.as_alias("last_name"),
    Invitation.person.first_name.as_alias("first_name"),
    Invitation.person.birth_date.as_alias("birth_date"),
    Invitation.person.postcode.as_alias("postcode"),
    Invitation.person.email.as_alias("email"),
    Invitation.person.phone.as_alias("phone"),
    Invitation.person.user.as_alias("person_user"),
    Invitation.organisation.name.as_alias("organisation_name"),
    Invitation.organisation.invitation_days.as_alias("invitation_days"),
    Invitation.unit.name.as_alias("unit_name"),
    Invitation.unit.path.as_alias("unit_path"),
)


async def get_invitation(invitation_id: int, reach: Reach, now: datetime | None = None) -> dict | None:
    """One invitation with its person, organisation, unit, issuer, effective
    status, short code (grouped) and link; None when it does not exist or
    lies outside `reach`."""
    row = await Invitation.select(*DETAIL_COLUMNS).where(Invitation.id == invitation_id).first()
    if row is None or not reach.covers(row["organisation"], row["unit_path"]):
        return None
    now = now or utcnow()
    row["status"] = status_of(row, now)
    issuer = (
        await User.select(User.display_name).where(User.id == row["issued_by"]).first() if row["issued_by"] else None
    )
    row["issuer_name"] = issuer["display_name"] if issuer else None
    salt = row.pop("salt")
    row.pop("code_lookup")
    row["code"] = secrets.display(secrets.code_for(secrets.INVITATION, salt))
    row["link"] = secrets.invitation_url(row["id"], salt)
    row["can_resend"] = INVITATION.can(row["status"], "resend") and bool(row["email"])
    # A newer open invitation of the same person replaces this one: it is
    # not extended (two open invitations for one person) but pointed at.
    row["newer_invitation"] = await single.newer_open_invitation(row, now)
    extendable = INVITATION.can(row["status"], "extend") and row["newer_invitation"] is None
    # Offered only when it really gives more time (single.extended_until).
    row["extends_until"] = single.extended_until(row["expires_at"], row["invitation_days"], now) if extendable else None
    row["can_extend"] = row["extends_until"] is not None
    # From this moment on an extension gives at least a day more.
    row["extendable_from"] = (
        row["expires_at"] + single.MIN_GAIN - timedelta(days=row["invitation_days"]) if extendable else None
    )
    row["can_revoke"] = INVITATION.can(row["status"], "revoke")
    row["can_reinvite"] = (
        row["status"] in single.REINVITABLE and row["newer_invitation"] is None and row["person_user"] is None
    )
    # A registered person without e-mail gets a new PIN only through staff.
    row["can_issue_pin"] = row["person_user"] is not None
    return row


async def organisations_for(reach: Reach) -> list[dict]:
    """Organisations staff may invite for, at least in part (id, name,
    invitation_days, default_language, whole: the whole organisation is in
    reach), by name."""
    query = Organisation.select(
        Organisation.id, Organisation.name, Organisation.invitation_days, Organisation.default_language
    ).order_by(Organisation.name)
    if not reach.everywhere:
        if not reach.organisation_ids:
            return []
        query = query.where(Organisation.id.is_in(sorted(reach.organisation_ids)))
    return [{**row, "whole": reach.covers_whole(row["id"])} for row in await query]


async def unit_groups(organisations: list[dict], reach: Reach) -> list[dict]:
    """Per organisation the units within reach, in tree order with a depth
    (for a picker)."""
    groups = []
    for organisation in organisations:
        units = [
            unit for unit in await unit_choices(organisation["id"]) if reach.covers(organisation["id"], unit["path"])
        ]
        groups.append(
            {
                "id": organisation["id"],
                "name": organisation["name"],
                "whole": reach.covers_whole(organisation["id"]),
                "units": units,
            }
        )
    return groups
