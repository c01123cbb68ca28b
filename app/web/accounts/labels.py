"""Names of roles as people read them (message ids, translated on use)."""

from app.domain.core.access import ROLE_LABELS
from app.i18n import _


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role
