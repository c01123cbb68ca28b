"""Tables of the worker passport's second half: the worker's own data by
category, their documents, consent per organisation and category with its
receipts, the agencies' requests for consent, and the access log.

The passport belongs to the account (User), not to an organisation's Person
record: the worker keeps one passport and decides per organisation who sees
which category. Values of sensitive fields (national number, bank account)
are stored encrypted (app.domain.passport.vault); `encrypted` says which.

Receipts and access-log entries name people by id without a foreign key:
they outlive an erased account, pseudonymised (the id no longer names
anybody once the account's personal data is gone).
"""

from piccolo.columns import (
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)

from app.storage.tables import Organisation, Record, User


class Passport(Record, tablename="passport"):
    """One per worker who has written anything in their passport: when it
    last changed (the API's `updated_since`) and the few facts the
    consultant's list filters on, kept beside the fields so a search over
    many workers reads one row per worker."""

    user = ForeignKey(references=User, unique=True, on_delete=OnDelete.cascade, index=True)
    updated_at = Timestamptz(index=True)
    created_at = Timestamptz()


class PassportField(Record, tablename="passport_field"):
    """One value of a single-valued category (identity, contact, address,
    bank, preferences, mobility, availability). Unique per user, category
    and name (an index of the migration)."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    category = Varchar(length=20)
    name = Varchar(length=40)
    value = Text(default="")
    encrypted = Boolean(default=False)
    # None: the worker wrote it; otherwise the organisation that verified it.
    verified_by = ForeignKey(references=Organisation, null=True, default=None, on_delete=OnDelete.set_null)
    verified_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz()


class PassportItem(Record, tablename="passport_item"):
    """One entry of a list category: a diploma (education), a course
    (training), a certificate or licence, a skill, a language."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    category = Varchar(length=20)
    # What it is, as a code where the category has a list (vca, forklift,
    # driving_licence_c, a language code) and free text otherwise.
    kind = Varchar(length=60)
    name = Varchar(length=200, default="")
    level = Varchar(length=20, default="")
    issued_on = Date(null=True, default=None)
    expires_on = Date(null=True, default=None)
    document = Integer(null=True, default=None)  # a Document id of the same user
    verified_by = ForeignKey(references=Organisation, null=True, default=None, on_delete=OnDelete.set_null)
    verified_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Document(Record, tablename="document"):
    """An uploaded file of the worker (PDF, JPEG or PNG). The bytes live in
    the content-addressed file store under their SHA-256 `digest`."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    digest = Varchar(length=64, index=True)
    media_type = Varchar(length=40)
    size = Integer()
    name = Varchar(length=200)
    created_at = Timestamptz()


class Consent(Record, tablename="consent"):
    """A consent in force: this worker lets this organisation see this
    category for this purpose until `expires_at`. Withdrawing deletes the
    row (the ConsentRecord of the withdrawal keeps the history), so a check
    is one indexed lookup. Unique per user, organisation and category."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    category = Varchar(length=20)
    purpose = Varchar(length=40)
    granted_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    receipt = UUID()


class ConsentRecord(Record, tablename="consent_record"):
    """A consent receipt, shaped after ISO/IEC TS 27560: who (the worker),
    to whom (the organisation), which categories, purpose, legal basis,
    time, channel and notice version. Never changed, kept after withdrawal."""

    receipt = UUID(unique=True, index=True)
    subject_id = Integer(index=True)  # the worker's account id
    organisation_id = Integer(index=True)
    organisation_name = Varchar(length=200)
    action = Varchar(length=12)  # grant | change | withdraw | expire
    categories = Varchar(length=400)  # comma-separated category codes
    purpose = Varchar(length=40)
    legal_basis = Varchar(length=20, default="consent")
    channel = Varchar(length=10)
    notice_version = Varchar(length=20)
    at = Timestamptz(index=True)
    expires_at = Timestamptz(null=True, default=None)
    actor_id = Integer(null=True, default=None)


class ConsentRequest(Record, tablename="consent_request"):
    """An organisation asks a worker to see more categories; the worker
    accepts, narrows or refuses. At most one open request per worker and
    organisation (an index of the migration)."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    categories = Varchar(length=400)
    purpose = Varchar(length=40)
    requested_by = Integer(null=True, default=None)
    status = Varchar(length=10, default="open")  # open | accepted | narrowed | refused
    created_at = Timestamptz()
    answered_at = Timestamptz(null=True, default=None)


class AccessLogEntry(Record, tablename="access_log_entry"):
    """Somebody other than the worker read categories of the worker's data:
    who (an account or an API key), for which organisation, which categories,
    why (purpose and legal basis), when and through which channel."""

    at = Timestamptz(index=True)
    subject_id = Integer(index=True)
    viewer_id = Integer(null=True, default=None)
    api_key_id = Integer(null=True, default=None)
    organisation_id = Integer(null=True, default=None)
    organisation_name = Varchar(length=200, default="")
    viewer_name = Varchar(length=200, default="")
    categories = Varchar(length=400)
    purpose = Varchar(length=40)
    legal_basis = Varchar(length=20)
    channel = Varchar(length=10)


TABLES: tuple[type[Record], ...] = (
    Passport,
    PassportField,
    PassportItem,
    Document,
    Consent,
    ConsentRecord,
    ConsentRequest,
    AccessLogEntry,
)
