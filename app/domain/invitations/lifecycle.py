"""The invitation's lifecycle, defined once: its stored statuses, the
transitions between them, and whether an invitation can be used now.

    created --send--> sent --open--> opened --register--> registered
       |  (open) ----------------------^
       +-- created, sent, opened --expire--> expired --extend--> back to created, sent or opened
       +-- created, sent, opened, expired --revoke--> revoked

Two things are decided by time rather than by the stored status:

- expiry: an open invitation (created, sent, opened) past its `expires_at`
  is expired at once, whether or not the daily job has marked it yet
  (`status_of`);
- the lock: too many wrong birth dates lock an open invitation until
  `locked_until`; it is not a status (the row stays open) but the person
  cannot use it until then (`unusable` answers "locked").

`unusable(row)` is the one answer to "can the person use this invitation
now?" (registration asks it); `is_open(row)` is the one answer to "is this
invitation still open?" (staff may send, print and extend it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.core.commands import utcnow
from app.domain.core.lifecycle import Lifecycle, Transition
from app.storage.people import Invitation

__all__ = [
    "INVITATION",
    "OPEN",
    "STATUSES",
    "UNUSABLE",
    "due_where",
    "expired_where",
    "is_open",
    "open_where",
    "reopened_status",
    "status_of",
    "unusable",
]

STATUSES = ("created", "sent", "opened", "registered", "expired", "revoked")
# Still valid: may be sent, printed, opened and registered with.
OPEN = ("created", "sent", "opened")

INVITATION = Lifecycle(
    "invitation",
    states=STATUSES,
    transitions={
        # The mail job recorded a sending (a later state keeps its status).
        "send": Transition(("created",), "sent"),
        # Staff send the mail again: the status stays.
        "resend": Transition(OPEN),
        # The link was followed or the code typed.
        "open": Transition(("created", "sent"), "opened"),
        "register": Transition(OPEN, "registered"),
        "expire": Transition(OPEN, "expired"),
        # A new expiry date; an expired one goes back to where it was (reopened_status).
        "extend": Transition((*OPEN, "expired")),
        "revoke": Transition((*OPEN, "expired"), "revoked"),
        # Too many wrong birth dates: locked for a while, the status stays.
        "lock": Transition(OPEN),
    },
)

# Why an invitation cannot be used, as reason codes (registration words them).
UNUSABLE = ("revoked", "registered", "expired", "locked")


def status_of(row: dict[str, Any], now: datetime | None = None) -> str:
    """The stored status, except that an open invitation past its expiry is
    expired whether or not the expiry job has run yet."""
    if row["status"] in OPEN and row["expires_at"] <= (now or utcnow()):
        return "expired"
    return row["status"]


def is_open(row: dict[str, Any], now: datetime | None = None) -> bool:
    """Still open now (created, sent or opened, and not past its expiry)."""
    return status_of(row, now) in OPEN


def unusable(row: dict[str, Any], now: datetime | None = None) -> str | None:
    """Why the person cannot use this invitation now: "revoked",
    "registered", "expired" or "locked"; None when they can. The moments
    count as much as the status: a row revoked or registered at some time
    is so whatever its status says, and a lock holds while `locked_until`
    lies ahead (from that moment on it is over)."""
    now = now or utcnow()
    if row["status"] == "revoked" or row.get("revoked_at") is not None:
        return "revoked"
    if row["status"] == "registered" or row.get("registered_at") is not None:
        return "registered"
    if status_of(row, now) not in OPEN:
        return "expired"
    if row.get("locked_until") is not None and row["locked_until"] > now:
        return "locked"
    return None


def reopened_status(row: dict[str, Any]) -> str:
    """The status an expired invitation had before it expired (by its history)."""
    if row["opened_at"] is not None:
        return "opened"
    return "sent" if row["sent_at"] is not None else "created"


def after_extend(row: dict[str, Any]) -> str:
    """The status after `extend` (NotAllowed when it may not be extended)."""
    status = INVITATION.after(row["status"], "extend")
    return reopened_status(row) if status == "expired" else status


# -- the same rules as query conditions ----------------------------------------


def open_where(now: datetime | None = None):
    """Invitations open at `now`."""
    return Invitation.status.is_in(list(OPEN)) & (Invitation.expires_at > (now or utcnow()))


def due_where(now: datetime | None = None):
    """Open by their status but past their expiry: the expiry job's work."""
    return Invitation.status.is_in(list(INVITATION.sources("expire"))) & (Invitation.expires_at <= (now or utcnow()))


def expired_where(now: datetime | None = None):
    """Expired at `now`, marked or not."""
    return (Invitation.status == "expired") | due_where(now)


def status_where(status: str, now: datetime | None = None):
    """Invitations whose `status_of` is `status` at `now`."""
    if status == "expired":
        return expired_where(now)
    if status in OPEN:
        return (Invitation.status == status) & (Invitation.expires_at > (now or utcnow()))
    return Invitation.status == status
