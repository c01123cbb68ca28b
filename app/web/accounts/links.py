"""What the pages of a single-use link (set or reset a password, confirm an
address) share: the reason a link cannot be used, read from the code of a
refused command or from the link check (tokens.TokenProblem)."""

from __future__ import annotations

from app.domain.core.commands import Outcome

# Reason code of a refused command -> the reason the problem page explains.
LINK_REASONS = {"link_invalid": "invalid", "link_expired": "expired", "link_used": "used"}
# The problem page answers with this status per reason.
LINK_STATUS = {"invalid": 400, "expired": 410, "used": 410}
# The secret is in the URL: no copy in browser or proxy caches (other sites
# get no Referer: the app-wide Referrer-Policy is same-origin).
NO_STORE = {"Cache-Control": "no-store"}


def link_reason(outcome: Outcome) -> str | None:
    """ "invalid", "expired" or "used" when the refusal was about the link."""
    return LINK_REASONS.get(outcome.code() or "")
