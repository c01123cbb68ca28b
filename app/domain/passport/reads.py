"""The one read path: every read of a worker's passport by anyone other than
the worker goes through `read_shared`. It decides, per worker and per
category, whether the viewer's organisation has a legal basis right now
(consent in force, or the contract basis for what the work itself needs),
loads only those categories and writes one access-log entry per worker
read: who, organisation, categories, purpose, legal basis, time, channel.

A category without a basis is absent from the answer (the pages show it as
"not shared"). Nothing else in the code base reads the passport tables for
someone else (a test greps for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.core.access import Reach
from app.domain.core.commands import utcnow
from app.domain.passport import store
from app.domain.passport.categories import BY_CODE, CODES, known
from app.domain.passport.consent import REVEALING_PURPOSES, WORKER_ROLES
from app.domain.passport.identifiers import masked_iban, masked_national_number
from app.storage.passport import AccessLogEntry, Consent
from app.storage.people import Membership
from app.storage.tables import RoleGrant, User

# What the work itself needs passes under the contract basis: the planner and
# team lead of the unit where the worker is placed see their name (the
# account's) and availability.
CONTRACT_CATEGORIES = ("availability",)


@dataclass(frozen=True)
class Viewer:
    """Who reads: an account or an API key, on behalf of an organisation."""

    organisation_id: int
    organisation_name: str = ""
    user_id: int | None = None
    api_key_id: int | None = None
    name: str = ""
    channel: str = "web"


@dataclass
class Shared:
    """What one worker shares with the viewer's organisation right now."""

    user_id: int
    categories: list[str]  # with a basis, in the passport's order
    contents: store.Contents
    name: str = ""  # the account's name (contract basis)
    purposes: dict[str, str] = field(default_factory=dict)  # category -> purpose
    expires: dict[str, datetime] = field(default_factory=dict)

    @property
    def not_shared(self) -> list[str]:
        return [code for code in CODES if code not in self.categories]


async def consented(user_ids: list[int], organisation_id: int, now: datetime) -> dict[int, dict[str, dict]]:
    """{worker: {category: consent row}} in force for this organisation."""
    if not user_ids:
        return {}
    rows = await Consent.select(Consent.user, Consent.category, Consent.purpose, Consent.expires_at).where(
        Consent.user.is_in(user_ids) & (Consent.organisation == organisation_id) & (Consent.expires_at > now)
    )
    members = await _members(sorted({row["user"] for row in rows}), organisation_id)
    found: dict[int, dict[str, dict]] = {}
    for row in rows:
        if row["user"] in members:
            found.setdefault(row["user"], {})[row["category"]] = row
    return found


async def _members(user_ids: list[int], organisation_id: int) -> set[int]:
    """The workers who still belong to the organisation: consent counts only
    while they do (revoking the role also withdraws it, with a receipt)."""
    if not user_ids:
        return set()
    rows = await RoleGrant.select(RoleGrant.user).where(
        RoleGrant.user.is_in(user_ids)
        & (RoleGrant.organisation == organisation_id)
        & RoleGrant.role.is_in(list(WORKER_ROLES))
    )
    return {row["user"] for row in rows}


def _mask(shared: Shared) -> None:
    """Sensitive numbers in full only under a purpose that needs them."""
    for code in shared.categories:
        category = BY_CODE[code]
        if not category.sensitive or shared.purposes.get(code) in REVEALING_PURPOSES:
            continue
        values = shared.contents.fields.get(code, {})
        for name in category.sensitive:
            if name in values and values[name].value:
                masker = masked_national_number if name == "national_number" else masked_iban
                values[name] = store.FieldValue(masker(values[name].value), values[name].source)


async def read_shared(
    viewer: Viewer,
    user_ids: list[int],
    purpose: str,
    wanted: list[str] | None = None,
    *,
    work_reach: Reach | None = None,
) -> dict[int, Shared]:
    """What each of these workers shares with `viewer`'s organisation, limited
    to `wanted` categories (None: all), and logged. A worker who shares none
    of the wanted categories is absent from the answer and not logged.

    With `work_reach` (the planner's or team lead's units), the legal basis
    is the contract instead: the name and availability of the workers placed
    within those units, whatever their consent, logged the same way."""
    if work_reach is not None:
        return await _read_for_work(viewer, user_ids, purpose, work_reach)
    now = utcnow()
    user_ids = list(dict.fromkeys(user_ids))
    consents = await consented(user_ids, viewer.organisation_id, now)
    wanted_codes = set(known(wanted if wanted is not None else CODES))
    per_user = {
        user_id: known(code for code in consents.get(user_id, {}) if code in wanted_codes) for user_id in user_ids
    }
    readable = [user_id for user_id in user_ids if per_user[user_id]]
    union = known({code for user_id in readable for code in per_user[user_id]})
    contents = await store.load(readable, union)
    result: dict[int, Shared] = {}
    for user_id in readable:
        codes = per_user[user_id]
        loaded = contents[user_id]
        # Keep only this worker's categories (the load was for the union).
        loaded.fields = {code: values for code, values in loaded.fields.items() if code in codes}
        loaded.items = {code: values for code, values in loaded.items.items() if code in codes}
        if "documents" not in codes:
            loaded.documents = []
        shared = Shared(
            user_id,
            codes,
            loaded,
            purposes={code: consents[user_id][code]["purpose"] for code in codes},
            expires={code: consents[user_id][code]["expires_at"] for code in codes},
        )
        _mask(shared)
        result[user_id] = shared
    await _log(viewer, {user_id: per_user[user_id] for user_id in readable}, purpose, "consent", now)
    return result


async def _log(viewer: Viewer, reads: dict[int, list[str]], purpose: str, basis: str, now: datetime) -> None:
    if not reads:
        return
    await AccessLogEntry.insert(
        *(
            AccessLogEntry(
                at=now,
                subject_id=user_id,
                viewer_id=viewer.user_id,
                api_key_id=viewer.api_key_id,
                organisation_id=viewer.organisation_id,
                organisation_name=viewer.organisation_name[:200],
                viewer_name=viewer.name[:200],
                categories=",".join(codes),
                purpose=purpose,
                legal_basis=basis,
                channel=viewer.channel,
            )
            for user_id, codes in reads.items()
        )
    )


async def placed_within(user_ids: list[int], reach: Reach) -> list[int]:
    """The workers placed (on the roster of a unit) within `reach`: the
    planner's or team lead's units. A worker on no unit counts only for a
    grant on the whole organisation."""
    if not user_ids or reach.is_empty:
        return []
    rows = await Membership.select(
        Membership.person.user.as_alias("user"), Membership.organisation, Membership.unit.path.as_alias("path")
    ).where(Membership.person.user.is_in(user_ids))
    return [
        user_id
        for user_id in dict.fromkeys(user_ids)
        if any(row["user"] == user_id and reach.covers(row["organisation"], row["path"]) for row in rows)
    ]


async def _read_for_work(viewer: Viewer, user_ids: list[int], purpose: str, reach: Reach) -> dict[int, Shared]:
    now = utcnow()
    placed = await placed_within(list(dict.fromkeys(user_ids)), reach)
    contents = await store.load(placed, list(CONTRACT_CATEGORIES))
    names = {
        row["id"]: row["display_name"]
        for row in await User.select(User.id, User.display_name).where(User.id.is_in(placed or [-1]))
    }
    result = {}
    for user_id in placed:
        shared = Shared(user_id, list(CONTRACT_CATEGORIES), contents[user_id], name=names.get(user_id, ""))
        result[user_id] = shared
    await _log(viewer, {user_id: ["name", *CONTRACT_CATEGORIES] for user_id in placed}, purpose, "contract", now)
    return result
