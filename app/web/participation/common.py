"""What every participation page needs: the organisation it is about.

A worker may take part in more than one organisation (an employer and an
agency); pages without a table in their URL take `?organisation=<id>` and
default to the first organisation the person takes part in. An id of an
organisation the person does not take part in answers 404.
"""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException

from app.domain.core.ids import parse_id
from app.domain.participation.people import Member, member, organisations_of
from app.web.core.context import signed_in_user


async def chosen_member(request: Request, *, managing: bool = False) -> tuple[Member, list[dict]]:
    """The signed-in person's place in the organisation the page is about,
    and the organisations they may switch to."""
    user = signed_in_user(request)
    organisations = await organisations_of(user.id)
    if managing:
        scope = user.organisations_with("participation.manage")
        if scope is not None:
            from app.domain.participation.people import organisation_name

            known = {org["id"] for org in organisations}
            for org_id in sorted(scope - known):
                organisations.append({"id": org_id, "name": await organisation_name(org_id) or ""})
    wanted = parse_id(request.query_params.get("organisation"))
    if wanted is None:
        if not organisations:
            raise NotFoundException()
        wanted = organisations[0]["id"]
    found = await member(user.id, wanted, user=user)
    if found is None:
        raise NotFoundException()
    return found, organisations
