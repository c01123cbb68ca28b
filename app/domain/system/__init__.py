"""System: what every area runs on. The command log and the audit trail
(app.domain.core.commands), the job queue (app.domain.jobs), rate-limit
counters and mail (app.domain.mail, whose job handler sends every mail), and
the command catalogue that platform admins may read."""

from app.domain.core.areas import Area
from app.storage.tables import AuditEvent, CommandRecord, Job, RateLimit

AREA = Area(
    "system",
    handlers=("app.domain.mail",),
    platform_only=frozenset({"system.commands"}),
    tables=(CommandRecord, AuditEvent, Job, RateLimit),
)
