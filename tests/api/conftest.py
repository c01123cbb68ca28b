import pytest

from app.domain.api import queries
from app.domain.registry import load_handlers


@pytest.fixture(autouse=True)
def handlers_loaded():
    """Domain tests run commands without building the app."""
    load_handlers()


@pytest.fixture(autouse=True)
def events_at_once(monkeypatch):
    """The events feed leaves out receipts of the last seconds (SETTLE); the
    tests read them at once (a test of its own keeps the lag)."""
    monkeypatch.setattr(queries, "SETTLE", queries.SETTLE * 0)
