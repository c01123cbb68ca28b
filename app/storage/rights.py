"""Tables of the worker's GDPR rights: how an account ended (closed by the
worker or by the retention rule, and erased), and the retention rule's
reminder mails.

Both hold ids and moments only, never a personal value: they stay when an
account is erased (the account row stays too, pseudonymised).
"""

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Timestamptz, Varchar

from app.storage.tables import Record, User


class AccountEnd(Record, tablename="account_end"):
    """An account that was closed (and maybe erased). One per account: a
    closed account cannot log in, so it is never closed twice."""

    user = ForeignKey(references=User, unique=True, on_delete=OnDelete.cascade, index=True)
    closed_at = Timestamptz()
    closed_by = Varchar(length=10)  # self | retention
    erased_at = Timestamptz(null=True, default=None)


class RetentionNotice(Record, tablename="retention_notice"):
    """A reminder of the retention rule (app.domain.passport.retention): stage
    1 or 2, counted from the account's last activity `anchor`. `key` is
    "<user>:<stage>:<anchor>" and unique, so a job that runs twice (or two
    workers at once) claims each reminder once and sends one mail."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    stage = Integer()
    anchor = Timestamptz()
    key = Varchar(length=80, unique=True)
    sent_at = Timestamptz()
    # False: the account has no e-mail address; the reminder counts all the same.
    mailed = Boolean(default=True)


TABLES: tuple[type[Record], ...] = (AccountEnd, RetentionNotice)
