"""Tables of the worker passport's first half: people, their membership of
organisations (the roster), invitations, bulk-import runs, kiosk badges and
consent receipts.

No secret is stored in a form that reveals it: invitation links and codes and
badge tokens are HMACs of a random salt with the server key (see
app.domain.invitations.secrets); the database keeps the salt and a keyed
lookup hash of the short code, never the code itself.
"""

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)

from app.storage.tables import Organisation, Record, Unit, User


class Person(Record, tablename="person"):
    """A worker as one organisation knows them: the data that organisation
    entered. Each organisation keeps its own record (matching never crosses
    organisations), so staff see only what their organisation entered, and
    nothing staff do reaches another organisation's people. `user` is set
    when the person registers with this organisation's invitation or accepts
    it while logged in; one account can so be linked to several records, one
    per organisation."""

    organisation = ForeignKey(references=Organisation, null=True, default=None, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    last_name = Varchar(length=100)
    first_name = Varchar(length=100)
    birth_date = Date()
    postcode = Varchar(length=4)
    email = Varchar(length=254, null=True, default=None, index=True)
    phone = Varchar(length=32, null=True, default=None)
    language = Varchar(length=2, default="nl")
    # Lower-cased, accent-free "last|first|birth date" so matching a roster row
    # or a re-uploaded file finds the same person whatever the spelling case.
    match_key = Varchar(length=220, index=True)
    created_at = Timestamptz()


class Membership(Record, tablename="membership"):
    """A person on an organisation's roster (by invitation, import or admin)."""

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=True, default=None, on_delete=OnDelete.set_null)
    source = Varchar(length=12)  # invitation | import | admin
    created_at = Timestamptz()


class ImportRun(Record, tablename="import_run"):
    """One bulk registration: counts, the uploader and per-row results; the
    uploaded file itself is never kept."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    # The unit the upload was for (None: the whole organisation); staff with a
    # role on a unit see the runs of that unit and below.
    unit = ForeignKey(references=Unit, null=True, default=None, on_delete=OnDelete.set_null)
    uploaded_by = Integer(null=True, default=None)
    channel = Varchar(length=10)  # web | cli
    mode = Varchar(length=10)  # create | match
    file_kind = Varchar(length=5)  # csv | xlsx
    rows_total = Integer(default=0)
    done = Integer(default=0)  # result code 1
    not_needed = Integer(default=0)  # result code 2
    not_found = Integer(default=0)  # result code 3
    invalid = Integer(default=0)  # result code 4
    created_at = Timestamptz()


class ImportRow(Record, tablename="import_row"):
    run = ForeignKey(references=ImportRun, on_delete=OnDelete.cascade, index=True)
    row_number = Integer()
    code = Integer()  # 1 done, 2 not needed, 3 not found, 4 invalid
    person = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)
    # Field -> problem code (e.g. {"postcode": "postcode_range"}), no values.
    problems = Text(default="{}")


class Invitation(Record, tablename="invitation"):
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=True, default=None, on_delete=OnDelete.set_null)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    issued_by = Integer(null=True, default=None)
    import_run = ForeignKey(references=ImportRun, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    delivery = Varchar(length=10)  # email | paper | both
    language = Varchar(length=2)
    # created | sent | opened | registered | expired | revoked
    status = Varchar(length=12, default="created", index=True)
    salt = Varchar(length=32)
    code_lookup = Varchar(length=64, unique=True, index=True)
    expires_at = Timestamptz(index=True)
    sent_at = Timestamptz(null=True, default=None)
    opened_at = Timestamptz(null=True, default=None)
    registered_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    failed_attempts = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class Badge(Record, tablename="badge"):
    """A kiosk login badge: a long-lived QR token and a short badge code.
    Issuing a new badge revokes the person's previous one."""

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    salt = Varchar(length=32)
    code_lookup = Varchar(length=64, unique=True, index=True)
    issued_by = Integer(null=True, default=None)
    issued_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class ConsentReceipt(Record, tablename="consent_receipt"):
    """Proof that a person accepted a document (e.g. the privacy notice)."""

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    document = Varchar(length=30)  # privacy_notice
    version = Varchar(length=20)
    channel = Varchar(length=10)  # web | kiosk
    accepted_at = Timestamptz()
    active = Boolean(default=True)


TABLES: tuple[type[Record], ...] = (Person, Membership, ImportRun, ImportRow, Invitation, Badge, ConsentReceipt)
