"""The api area's refusals, declared once (app.domain.core.reasons)."""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.i18n import lazy

CODES = declare(
    "api",
    {
        "name_missing": lazy("Enter a name for the key, such as the system that will use it."),
        "name_too_long": lazy("Use at most 200 characters."),
        "too_many_keys": lazy("This organisation already has %(max)s keys in use. Revoke one first."),
        "key_revoked": lazy("This key was already revoked."),
    },
)
