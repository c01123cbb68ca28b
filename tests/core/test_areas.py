"""Areas register themselves: one list of areas (app/areas.py); each area's
package declares its handler modules, permissions, tables and demo step
(domain) and its routes, navigation and public routes (web). What the central
lists held before is composed from those declarations, unchanged."""

import ast
from pathlib import Path

import pytest

from app import areas as area_list
from app.domain.core import areas as domain_areas
from app.domain.core.access import PERMISSIONS, PLATFORM_ONLY, SIGNED_IN, CurrentUser, Grant
from app.domain.core.commands import specs
from app.domain.jobs import queue
from app.domain.registry import load_handlers
from app.storage.registry import all_tables, table_modules
from app.web import routes
from app.web.core import areas as web_areas
from app.web.core.navigation import navigation

ROOT = Path(__file__).resolve().parents[2]


def test_one_list_of_areas_and_each_declares_itself():
    names = area_list.AREAS
    assert names[:6] == ("system", "accounts", "admin", "invitations", "registration", "passport")
    assert [area.name for area in domain_areas.areas()] == list(names)
    assert [area.name for area in web_areas.web_areas()] == [
        name for name in names if (ROOT / "app/web" / name).is_dir()
    ]


def test_an_area_without_its_package_is_refused(monkeypatch):
    monkeypatch.setattr(area_list, "AREAS", (*area_list.AREAS, "no_such_area"))
    monkeypatch.setattr(domain_areas, "_areas", None)
    with pytest.raises(RuntimeError, match=r"no package app\.domain\.no_such_area"):
        domain_areas.areas()


# What app/domain/core/access.py listed by hand before the areas declared it,
# and what later areas added (participation).
BEFORE = {
    "platform_admin": {"*"},
    "org_admin": {
        "account.home",
        "admin.panel",
        "admin.units",
        "admin.users",
        "admin.grants",
        "admin.audit",
        "api.keys",
        "invitations.manage",
        "invitations.import",
        "invitations.print",
        "passport.consult",
        "participation.manage",
        "participation.report",
    },
    "consultant": {"account.home", "invitations.manage", "invitations.print", "passport.consult"},
    "hr": {
        "account.home",
        "invitations.manage",
        "invitations.import",
        "invitations.print",
        "passport.consult",
        "participation.report",
    },
    "team_lead": {"account.home"},
    "planner": {"account.home"},
    "ambassador": {
        "account.home",
        "passport.view",
        "participation.take_part",
        "participation.ambassador",
        "participation.manage",
        "participation.report",
    },
    "worker": {"account.home", "passport.view", "participation.take_part"},
}


def test_the_permissions_are_what_they_were():
    assert {role: set(names) for role, names in PERMISSIONS.items()} == BEFORE
    assert set(SIGNED_IN) == {"account.home"}
    # system.commands is new: the command catalogue, for platform admins.
    assert set(PLATFORM_ONLY) == {"admin.organisations", "admin.jobs", "system.commands"}
    org_admin = CurrentUser(1, "a@example.be", "A", "nl", 1, (Grant("org_admin", 1, None, None),))
    assert org_admin.has_permission("admin.units") and not org_admin.has_permission("admin.jobs")
    assert not org_admin.has_permission("system.commands")


def test_every_route_permission_is_given_by_an_area():
    given = {name for names in PERMISSIONS.values() for name in names} | set(PLATFORM_ONLY) | set(SIGNED_IN)
    needed = {handler.opt["permission"] for handler in routes.handlers() if handler.opt.get("permission")}
    assert sorted(needed - given) == []


def test_the_navigation_is_what_it_was():
    paths = [item.path for item in web_areas.navigation_items()]
    assert paths == [
        "/home",
        "/admin",
        "/admin/organisations",
        "/admin/units",
        "/admin/users",
        "/admin/audit",
        "/admin/jobs",
        "/invitations",
        "/invitations/imports",
        "/consultant/workers",
        "/admin/api-keys",
        "/participation",
    ]
    admin = CurrentUser(1, "a@example.be", "A", "en", None, (Grant("platform_admin", None, None, None),))
    menu = navigation(admin, "/admin/units/3")
    assert [entry["href"] for entry in menu] == paths
    assert [entry["href"] for entry in menu if entry["current"]] == ["/admin/units"]
    assert [entry["href"] for entry in navigation(admin, "/admin/api-keys") if entry["current"]] == ["/admin/api-keys"]


def test_every_handler_module_is_declared_by_an_area():
    load_handlers()
    declared = set(domain_areas.handler_modules())
    # Each command type belongs to a listed area and is handled inside that area's package.
    for spec in specs():
        if spec.handler.__module__.startswith("app."):
            assert spec.area in area_list.AREAS, spec.type
            assert spec.handler.__module__.startswith(f"app.domain.{spec.area}."), spec.type
    assert "mail.send" in queue._handlers
    # Participation lists its own modules (many, still growing); each is in its package.
    participation = {name for name in declared if name.startswith("app.domain.participation.")}
    assert {"app.domain.participation.setup", "app.domain.participation.tables"} <= participation
    assert declared - participation == {
        "app.domain.mail",
        "app.domain.accounts.handlers",
        "app.domain.admin.handlers",
        "app.domain.invitations.handlers",
        "app.domain.invitations.imports.handlers",
        "app.domain.invitations.printing.badges",
        "app.domain.registration.handlers",
        "app.domain.passport.handlers",
        "app.domain.passport.answers",
        "app.domain.passport.expiry",
        "app.domain.passport.items",
        "app.domain.passport.requests",
        "app.domain.api.handlers",
        "app.domain.passport.rights",
        "app.domain.passport.retention",
    }


def test_every_table_belongs_to_exactly_one_area():
    owned = [table for area in domain_areas.areas() for table in area.tables]
    assert len(owned) == len(set(owned)), "a table is declared by two areas"
    assert set(owned) == set(all_tables())
    assert table_modules() == [
        "app.storage.tables",
        "app.storage.api",
        "app.storage.participation",
        "app.storage.passport",
        "app.storage.people",
        "app.storage.rights",
    ]
    # Tables come after the tables they refer to (created in this order).
    order = all_tables()
    for position, table in enumerate(order):
        for column in table._meta.foreign_key_columns:
            referred = column._foreign_key_meta.resolved_references
            assert referred is table or order.index(referred) < position, (table, referred)


def test_the_demo_steps_come_from_the_areas():
    from app.demo import _area_demos
    from app.domain.invitations.demo import demo as invitations_demo
    from app.domain.participation.demo import demo as participation_demo
    from app.domain.passport.demo import demo as passport_demo
    from app.domain.registration.demo import demo as registration_demo

    assert _area_demos() == [invitations_demo, registration_demo, passport_demo, participation_demo]


def test_the_domain_part_of_an_area_does_not_import_the_web():
    files = [ROOT / "app/areas.py", ROOT / "app/domain/core/areas.py", ROOT / "app/storage/registry.py"]
    files += [ROOT / "app/domain" / name / "__init__.py" for name in area_list.AREAS]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            assert not any(module.startswith("app.web") for module in modules), path
            if path.name == "registry.py":
                assert not any(module.startswith(("app.domain", "app.web", "app.areas")) for module in modules), path
    assert "import" not in (ROOT / "app/areas.py").read_text(encoding="utf-8").split('"""')[-1]
