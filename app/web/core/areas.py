"""What an area contributes to the web layer, declared in one object.

An area with pages declares in `app/web/<name>/__init__.py`

    AREA = WebArea(
        "invitations",
        routes=("app.web.invitations.controllers", ...),
        navigation=(Nav("invitations.manage", "/invitations", lazy("Invitations")),),
        public=frozenset(),
    )

Each route module has a `handlers` list. The app mounts the routes of every
area of app.areas.AREAS in that order, the menu shows the navigation entries
in that order (to whoever holds the entry's permission), and the route-guard
test allows exactly the `public` (method, path) pairs without a permission.
Strings name modules, so declaring an area imports none of its code.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass


@dataclass(frozen=True)
class Nav:
    permission: str
    path: str
    label: str  # a message id (lazy()); translated when the menu is drawn


@dataclass(frozen=True)
class WebArea:
    name: str
    # Modules with a `handlers` list of route handlers.
    routes: tuple[str, ...] = ()
    navigation: tuple[Nav, ...] = ()
    # (method, path) pairs reachable without a permission (opt=PUBLIC).
    public: frozenset[tuple[str, str]] = frozenset()

    def handlers(self) -> list:
        return [handler for module in self.routes for handler in importlib.import_module(module).handlers]


_areas: tuple[WebArea, ...] | None = None


def web_areas() -> tuple[WebArea, ...]:
    """The web part of the areas of app.areas.AREAS that have pages, in order."""
    global _areas
    if _areas is None:
        from app.areas import AREAS

        found = []
        for name in AREAS:
            package = f"app.web.{name}"
            if importlib.util.find_spec(package) is None:
                continue  # an area without pages
            area = getattr(importlib.import_module(package), "AREA", None)
            if not isinstance(area, WebArea) or area.name != name:
                raise RuntimeError(f"{package} does not declare AREA = WebArea({name!r}, ...)")
            found.append(area)
        _areas = tuple(found)
    return _areas


def navigation_items() -> tuple[Nav, ...]:
    return tuple(item for area in web_areas() for item in area.navigation)


def public_routes() -> frozenset[tuple[str, str]]:
    return frozenset(route for area in web_areas() for route in area.public)
