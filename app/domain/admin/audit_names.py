"""The names in the sentences of the audit log: who did it and what it is
about, resolved with one query per kind of object for a whole page of events
(never one per row).

A name is a Part: the text (a name, or a message id when `translate`), and
the kind and id of the object when the viewer may open it (the web layer
turns that into a link). For an organisation admin (`scope` is a set), only
objects of their organisations are named; anyone else is "someone outside
your organisation" or "a Werkpas administrator", so another organisation's
names never show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.admin import history
from app.domain.core.access import ROLE_LABELS, in_scope
from app.domain.core.ids import parse_id
from app.domain.jobs import job_label_values
from app.i18n import lazy
from app.storage.people import Badge, ImportRun, Invitation, Person
from app.storage.tables import AuditEvent, Job, Organisation, RoleGrant, Unit, User

WERKPAS = lazy("Werkpas")
COMMAND_LINE = lazy("an administrator at the command line")
SOMEONE = lazy("someone")
OUTSIDER = lazy("someone outside your organisation")
PLATFORM_ADMIN = lazy("a Werkpas administrator")
UNKNOWN = {
    "user": lazy("an account"),
    "person": lazy("a person"),
    "invitation": lazy("a person"),
    "badge": lazy("a person"),
    "unit": lazy("a unit that was deleted"),
    "organisation": lazy("an organisation"),
    "import_run": lazy("a list of people"),
    "job": lazy("a job"),
}
IMPORT_RUN = lazy("a list of people")
SOMETHING = lazy("something")


@dataclass(frozen=True)
class Part:
    text: str
    translate: bool = False  # `text` is a message id
    kind: str = ""  # with `id`: the viewer may open this object
    id: int | None = None
    day: date | None = None  # a date, shown in the reader's format
    # Message ids of the placeholders of a translated `text` ("%(area)s").
    values: dict[str, str] = field(default_factory=dict)


def phrase(message_id: str) -> Part:
    return Part(message_id, translate=True)


def _ids(rows: list[dict], kind: str) -> list[int]:
    return sorted({number for row in rows if row["target_type"] == kind and (number := parse_id(row["target_id"]))})


def _person_name(row: dict, prefix: str = "") -> str:
    return f"{row[prefix + 'first_name']} {row[prefix + 'last_name']}".strip()


class Names:
    """Every name a page of audit events needs, read in one go."""

    def __init__(self, scope: frozenset[int] | None) -> None:
        self.scope = scope
        self.by_kind: dict[str, dict[int, Part]] = {}
        self.users: dict[int, Part] = {}

    def _visible(self, organisation_id: int | None) -> bool:
        return self.scope is None or (organisation_id is not None and in_scope(self.scope, organisation_id))

    async def load(self, rows: list[dict]) -> Names:
        user_ids = {row["actor_id"] for row in rows if row["actor_id"] is not None}
        user_ids |= set(_ids(rows, "user"))
        await self._load_users(sorted(user_ids))
        self.by_kind["user"] = self.users
        for kind, loader in (
            ("invitation", self._invitations),
            ("person", self._people),
            ("badge", self._badges),
            ("unit", self._units),
            ("organisation", self._organisations),
            ("import_run", self._import_runs),
            ("job", self._jobs),
        ):
            ids = _ids(rows, kind)
            if kind == "organisation":  # also the organisation of every event
                ids = sorted({*ids, *(row["organisation_id"] for row in rows if row["organisation_id"] is not None)})
            self.by_kind[kind] = await loader(ids) if ids else {}
        return self

    async def _load_users(self, ids: list[int]) -> None:
        if not ids:
            return
        users = await User.select(User.id, User.display_name, User.organisation).where(User.id.is_in(ids))
        people: dict[int, str] = {}
        platform: set[int] = set()
        if self.scope is not None:
            # A worker's account belongs to no organisation; the organisation
            # knows them by its own record of the person.
            rows = await Person.select(Person.user, Person.first_name, Person.last_name).where(
                Person.user.is_in(ids) & Person.organisation.is_in(list(self.scope) or [-1])
            )
            people = {row["user"]: _person_name(row) for row in rows}
            grants = await RoleGrant.select(RoleGrant.user).where(
                RoleGrant.user.is_in(ids) & (RoleGrant.role == "platform_admin")
            )
            platform = {row["user"] for row in grants}
        for user in users:
            visible = self._visible(user["organisation"]) and user["organisation"] is not None
            if self.scope is None or visible:
                self.users[user["id"]] = Part(user["display_name"], kind="user", id=user["id"])
            elif user["id"] in people:
                self.users[user["id"]] = Part(people[user["id"]])
            else:
                self.users[user["id"]] = phrase(PLATFORM_ADMIN if user["id"] in platform else OUTSIDER)

    async def _invitations(self, ids: list[int]) -> dict[int, Part]:
        rows = await Invitation.select(
            Invitation.id,
            Invitation.organisation,
            Invitation.person.first_name.as_alias("first_name"),
            Invitation.person.last_name.as_alias("last_name"),
        ).where(Invitation.id.is_in(ids))
        return {
            row["id"]: Part(_person_name(row), kind="invitation", id=row["id"])
            for row in rows
            if self._visible(row["organisation"])
        }

    async def _people(self, ids: list[int]) -> dict[int, Part]:
        rows = await Person.select(Person.id, Person.organisation, Person.first_name, Person.last_name).where(
            Person.id.is_in(ids)
        )
        return {row["id"]: Part(_person_name(row)) for row in rows if self._visible(row["organisation"])}

    async def _badges(self, ids: list[int]) -> dict[int, Part]:
        rows = await Badge.select(
            Badge.id,
            Badge.person.organisation.as_alias("organisation"),
            Badge.person.first_name.as_alias("first_name"),
            Badge.person.last_name.as_alias("last_name"),
        ).where(Badge.id.is_in(ids))
        return {row["id"]: Part(_person_name(row)) for row in rows if self._visible(row["organisation"])}

    async def _units(self, ids: list[int]) -> dict[int, Part]:
        rows = await Unit.select(Unit.id, Unit.name, Unit.organisation).where(Unit.id.is_in(ids))
        parts = {
            row["id"]: Part(row["name"], kind="unit", id=row["id"])
            for row in rows
            if self._visible(row["organisation"])
        }
        gone = [str(number) for number in ids if number not in {row["id"] for row in rows}]
        if gone:
            # A deleted unit is gone from the tables; its deletion's event kept the name.
            deleted = await AuditEvent.select(
                AuditEvent.target_id, AuditEvent.detail, AuditEvent.organisation_id
            ).where(
                (AuditEvent.type == "admin.delete_unit")
                & (AuditEvent.outcome == "applied")
                & AuditEvent.target_id.is_in(gone)
            )
            for row in deleted:
                if row["detail"] and self._visible(row["organisation_id"]):
                    parts[int(row["target_id"])] = Part(row["detail"])
        return parts

    async def _organisations(self, ids: list[int]) -> dict[int, Part]:
        rows = await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(ids))
        # Only the platform admin opens an organisation's own page.
        kind = "organisation" if self.scope is None else ""
        return {row["id"]: Part(row["name"], kind=kind, id=row["id"]) for row in rows if self._visible(row["id"])}

    async def _import_runs(self, ids: list[int]) -> dict[int, Part]:
        rows = await ImportRun.select(ImportRun.id, ImportRun.organisation).where(ImportRun.id.is_in(ids))
        return {
            row["id"]: Part(IMPORT_RUN, translate=True, kind="import_run", id=row["id"])
            for row in rows
            if self._visible(row["organisation"])
        }

    async def _jobs(self, ids: list[int]) -> dict[int, Part]:
        rows = await Job.select(Job.id, Job.kind).where(Job.id.is_in(ids))
        kind = "job" if self.scope is None else ""
        parts = {}
        for row in rows:
            text, values = job_label_values(row["kind"])
            parts[row["id"]] = Part(text, translate=True, kind=kind, id=row["id"], values=values)
        return parts

    # -- one event

    def actor(self, row: dict) -> Part:
        if row["actor_id"] is not None:
            return self.users.get(row["actor_id"]) or phrase(UNKNOWN["user"])
        if row["channel"] == "job":
            return phrase(WERKPAS)
        if row["channel"] == "cli":
            return phrase(COMMAND_LINE)
        return phrase(SOMEONE)

    def target(self, row: dict) -> Part | None:
        kind = row["target_type"]
        if not kind:
            return None
        number = parse_id(row["target_id"])
        found = self.by_kind.get(kind, {}).get(number) if number else None
        if found is not None:
            return found
        return phrase(UNKNOWN.get(kind, SOMETHING))


def _detail(row: dict) -> tuple[str, dict[str, Part]]:
    """The key of the event's detail for the wording table, and the values
    it carries (a role, a date)."""
    detail = (row.get("detail") or "").strip()
    kind = row["type"]
    if kind in ("admin.grant_role", "admin.revoke_role", "admin.move_role"):
        role = detail.partition(":")[0]
        return ("role", {"role": phrase(ROLE_LABELS[role])}) if role in ROLE_LABELS else ("", {})
    if kind == "invitations.extend" and detail.startswith("until "):
        try:
            return "date", {"date": Part("", day=date.fromisoformat(detail.removeprefix("until ")))}
        except ValueError:
            return "", {}
    if kind == "invitations.create":
        if detail.startswith("already registered"):
            return "already_registered", {}
        if detail.startswith("already invited"):
            return "already_invited", {}
        return "", {}
    if kind == "accounts.login_failed" and detail.startswith("badge:"):
        return "", {}
    return detail, {}


def sentence(row: dict, names: Names) -> tuple[str, dict[str, Part]]:
    """(message id with %(name)s placeholders, the parts to put in)."""
    actor, target = names.actor(row), names.target(row)
    parts: dict[str, Any] = {"actor": actor}
    if target is not None:
        parts["target"] = target
    if row["outcome"] != "applied":
        label, values = history.label(row["type"])
        parts["action"] = Part(label, translate=True)
        parts.update({key: phrase(value) for key, value in values.items()})
        return (history.REFUSED_ABOUT if target is not None else history.REFUSED), parts
    key, extra = _detail(row)
    template, values, generic = history.wording_of(row["type"], key)
    parts.update(extra)
    parts.update({key: phrase(value) for key, value in values.items()})
    if generic and target is not None:
        parts["sentence"] = Part(template, translate=True)
        return history.GENERIC_ABOUT, parts
    if "%(target)s" in template and target is None:
        parts["target"] = phrase(SOMEONE)
    return template, parts


async def describe(rows: list[dict], scope: frozenset[int] | None) -> None:
    """Adds "sentence" (message id) and "parts" to every row."""
    names = await Names(scope).load(rows)
    organisations = names.by_kind["organisation"]
    for row in rows:
        row["sentence"], row["parts"] = sentence(row, names)
        organisation = organisations.get(row["organisation_id"])
        row["organisation_name"] = organisation.text if organisation else None
