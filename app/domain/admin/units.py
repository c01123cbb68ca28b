"""The unit tree of an organisation: site > department > subgroup.

Rules (enforced here, documented for admins on the units page):
- a site is a root (no parent);
- a department's parent is a site;
- a subgroup's parent is a department or another subgroup, at most
  MAX_DEPTH levels deep in all.
A unit's parent never changes (units are renamed, not moved), so the
materialised `path` ("/<site id>/<department id>/.../<own id>/") written at
creation stays true and "this unit and everything below it" is a prefix match.
"""

from __future__ import annotations

from app.domain.admin.payloads import CreateUnit, DeleteUnit, UpdateUnit, chosen
from app.domain.admin.rules import name_code
from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.reasons import Reason
from app.i18n import lazy
from app.storage.people import Invitation, Membership
from app.storage.tables import Organisation, RoleGrant, Unit

KINDS = ("site", "department", "subgroup")
KIND_LABELS = {"site": lazy("Site"), "department": lazy("Department"), "subgroup": lazy("Subgroup")}
PARENT_KINDS = {"site": (None,), "department": ("site",), "subgroup": ("department", "subgroup")}
MAX_DEPTH = 8
# The code of a parent of the wrong kind, per kind of unit.
WRONG_PARENT = {
    "site": "site_has_no_parent",
    "department": "department_needs_site",
    "subgroup": "subgroup_needs_department",
}
PARENT_CODES = ("parent_not_listed", "unit_kind_missing", "too_deep", *WRONG_PARENT.values())


async def _unit_in_scope(actor: Actor, unit_id: int) -> dict:
    unit = await Unit.select().where(Unit.id == unit_id).first()
    if unit is None or not actor.covers(unit["organisation"]):
        raise Rejected("not_found")
    return unit


async def _sibling_named(organisation_id: int, parent_id: int | None, name: str, other_than: int | None = None) -> bool:
    query = Unit.select(Unit.id, Unit.name).where(Unit.organisation == organisation_id)
    query = query.where(Unit.parent.is_null() if parent_id is None else Unit.parent == parent_id)
    rows = await query
    return any(row["name"].casefold() == name.casefold() and row["id"] != other_than for row in rows)


async def _parent_for(organisation_id: int, kind: str, parent_id: int | None) -> dict | None:
    """The parent row after checking the tree rules, or Rejected (parent id 0
    names no unit)."""
    if parent_id == 0:
        raise Rejected("parent_not_listed", "parent_id")
    parent = None
    if parent_id is not None:
        parent = await Unit.select().where((Unit.id == parent_id) & (Unit.organisation == organisation_id)).first()
        if parent is None:
            raise Rejected("parent_not_listed", "parent_id")
    if kind not in KINDS:
        raise Rejected("unit_kind_missing", "kind")
    if (parent["kind"] if parent else None) not in PARENT_KINDS[kind]:
        raise Rejected(WRONG_PARENT[kind], "parent_id")
    if parent is not None and parent["path"].count("/") - 1 >= MAX_DEPTH:
        raise Rejected("too_deep", "parent_id")
    return parent


@handler("admin.create_unit", CreateUnit, codes=("name_missing", "name_too_long", "unit_name_taken", *PARENT_CODES))
async def create_unit(command: Command[CreateUnit]) -> Effect:
    actor = await acting(command, "admin.units")
    payload = command.payload
    organisation_id = payload.organisation_id
    if (
        not actor.covers(organisation_id)
        or await Organisation.select(Organisation.id).where(Organisation.id == organisation_id).first() is None
    ):
        raise Rejected("not_found")
    name, kind = payload.name.strip(), payload.kind.strip()
    reasons: list[Reason] = []
    if code := name_code(name):
        reasons.append(Reason(code, "name"))
    try:
        parent = await _parent_for(organisation_id, kind, chosen(payload.parent_id))
    except Rejected as rejection:
        reasons.extend(rejection.reasons)
        parent = None
    if not reasons and await _sibling_named(organisation_id, parent["id"] if parent else None, name):
        reasons.append(Reason("unit_name_taken", "name"))
    if reasons:
        raise Rejected.of(reasons, organisation_id=organisation_id)
    rows = await Unit.insert(
        Unit(
            organisation=organisation_id,
            parent=parent["id"] if parent else None,
            name=name,
            kind=kind,
            path="",
            created_at=utcnow(),
        )
    )
    unit_id = rows[0]["id"]
    path = f"{parent['path'] if parent else '/'}{unit_id}/"
    await Unit.update({Unit.path: path}).where(Unit.id == unit_id)
    return Effect(target_type="unit", target_id=unit_id, organisation_id=organisation_id, ids={"unit_id": unit_id})


@handler("admin.update_unit", UpdateUnit, codes=("name_missing", "name_too_long", "unit_name_taken"))
async def update_unit(command: Command[UpdateUnit]) -> Effect:
    actor = await acting(command, "admin.units")
    unit = await _unit_in_scope(actor, command.payload.unit_id)
    name = command.payload.name.strip()
    if code := name_code(name):
        raise Rejected(code, "name", organisation_id=unit["organisation"])
    if await _sibling_named(unit["organisation"], unit["parent"], name, other_than=unit["id"]):
        raise Rejected("unit_name_taken", "name", organisation_id=unit["organisation"])
    await Unit.update({Unit.name: name}).where(Unit.id == unit["id"])
    return Effect(
        target_type="unit", target_id=unit["id"], organisation_id=unit["organisation"], ids={"unit_id": unit["id"]}
    )


# What keeps a unit from being deleted, in the order the page names it:
# units below it, roles granted on it, people on its roster and invitations
# still open for it (deleting would silently move them to no unit).
BLOCKER_CODES = ("unit_has_children", "unit_has_grants", "unit_has_members", "unit_has_invitations")
OPEN_INVITATIONS = ("created", "sent", "opened")


async def deletion_blockers(unit_id: int) -> dict[str, int]:
    """{reason code: how many} of what keeps the unit from being deleted;
    empty when it can be deleted."""
    counts = {
        "unit_has_children": await Unit.count().where(Unit.parent == unit_id),
        "unit_has_grants": await RoleGrant.count().where(RoleGrant.unit == unit_id),
        "unit_has_members": await Membership.count().where(Membership.unit == unit_id),
        "unit_has_invitations": await Invitation.count().where(
            (Invitation.unit == unit_id) & Invitation.status.is_in(list(OPEN_INVITATIONS))
        ),
    }
    return {code: count for code, count in counts.items() if count}


@handler("admin.delete_unit", DeleteUnit, codes=BLOCKER_CODES)
async def delete_unit(command: Command[DeleteUnit]) -> Effect:
    actor = await acting(command, "admin.units")
    unit = await _unit_in_scope(actor, command.payload.unit_id)
    blockers = await deletion_blockers(unit["id"])
    if blockers:
        raise Rejected(next(iter(blockers)), organisation_id=unit["organisation"])
    await Unit.delete().where(Unit.id == unit["id"])
    # The row is gone: the event keeps the unit's name for the history.
    return Effect(
        target_type="unit",
        target_id=unit["id"],
        organisation_id=unit["organisation"],
        ids={"unit_id": unit["id"]},
        detail=unit["name"],
    )


# -- queries -------------------------------------------------------------


async def get_unit(unit_id: int, scope: frozenset[int] | None) -> dict | None:
    """The unit with its parent's name, children and grant count; None when
    it does not exist or lies outside `scope`."""
    unit = (
        await Unit.select(
            *Unit.all_columns(),
            Unit.parent.name.as_alias("parent_name"),
            Unit.organisation.name.as_alias("organisation_name"),
        )
        .where(Unit.id == unit_id)
        .first()
    )
    if unit is None or (scope is not None and unit["organisation"] not in scope):
        return None
    unit["children"] = (
        await Unit.select(Unit.id, Unit.name, Unit.kind).where(Unit.parent == unit_id).order_by(Unit.name)
    )
    unit["grant_count"] = await RoleGrant.count().where(RoleGrant.unit == unit_id)
    unit["blockers"] = await deletion_blockers(unit_id)
    return unit


async def unit_tree(organisation_id: int) -> list[dict]:
    """Root units with nested `children`, siblings by name."""
    rows = await Unit.select(Unit.id, Unit.name, Unit.kind, Unit.parent, Unit.path).where(
        Unit.organisation == organisation_id
    )
    by_parent: dict[int | None, list[dict]] = {}
    for row in rows:
        by_parent.setdefault(row["parent"], []).append(row)

    def build(parent_id: int | None) -> list[dict]:
        children = sorted(by_parent.get(parent_id, []), key=lambda row: (row["name"].casefold(), row["id"]))
        return [{**row, "children": build(row["id"])} for row in children]

    return build(None)


def flatten(tree: list[dict], depth: int = 0) -> list[dict]:
    """The tree in display order with a depth, for <select> options."""
    out = []
    for node in tree:
        out.append({"id": node["id"], "name": node["name"], "kind": node["kind"], "path": node["path"], "depth": depth})
        out.extend(flatten(node["children"], depth + 1))
    return out


async def unit_choices(organisation_id: int) -> list[dict]:
    return flatten(await unit_tree(organisation_id))
