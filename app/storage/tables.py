"""Piccolo tables of the foundation: organisations, units, users, roles,
one-time secrets, the command log, the audit log and the job queue.

Times are stored in UTC (Timestamptz); pages convert them to Europe/Brussels.
JSON payloads are stored as text encoded by msgspec, the same on SQLite and
PostgreSQL.
"""

from typing import TYPE_CHECKING

from piccolo.columns import (
    UUID,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    LazyTableReference,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

if TYPE_CHECKING:
    from piccolo.columns import Serial

    class Record(Table):
        """For the type checker only: Piccolo adds the `id` primary key to
        every table at run time, unseen by mypy."""

        id: Serial

else:
    Record = Table


class Organisation(Record, tablename="organisation"):
    name = Varchar(length=200)
    slug = Varchar(length=80, unique=True, index=True)
    kind = Varchar(length=20)  # agency | employer | sector
    default_language = Varchar(length=2, default="nl")
    invitation_days = Integer(default=30)
    created_at = Timestamptz()


class Unit(Record, tablename="unit"):
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    parent: "ForeignKey[Unit]" = ForeignKey(
        references=LazyTableReference("Unit", module_path=__name__), null=True, on_delete=OnDelete.restrict
    )
    name = Varchar(length=200)
    kind = Varchar(length=20)  # site | department | subgroup
    # Materialised path of ids ("/3/7/12/") so "this unit and its descendants"
    # is one indexed prefix match on both databases.
    path = Varchar(length=400, index=True, default="")
    created_at = Timestamptz()


class User(Record, tablename="app_user"):
    email = Varchar(length=254, null=True, default=None, unique=True, index=True)
    phone = Varchar(length=32, null=True, default=None)
    display_name = Varchar(length=200)
    password_hash = Text(null=True, default=None)
    pin_hash = Text(null=True, default=None)
    language = Varchar(length=2, default="nl")
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict, index=True)
    is_active = Boolean(default=True)
    deactivated_at = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    # Raised whenever every session of the account must end (password or PIN
    # reset, e-mail change, deactivation, revoked role, "log out everywhere"):
    # a session remembers the version it began with and is void when it differs.
    session_version = Integer(default=0)
    # A new e-mail address that an admin set, waiting for confirmation from
    # that address; the login e-mail changes only then.
    pending_email = Varchar(length=254, null=True, default=None)
    # When the person finished or skipped the passport introduction (None:
    # not yet). Per account, not per session: a kiosk is shared.
    onboarded_at = Timestamptz(null=True, default=None)


class RoleGrant(Record, tablename="role_grant"):
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=30)
    # platform_admin grants have neither organisation nor unit.
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz()


class SecretToken(Record, tablename="secret_token"):
    """Single-use links (set password, reset password). The link's secret is
    an HMAC of this row with the server key: the database alone can neither
    reveal nor forge it, and a queued mail needs only the row id."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=30)
    salt = Varchar(length=32)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class CommandRecord(Record, tablename="command_record"):
    """One row per applied or rejected command: id, hash and outcome only,
    never personal values, so erasure never has to rewrite it."""

    command_id = UUID(unique=True, index=True)
    type = Varchar(length=80)
    actor_id = Integer(null=True, default=None)
    channel = Varchar(length=10)
    payload_hash = Varchar(length=64)
    status = Varchar(length=10)  # applied | rejected
    outcome = Text()
    created_at = Timestamptz()


class AuditEvent(Record, tablename="audit_event"):
    """Append-only: there is no code path that updates or deletes a row."""

    at = Timestamptz(index=True)
    command_id = UUID(null=True, default=None)
    actor_id = Integer(null=True, default=None, index=True)
    organisation_id = Integer(null=True, default=None, index=True)
    type = Varchar(length=80, index=True)
    target_type = Varchar(length=40, default="")
    target_id = Varchar(length=64, default="")
    outcome = Varchar(length=10)
    channel = Varchar(length=10)
    detail = Varchar(length=200, default="")


class Job(Record, tablename="job"):
    kind = Varchar(length=60, index=True)
    payload = Text(default="{}")
    status = Varchar(length=10, default="queued", index=True)  # queued | done | failed
    due_at = Timestamptz(index=True)
    attempts = Integer(default=0)
    max_attempts = Integer(default=5)
    lease_until = Timestamptz(null=True, default=None)
    leased_by = Varchar(length=64, null=True, default=None)
    last_error = Text(null=True, default=None)
    unique_key = Varchar(length=120, null=True, default=None, unique=True)
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)


class RateLimit(Record, tablename="rate_limit"):
    """One counter per limited key (an account, a client address, a badge, a
    code): attempts are claimed with one atomic upsert before the secret is
    checked, so parallel requests cannot slip past the limit. Used when
    REDIS_URL is not set; `reset_at` is Unix time in seconds."""

    key = Varchar(length=200, unique=True)
    hits = Integer(default=0)
    reset_at = DoublePrecision(default=0.0)


TABLES: tuple[type[Table], ...] = (
    Organisation,
    Unit,
    User,
    RoleGrant,
    SecretToken,
    CommandRecord,
    AuditEvent,
    Job,
    RateLimit,
)
