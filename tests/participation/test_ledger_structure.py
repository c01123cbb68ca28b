"""The wallet is a ledger: coin entries are only ever added. No module
updates or deletes a CoinEntry, no table has a balance column, and only the
ledger module writes entries (everything else spends and credits through it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from app.storage import participation

ROOT = Path(__file__).resolve().parents[2]


def _modules():
    for path in sorted((ROOT / "app").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _names_coin_entry(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "app.storage.participation"
            and any(alias.name == "CoinEntry" for alias in node.names)
        ):
            return True
    return False


def test_coin_entries_are_never_updated_or_deleted():
    pattern = re.compile(r"CoinEntry\s*\.\s*(update|delete|raw)\b|coin_entry.*\b(UPDATE|DELETE)\b", re.IGNORECASE)
    offenders = [name for name, source in _modules() if pattern.search(source)]
    assert offenders == []


def test_only_the_ledger_writes_coin_entries():
    writers = [name for name, source in _modules() if re.search(r"CoinEntry\s*\.\s*insert\b", source)]
    assert writers == ["app/domain/participation/wallet.py"]
    # Readers are allowed (the goal's progress, reports), writers are not.
    assert _names_coin_entry((ROOT / "app/domain/participation/goals.py").read_text(encoding="utf-8"))


def test_no_table_keeps_a_balance_column():
    for table in participation.TABLES:
        names = {column._meta.name for column in table._meta.columns}
        assert not {name for name in names if "balance" in name or name == "coins_left"}, table
