"""The organisation a set-up page is about, for the people who manage
participation: an org_admin or ambassador of it, or the platform admin
(who chooses among every organisation). `?organisation=<id>` or the id in a
form's URL; an organisation outside the person's reach answers 404."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException

from app.domain.core.ids import parse_id
from app.storage.tables import Organisation
from app.web.core.context import signed_in_user

MANAGE = "participation.manage"


async def manageable(request: Request) -> list[dict]:
    """The organisations the signed-in person manages participation in, by name."""
    scope = signed_in_user(request).organisations_with(MANAGE)
    query = Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if scope is not None:
        if not scope:
            return []
        query = query.where(Organisation.id.is_in(sorted(scope)))
    return await query


async def chosen_organisation(request: Request, organisation_id: int | None = None) -> tuple[dict, list[dict]]:
    organisations = await manageable(request)
    wanted = organisation_id if organisation_id is not None else parse_id(request.query_params.get("organisation"))
    if wanted is None:
        if not organisations:
            raise NotFoundException()
        return organisations[0], organisations
    found = next((org for org in organisations if org["id"] == wanted), None)
    if found is None:
        raise NotFoundException()
    return found, organisations
