"""Helpers for tests of the command contract."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import pytest

from app.domain.core import commands


def forbid_handlers(monkeypatch: pytest.MonkeyPatch, types: Iterable[str]) -> None:
    """Replaces the handlers of `types` by one that fails the test when it
    runs: what these tests send must be refused before any handler."""

    async def must_not_run(command):
        raise AssertionError(f"the handler of {command.type} ran for a misfit payload")

    for name in types:
        spec = commands.spec_of(name)
        assert spec is not None, name
        monkeypatch.setitem(commands._specs, name, dataclasses.replace(spec, handler=must_not_run))
