"""The worker passport: the worker's own data by category, consent per
organisation and category with receipts, and the one read path for anyone
else (reads.read_shared), which writes the access log.

This module is the area's public face: other areas import from here only.
"""

from app.domain.core.areas import Area
from app.domain.passport.queries import Overview, overview
from app.domain.passport.reads import Shared, Viewer, read_shared
from app.i18n import lazy
from app.storage.passport import (
    AccessLogEntry,
    Consent,
    ConsentRecord,
    ConsentRequest,
    Document,
    Passport,
    PassportField,
    PassportItem,
)
from app.storage.rights import AccountEnd, RetentionNotice

AREA = Area(
    "passport",
    title=lazy("passport"),
    handlers=(
        "app.domain.passport.handlers",
        "app.domain.passport.answers",
        "app.domain.passport.expiry",
        "app.domain.passport.items",
        "app.domain.passport.requests",
        "app.domain.passport.rights",
        "app.domain.passport.retention",
    ),
    permissions={
        "ambassador": {"passport.view"},
        "worker": {"passport.view"},
        # The consultant's view (consultant.py): workers who consented to the organisation.
        "consultant": {"passport.consult"},
        "hr": {"passport.consult"},
        "org_admin": {"passport.consult"},
    },
    demo="app.domain.passport.demo:demo",
    tables=(
        Passport,
        PassportField,
        PassportItem,
        Document,
        Consent,
        ConsentRecord,
        ConsentRequest,
        AccessLogEntry,
        AccountEnd,
        RetentionNotice,
    ),
)

__all__ = ["AREA", "Overview", "Shared", "Viewer", "overview", "read_shared"]
