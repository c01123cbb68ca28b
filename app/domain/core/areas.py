"""What an area contributes to the domain, declared in one object.

An area's package (`app/domain/<name>/__init__.py`) declares

    AREA = Area(
        "invitations",
        handlers=("app.domain.invitations.handlers",),
        permissions={"hr": {"invitations.manage"}, ...},
        tables=(Person, Invitation, ...),
        demo="app.domain.invitations.demo:demo",
    )

and app/areas.py lists its name. The server, the worker and the CLI import the
handler modules of every area (app.domain.registry.load_handlers), roles get
the permissions the areas give them (app.domain.core.access), the demo runs
the areas' demo steps in order, and a test checks that every table of
app.storage belongs to exactly one area. Strings name modules, so declaring
an area imports none of its code.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from app.i18n import lazy


@dataclass(frozen=True)
class Area:
    name: str
    # The area as a sentence names it ("a change in %(area)s"), a message id.
    title: str = ""
    # Modules that register command handlers (@handler) and job handlers.
    handlers: tuple[str, ...] = ()
    # Role -> permission names ("<area>.<what>") the role holds in this area.
    permissions: Mapping[str, frozenset[str] | set[str]] = field(default_factory=dict)
    # Permissions every signed-in user holds, with or without a role.
    signed_in: frozenset[str] = frozenset()
    # Permissions only the platform admin holds, whatever a role lists.
    platform_only: frozenset[str] = frozenset()
    # The Piccolo tables this area owns (created and migrated with the rest).
    tables: tuple[type, ...] = ()
    # "module:function": an async function(settings) that adds the area's demo data.
    demo: str | None = None

    def demo_step(self) -> Callable[[Any], Awaitable[None]] | None:
        if self.demo is None:
            return None
        module, _, name = self.demo.partition(":")
        return getattr(importlib.import_module(module), name)


_areas: tuple[Area, ...] | None = None


def areas() -> tuple[Area, ...]:
    """The domain part of every area of app.areas.AREAS, in that order."""
    global _areas
    if _areas is None:
        from app.areas import AREAS

        found = []
        for name in AREAS:
            package = f"app.domain.{name}"
            if importlib.util.find_spec(package) is None:
                raise RuntimeError(f"area {name!r} has no package {package}")
            area = getattr(importlib.import_module(package), "AREA", None)
            if not isinstance(area, Area) or area.name != name:
                raise RuntimeError(f"{package} does not declare AREA = Area({name!r}, ...)")
            found.append(area)
        _areas = tuple(found)
    return _areas


# Parts of the core whose commands and jobs are named like an area's.
CORE_TITLES = {"jobs": lazy("background jobs"), "mail": lazy("mail")}


def title_of(name: str) -> str | None:
    """The message id naming area (or core part) `name`, None when unknown."""
    return _titles().get(name) or CORE_TITLES.get(name)


@cache
def _titles() -> dict[str, str]:
    # Asked for every row of a history page: the areas are read once.
    return {area.name: area.title for area in areas() if area.title}


def handler_modules() -> tuple[str, ...]:
    return tuple(module for area in areas() for module in area.handlers)
