"""The API keys of organisations: their own systems read, through the API,
what workers consented to share with them (app.domain.api).

A key is shown once, when it is made; only its lookup prefix (public, for
finding the row) and a keyed hash of the whole key (HMAC-SHA256 with the
server key) are kept, so the database alone can neither reveal nor forge a
key. A revoked key keeps its row (the access log names it) with
`revoked_at` set.
"""

from piccolo.columns import ForeignKey, Integer, OnDelete, Timestamptz, Varchar

from app.storage.tables import Organisation, Record


class ApiKey(Record, tablename="api_key"):
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    prefix = Varchar(length=32, unique=True, index=True)
    secret_hash = Varchar(length=64)
    # The account that made it (None: the command line); no foreign key, so
    # the row outlives an erased account.
    created_by = Integer(null=True, default=None)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = Integer(null=True, default=None)
    # Written at most once a minute per key (not on every request).
    last_used_at = Timestamptz(null=True, default=None)


TABLES: tuple[type[Record], ...] = (ApiKey,)
