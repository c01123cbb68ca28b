"""Demo data: fictional Belgian organisations and one staff user per role.

Idempotent: each object is looked up by its natural key (slug, unit name
under its parent, e-mail, grant) and only created, through the same commands
the admin panel uses, when it is missing. Later issues extend it."""

from __future__ import annotations

import uuid

from app.config import Settings
from app.domain.accounts.passwords import hash_secret
from app.domain.core.commands import Command, execute
from app.domain.registry import load_handlers
from app.storage import db
from app.storage.tables import Organisation, RoleGrant, Unit, User

DEMO_PASSWORD = "Werkpas-demo-2026"
_NAMESPACE = uuid.UUID("6f1d7a0e-2b7c-4c59-9a53-6f0e4a1f2d11")

ORGANISATIONS: list[tuple[str, str, str, str, dict[str, dict[str, list[str]]]]] = [
    # slug, name, kind, language, {site: {department: [subgroups]}}
    ("sectorfonds", "Sectorfonds Uitzendarbeid", "sector", "nl", {"Brussel": {"Secretariaat": []}}),
    ("flexa", "Flexa Interim", "agency", "nl", {"Antwerpen": {"Kantoor Antwerpen": []}, "Gent": {"Kantoor Gent": []}}),
    (
        "jobwerk",
        "Jobwerk Uitzendbureau",
        "agency",
        "fr",
        {"Liège": {"Agence Liège": []}, "Namur": {"Agence Namur": []}},
    ),
    (
        "brouwerij-de-klok",
        "Brouwerij De Klok",
        "employer",
        "nl",
        {
            "Gent": {"Productie": ["Ploeg Vroeg", "Ploeg Laat"], "Logistiek": ["Magazijn"]},
            "Aalst": {"Botteling": ["Lijn 1", "Lijn 2"], "Onderhoud": []},
        },
    ),
    (
        "ter-linde",
        "Zorgcentrum Ter Linde",
        "employer",
        "nl",
        {"Kortrijk": {"Zorg": ["Afdeling Noord", "Afdeling Zuid"], "Keuken": []}, "Mouscron": {"Soins": ["Unité A"]}},
    ),
]

# e-mail, name, language, organisation slug, role, unit path (site/department/subgroup) or None
# email, name, language, organisation slug, role, unit path
USERS: list[tuple[str, str, str, str | None, str, tuple[str, ...] | None]] = [
    ("admin@werkpas.example", "Ann Admin", "nl", None, "platform_admin", None),
    ("orgadmin@deklok.example", "Olivier Peeters", "nl", "brouwerij-de-klok", "org_admin", None),
    ("orgadmin@flexa.example", "Sofie Janssens", "nl", "flexa", "org_admin", None),
    ("consultant@flexa.example", "Karim El Amrani", "nl", "flexa", "consultant", None),
    ("hr@deklok.example", "Hanne Maes", "nl", "brouwerij-de-klok", "hr", None),
    ("teamlead@deklok.example", "Tom Claes", "nl", "brouwerij-de-klok", "team_lead", ("Gent", "Productie")),
    ("planner@deklok.example", "Pieter Wouters", "fr", "brouwerij-de-klok", "planner", ("Gent",)),
    (
        "ambassador@deklok.example",
        "Amina Diallo",
        "fr",
        "brouwerij-de-klok",
        "ambassador",
        ("Gent", "Productie", "Ploeg Vroeg"),
    ),
    ("worker@deklok.example", "Wout De Smet", "nl", "brouwerij-de-klok", "worker", None),
]


def _command_id(*key: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "|".join(str(part) for part in key))


async def _run(type: str, payload: dict, *key: object) -> dict:
    outcome = await execute(
        Command(type=type, payload=payload, actor_id=None, channel="cli", id=_command_id(type, *key))
    )
    if not outcome.applied:
        raise RuntimeError(f"demo: {type} {key} was refused: {outcome.errors}")
    return outcome.ids


async def _organisation(slug: str, name: str, kind: str, language: str) -> int:
    row = await Organisation.select(Organisation.id).where(Organisation.slug == slug).first()
    if row:
        return row["id"]
    payload = {"name": name, "slug": slug, "kind": kind, "default_language": language, "invitation_days": "30"}
    return (await _run("admin.create_organisation", payload, slug))["organisation_id"]


async def _unit(organisation_id: int, parent_id: int | None, name: str, kind: str) -> int:
    query = Unit.select(Unit.id).where((Unit.organisation == organisation_id) & (Unit.name == name))
    query = query.where(Unit.parent.is_null() if parent_id is None else Unit.parent == parent_id)
    row = await query.first()
    if row:
        return row["id"]
    payload = {
        "organisation_id": str(organisation_id),
        "parent_id": "" if parent_id is None else str(parent_id),
        "name": name,
        "kind": kind,
    }
    return (await _run("admin.create_unit", payload, organisation_id, parent_id, name))["unit_id"]


async def _units(organisation_id: int, tree: dict) -> dict[tuple[str, ...], int]:
    ids: dict[tuple[str, ...], int] = {}
    for site, departments in tree.items():
        ids[(site,)] = site_id = await _unit(organisation_id, None, site, "site")
        for department, subgroups in departments.items():
            ids[(site, department)] = department_id = await _unit(organisation_id, site_id, department, "department")
            for subgroup in subgroups:
                ids[(site, department, subgroup)] = await _unit(organisation_id, department_id, subgroup, "subgroup")
    return ids


async def _user(
    email: str, name: str, language: str, organisation_id: int | None, role: str, unit_id: int | None
) -> None:
    row = await User.select(User.id, User.password_hash).where(User.email == email).first()
    if row is None:
        payload = {
            "name": name,
            "email": email,
            "language": language,
            "organisation_id": "" if organisation_id is None else str(organisation_id),
            "role": role,
            "unit_id": "" if unit_id is None else str(unit_id),
        }
        ids = await _run("admin.create_staff_user", payload, email)
        token_id = ids["token_id"]
        # The demo user follows their set-password link at once.
        await _run(
            "accounts.set_password",
            {"token_id": token_id, "password_hash": hash_secret(DEMO_PASSWORD)},
            "demo-password",
            email,
        )
        return
    has_grant = await RoleGrant.exists().where((RoleGrant.user == row["id"]) & (RoleGrant.role == role))
    if not has_grant:
        payload = {"user_id": str(row["id"]), "role": role, "unit_id": "" if unit_id is None else str(unit_id)}
        await _run("admin.grant_role", payload, email, role, unit_id)


async def load(settings: Settings) -> None:
    load_handlers()
    organisations: dict[str, int] = {}
    units: dict[str, dict] = {}
    for slug, name, kind, language, tree in ORGANISATIONS:
        organisations[slug] = await _organisation(slug, name, kind, language)
        units[slug] = await _units(organisations[slug], tree)
    for email, name, language, org_slug, role, unit_path in USERS:
        if role == "worker":
            continue  # workers register through an invitation (app.domain.registration.demo)
        organisation_id = organisations[org_slug] if org_slug else None
        unit_id = units[org_slug][unit_path] if org_slug and unit_path else None
        await _user(email, name, language, organisation_id, role, unit_id)
    await _staff_without_role(organisations["brouwerij-de-klok"])
    # Each area adds what makes its feature triable with the logins above.
    for area_demo in _area_demos():
        await area_demo(settings)


# A staff account an admin created without a role yet: the organisation
# admin's start page asks to give it one (app.domain.accounts.home).
NO_ROLE = ("stagiair@deklok.example", "Nora Vandamme", "nl")


async def _staff_without_role(organisation_id: int) -> None:
    email, name, language = NO_ROLE
    if await User.exists().where(User.email == email):
        return
    payload = {
        "name": name,
        "email": email,
        "language": language,
        "organisation_id": str(organisation_id),
        "role": "",
        "unit_id": "",
    }
    ids = await _run("admin.create_staff_user", payload, email)
    await _run(
        "accounts.set_password",
        {"token_id": ids["token_id"], "password_hash": hash_secret(DEMO_PASSWORD)},
        "demo-password",
        email,
    )


def _area_demos():
    """The demo step each area declares (its AREA's `demo`), in area order."""
    from app.domain.core.areas import areas

    return [step for area in areas() if (step := area.demo_step()) is not None]


async def load_demo(settings: Settings) -> None:
    db.configure(settings)
    await db.connect()
    try:
        await load(settings)
    finally:
        await db.disconnect()
    print(f"Demo data ready. Open {settings.base_url} and log in with password {DEMO_PASSWORD}:")
    for email, _name, _language, _slug, role, _unit in USERS:
        print(f"  {role:<15} {email}")
    print(f"  {'(no role yet)':<15} {NO_ROLE[0]}")
    # The passport demo's second worker (Flexa Interim; consent withdrawn).
    print(f"  {'worker':<15} nadia.benali@example.be")
