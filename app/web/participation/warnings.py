"""The admin panel tile's warning: subgroups without an active ambassador
(seed 002: uptake failed where the ambassador was absent)."""

from __future__ import annotations

from app.domain.core.access import CurrentUser
from app.domain.participation.ambassadors import without_ambassador
from app.i18n import ngettext
from app.storage.tables import Organisation


async def participation_warning(user: CurrentUser) -> str:
    scope = user.organisations_with("participation.manage")
    query = Organisation.select(Organisation.id)
    if scope is not None:
        if not scope:
            return ""
        query = query.where(Organisation.id.is_in(sorted(scope)))
    missing = 0
    for row in await query:
        missing += len(await without_ambassador(row["id"]))
    if not missing:
        return ""
    return ngettext(
        "%(num)d subgroup has no active ambassador.", "%(num)d subgroups have no active ambassador.", missing
    )
