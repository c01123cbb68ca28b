"""Who sees a table. A table is visible in the opener's own subgroup (its
`unit`; a table without a unit is visible to the whole organisation).
Ambassadors and the organisation's admins see every subgroup: only they
open or invite across subgroups (seed 002, section 4.2). People at the
table always see it (an ambassador may have invited them from elsewhere).

Published minutes have their own rule, chosen per table (`visibility`):
the whole organisation (the default), the table's subgroup, or the
participants only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.participation.people import Member

MINUTES_VISIBILITY = ("organisation", "subgroup", "participants")


def sees_table(member: Member, table: Mapping[str, Any], *, seated: bool = False) -> bool:
    if table["organisation"] != member.organisation_id:
        return False
    if seated or member.sees_every_subgroup:
        return True
    return table["unit"] is None or table["unit"] == member.unit_id


def sees_minutes(member: Member, table: Mapping[str, Any], *, seated: bool = False) -> bool:
    """Whether the member may read the table's published minutes."""
    if table["organisation"] != member.organisation_id:
        return False
    if seated or member.is_admin:
        return True
    visibility = table["visibility"]
    if visibility == "participants":
        return False
    if visibility == "subgroup":
        return member.is_ambassador or table["unit"] is None or table["unit"] == member.unit_id
    return True


def unit_filter(member: Member):
    """The subgroups whose tables a member sees: None = every one, else the
    member's own unit id (None inside the list: organisation-wide tables)."""
    if member.sees_every_subgroup:
        return None
    return [member.unit_id]
