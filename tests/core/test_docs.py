"""README tested against the code: its command-line table names every
`werkpas` subcommand (from app/cli.py's argparse), and its configuration
table every environment variable app/config.py reads."""

import argparse
import ast
import re
from pathlib import Path

from app.cli import build_parser
from app.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.MULTILINE | re.DOTALL)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _first_cells(section: str) -> list[str]:
    """The first cell of every row of the section's tables (header and rule excluded)."""
    cells = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells.append(line.split("|")[1].strip())
    return cells[1:] if cells else cells


def _subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every runnable subcommand path, e.g. ("invitations", "print")."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = _subcommands(sub, (*prefix, name))
                found.extend(inner or [(*prefix, name)])
    return found


def documented_commands() -> set[tuple[str, ...]]:
    documented = set()
    for cell in _first_cells(_section("Command line")):
        match = re.fullmatch(r"`werkpas ([^`]*)`", cell)
        assert match, f"command-line table row is not `werkpas ...`: {cell}"
        words = match.group(1).split()
        for length in range(1, len(words) + 1):
            documented.add(tuple(words[:length]))
    return documented


def test_every_subcommand_is_in_the_readme():
    commands = _subcommands(build_parser())
    assert ("serve",) in commands and ("invitations", "print") in commands and ("command",) in commands
    missing = [" ".join(path) for path in commands if path not in documented_commands()]
    assert missing == [], f"README's command-line table misses: werkpas {', werkpas '.join(missing)}"


def test_the_readme_documents_no_subcommand_that_does_not_exist():
    """Each row names a real subcommand: its first word (and second, for a
    group such as `invitations print`)."""
    commands = _subcommands(build_parser())
    unknown = []
    for cell in _first_cells(_section("Command line")):
        words = cell.strip("`").split()[1:]
        if not any(tuple(words[: len(path)]) == path for path in commands):
            unknown.append(cell)
    assert unknown == []


class _Recording(dict):
    """An environment that remembers every name asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: set[str] = set()

    def get(self, name, default=None):
        self.asked.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.asked.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.asked.add(name)
        return super().__contains__(name)


def _read_by_config(tmp_path) -> set[str]:
    """The names load_settings() reads, and every name passed as a string to
    a reader in app/config.py (in case a branch was not taken)."""
    environ = _Recording(WERKPAS_DATA_DIR=str(tmp_path))
    load_settings(environ)
    names = set(environ.asked)
    tree = ast.parse((ROOT / "app" / "config.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(isinstance(arg, ast.Name) and arg.id == "environ" for arg in node.args):
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and re.fullmatch(r"[A-Z][A-Z0-9_]+", arg.value)
                ):
                    names.add(arg.value)
    return names


def documented_settings() -> set[str]:
    names = set()
    for cell in _first_cells(_section("Configuration")):
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", cell))
    return names


def test_every_setting_config_reads_is_in_the_readme(tmp_path):
    read = _read_by_config(tmp_path)
    assert {"DATABASE_URL", "WERKPAS_DATA_DIR", "HOST", "PORT", "WERKPAS_SECURITY_CONTACT"} <= read
    missing = sorted(read - documented_settings())
    assert missing == [], f"README's configuration table misses: {missing}"


def test_the_checks_see_a_missing_row(tmp_path):
    """The introspection finds what a table would miss (or it proves nothing)."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.add_parser("undocumented")
    assert ("undocumented",) in _subcommands(parser)
    assert ("undocumented",) not in documented_commands()
    assert "WERKPAS_NOT_A_SETTING" not in documented_settings()
    assert "HOST" in documented_settings() and "PORT" in documented_settings()
