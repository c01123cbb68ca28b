"""Every Piccolo table of the application, so one place binds them all.

No list to edit: a module of app.storage that declares `TABLES` at its top
level is a table module (tables.py first, the shared core, then the others by
name), and its tables are bound, created and truncated with the rest. Each
table belongs to one area (its AREA's `tables`, checked by a test). Tables
come out with the tables they refer to first.
"""

import importlib
import pkgutil
import re
from pathlib import Path

from piccolo.table import Table

_DECLARES_TABLES = re.compile(r"^TABLES\b", re.MULTILINE)
_CORE = "tables"


def table_modules() -> list[str]:
    package = Path(__file__).parent
    names = [
        info.name
        for info in pkgutil.iter_modules([str(package)])
        if not info.ispkg and _DECLARES_TABLES.search((package / f"{info.name}.py").read_text(encoding="utf-8"))
    ]
    return [f"app.storage.{name}" for name in sorted(names, key=lambda name: (name != _CORE, name))]


def _referred(table: type[Table]) -> list[type[Table]]:
    return [column._foreign_key_meta.resolved_references for column in table._meta.foreign_key_columns]


def all_tables() -> list[type[Table]]:
    declared: list[type[Table]] = []
    for module in table_modules():
        declared.extend(importlib.import_module(module).TABLES)
    ordered: list[type[Table]] = []
    seen: set[type[Table]] = set()

    def visit(table: type[Table]) -> None:
        if table in seen:
            return
        seen.add(table)
        for other in _referred(table):
            if other is not table and other in declared:
                visit(other)
        ordered.append(table)

    for table in declared:
        visit(table)
    return ordered
