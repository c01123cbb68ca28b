"""Accounts and registration do not import each other: registration uses
accounts only through its public module (the package), and accounts uses
nothing of registration."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _imports(*folders: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import in the folders' modules."""
    found = []
    for folder in folders:
        for path in sorted((APP / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.append((str(path.relative_to(APP)), node.module))
                elif isinstance(node, ast.Import):
                    found.extend((str(path.relative_to(APP)), alias.name) for alias in node.names)
    return found


def test_accounts_imports_nothing_of_registration():
    assert [
        (path, module)
        for path, module in _imports("domain/accounts", "web/accounts")
        if module.startswith(("app.domain.registration", "app.web.registration"))
    ] == []


def test_registration_uses_accounts_only_through_its_public_module():
    assert [
        (path, module)
        for path, module in _imports("domain/registration", "web/registration")
        if module.startswith(("app.domain.accounts.", "app.web.accounts."))
    ] == []
