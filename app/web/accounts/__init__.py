"""The accounts pages. Other areas' pages use only what this module offers:
starting a signed-in session (registration signs a new worker in)."""

from app.web.accounts.sessions import start_session

__all__ = ["start_session"]
