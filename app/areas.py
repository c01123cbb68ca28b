"""The areas of Werkpas, in order: the one list that says which areas exist.

Each area is a package in the domain (`app/domain/<name>/__init__.py` declares
`AREA = Area(...)` from app.domain.core.areas: command handler modules,
permissions per role, tables, demo step) and, when it has pages, in the web
layer (`app/web/<name>/__init__.py` declares `AREA = WebArea(...)` from
app.web.core.areas: route modules, navigation entries, public routes).
Adding an area is adding those packages and its name here. The order is the
order of handler registration, routes and navigation entries.

This module imports nothing, so every layer may read it.
"""

AREAS: tuple[str, ...] = (
    "system",
    "accounts",
    "admin",
    "invitations",
    "registration",
    "passport",
    "api",
    "participation",
)
