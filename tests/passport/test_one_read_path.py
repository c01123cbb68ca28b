"""There is no second path to a worker's passport: the code that touches the
passport's data tables is a short, known list, and everything another person
sees goes through reads.read_shared (which checks consent and logs)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_TABLES = {"PassportField", "PassportItem", "Document"}
# Who may import the data tables, and why.
TABLE_USERS = {
    "app/domain/passport/store.py": "the store: reads and writes by category",
    "app/domain/passport/items.py": "the worker writes their own lists and documents",
    "app/domain/passport/rights.py": "erasure removes the worker's own data",
}
# Who may call the store's loaders, and why.
LOADERS = {
    "app/domain/passport/reads.py": "the one read path for anyone else",
    "app/domain/passport/mine.py": "the worker's own pages",
    "app/domain/passport/export.py": "the worker's own export",
}
# Raw SQL on the data tables: the consultant's search picks ids only and
# shows nothing but what read_shared returns for them.
RAW_SQL = {"app/domain/passport/consultant.py"}


def _modules():
    for path in sorted((ROOT / "app").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _imported_names(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "app.storage.passport":
            names |= {alias.name for alias in node.names}
    return names


def test_only_known_modules_touch_the_passport_data_tables():
    found = {name for name, source in _modules() if _imported_names(source) & DATA_TABLES}
    found.discard("app/domain/passport/__init__.py")  # declares the area's tables
    assert found == set(TABLE_USERS)


def test_only_known_modules_call_the_store_loaders():
    call = re.compile(r"\bstore\.(load|own)\(")
    found = {name for name, source in _modules() if call.search(source)}
    assert found <= set(LOADERS), found - set(LOADERS)
    assert "app/domain/passport/reads.py" in found


def test_raw_sql_on_the_data_tables_is_only_the_consultant_search():
    table = re.compile(r"[\"']passport_(field|item)[\"']")
    found = {name for name, source in _modules() if table.search(source) and not name.startswith("app/storage/")}
    assert found == RAW_SQL


def test_the_pages_and_the_api_for_others_read_through_read_shared():
    for name in ("app/web/passport/consultant.py", "app/domain/passport/consultant.py", "app/web/api/v1.py"):
        source = (ROOT / name).read_text(encoding="utf-8")
        assert "store." not in source and not (_imported_names(source) & DATA_TABLES), name
    assert "read_shared" in (ROOT / "app/domain/passport/consultant.py").read_text(encoding="utf-8")
    assert "read_shared" in "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "app/web/api").glob("*.py")
    ) + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "app/domain/api").glob("*.py"))
