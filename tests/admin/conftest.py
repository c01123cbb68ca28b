import pytest

from app.domain.registry import load_handlers


@pytest.fixture(autouse=True)
def handlers_loaded():
    """Domain tests run commands without building the app."""
    load_handlers()
