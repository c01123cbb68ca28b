"""The API for organisations' own systems: read-only keys per organisation
(made and revoked by its organisation admin, the platform admin or
`werkpas apikey`), the consented workers and their consented categories
(read through the passport's one read path, logged with the key as viewer),
and the feed of consent events.

This module is the area's public face: other areas import from here only.
"""

from app.domain.api.keys import Caller, Refusal, authenticate, revealing
from app.domain.api.limits import claim_bad_key, claim_for_key
from app.domain.api.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ConsentEvent,
    EventsPage,
    WorkerRow,
    WorkersPage,
    consent_events,
    key,
    key_by_prefix_or_id,
    keys_of,
    organisation_by_slug,
    organisations,
    worker,
    workers,
)
from app.domain.core.areas import Area
from app.i18n import lazy
from app.storage.api import ApiKey

AREA = Area(
    "api",
    title=lazy("the API"),
    handlers=("app.domain.api.handlers",),
    permissions={"org_admin": {"api.keys"}},
    tables=(ApiKey,),
)

__all__ = [
    "AREA",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Caller",
    "ConsentEvent",
    "EventsPage",
    "Refusal",
    "WorkerRow",
    "WorkersPage",
    "authenticate",
    "claim_bad_key",
    "claim_for_key",
    "consent_events",
    "key",
    "key_by_prefix_or_id",
    "keys_of",
    "organisation_by_slug",
    "organisations",
    "revealing",
    "worker",
    "workers",
]
