"""The invitation's lifecycle, defined once (app.domain.invitations.lifecycle)
on the generic shape of app.domain.core.lifecycle: every transition from
every state allowed or refused, and the usability rules with their timing
(expiry at the moment itself, a lock until its moment)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.core.lifecycle import Lifecycle, NotAllowed, Transition
from app.domain.invitations import INVITATION, OPEN, STATUSES, UNUSABLE, is_open, status_of, unusable
from app.domain.invitations.lifecycle import after_extend, reopened_status

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)
EARLIER = NOW - timedelta(days=3)

# transition -> {state it may start from: state after it}; every other state refuses it.
EXPECTED = {
    "send": {"created": "sent"},
    "resend": {"created": "created", "sent": "sent", "opened": "opened"},
    "open": {"created": "opened", "sent": "opened"},
    "register": {"created": "registered", "sent": "registered", "opened": "registered"},
    "expire": {"created": "expired", "sent": "expired", "opened": "expired"},
    "extend": {"created": "created", "sent": "sent", "opened": "opened", "expired": "expired"},
    "revoke": {"created": "revoked", "sent": "revoked", "opened": "revoked", "expired": "revoked"},
    "lock": {"created": "created", "sent": "sent", "opened": "opened"},
}


def test_the_states_and_transitions_are_the_ones_documented():
    assert STATUSES == ("created", "sent", "opened", "registered", "expired", "revoked")
    assert OPEN == ("created", "sent", "opened")
    assert set(INVITATION.transitions) == set(EXPECTED)
    assert UNUSABLE == ("revoked", "registered", "expired", "locked")


@pytest.mark.parametrize("transition", sorted(EXPECTED))
@pytest.mark.parametrize("state", STATUSES)
def test_every_transition_from_every_state(state, transition):
    allowed = EXPECTED[transition]
    assert INVITATION.can(state, transition) is (state in allowed)
    if state in allowed:
        assert INVITATION.after(state, transition) == allowed[state]
    else:
        with pytest.raises(NotAllowed):
            INVITATION.after(state, transition)


def test_registered_and_revoked_are_final():
    assert INVITATION.is_final("registered") and INVITATION.is_final("revoked")
    assert not any(INVITATION.is_final(state) for state in (*OPEN, "expired"))
    assert INVITATION.allowed("expired") == ("extend", "revoke")


def test_an_unknown_transition_is_a_bug():
    with pytest.raises(KeyError):
        INVITATION.can("created", "undo")


def row(status: str = "created", expires_at: datetime = LATER, **moments) -> dict:
    values = {"revoked_at": None, "registered_at": None, "locked_until": None, "opened_at": None, "sent_at": None}
    return {"status": status, "expires_at": expires_at, **values, **moments}


def test_status_of_expires_an_open_invitation_at_its_moment():
    for status in OPEN:
        assert status_of(row(status, LATER), NOW) == status
        assert status_of(row(status, NOW), NOW) == "expired"  # at the moment itself
        assert status_of(row(status, EARLIER), NOW) == "expired"
        assert is_open(row(status, LATER), NOW) and not is_open(row(status, NOW), NOW)
    for status in ("registered", "revoked", "expired"):
        assert status_of(row(status, EARLIER), NOW) == status
        assert status_of(row(status, LATER), NOW) == status
        assert not is_open(row(status, LATER), NOW)


def test_an_open_invitation_before_its_expiry_is_usable():
    for status in OPEN:
        assert unusable(row(status, LATER), NOW) is None
        assert unusable(row(status, NOW + timedelta(seconds=1)), NOW) is None


def test_usability_by_status():
    assert unusable(row("revoked"), NOW) == "revoked"
    assert unusable(row("registered"), NOW) == "registered"
    assert unusable(row("expired", LATER), NOW) == "expired"  # marked expired, whatever the date says
    for status in OPEN:
        assert unusable(row(status, NOW), NOW) == "expired"
        assert unusable(row(status, EARLIER), NOW) == "expired"


def test_the_moments_count_as_much_as_the_status():
    assert unusable(row("sent", revoked_at=EARLIER), NOW) == "revoked"
    assert unusable(row("opened", registered_at=EARLIER), NOW) == "registered"
    # Revoked before registered before expired before locked.
    assert unusable(row("revoked", EARLIER, registered_at=EARLIER, locked_until=LATER), NOW) == "revoked"
    assert unusable(row("registered", EARLIER, locked_until=LATER), NOW) == "registered"
    assert unusable(row("opened", EARLIER, locked_until=LATER), NOW) == "expired"


def test_a_lock_holds_until_its_moment():
    assert unusable(row("opened", locked_until=NOW + timedelta(seconds=1)), NOW) == "locked"
    assert unusable(row("opened", locked_until=NOW), NOW) is None  # over at its moment
    assert unusable(row("opened", locked_until=EARLIER), NOW) is None
    # A lock is not a status: the invitation stays open (staff may still print or send it).
    assert is_open(row("opened", locked_until=LATER), NOW)


def test_unusable_without_a_time_uses_now():
    assert unusable(row("created", datetime.now(UTC) + timedelta(minutes=5))) is None
    assert unusable(row("created", datetime.now(UTC) - timedelta(minutes=5))) == "expired"


def test_extend_reopens_an_expired_invitation_as_it_was():
    assert reopened_status(row("expired")) == "created"
    assert reopened_status(row("expired", sent_at=EARLIER)) == "sent"
    assert reopened_status(row("expired", sent_at=EARLIER, opened_at=EARLIER)) == "opened"
    assert after_extend(row("expired", sent_at=EARLIER)) == "sent"
    assert after_extend(row("opened")) == "opened"
    for status in ("registered", "revoked"):
        with pytest.raises(NotAllowed):
            after_extend(row(status))


def test_registration_asks_the_same_lifecycle():
    from app.domain.registration.queries import problem_of

    for case in (
        row("created"),
        row("sent", NOW),
        row("opened", locked_until=LATER),
        row("revoked"),
        row("sent", registered_at=EARLIER),
    ):
        assert problem_of(case, NOW) == unusable(case, NOW)


# -- the generic shape ------------------------------------------------------


def test_a_lifecycle_refuses_unknown_states_and_empty_sources():
    with pytest.raises(ValueError, match="unknown states"):
        Lifecycle("table", ("free", "taken"), {"book": Transition(("free",), "booked")})
    with pytest.raises(ValueError, match="at least one state"):
        Lifecycle("table", ("free", "taken"), {"book": Transition((), "taken")})
    with pytest.raises(ValueError, match="twice"):
        Lifecycle("table", ("free", "free"), {})


def test_the_shape_serves_the_next_lifecycles():
    shift = Lifecycle(
        "shift",
        ("planned", "started", "done", "cancelled"),
        {
            "start": Transition(("planned",), "started"),
            "finish": Transition(("started",), "done"),
            "cancel": Transition(("planned", "started"), "cancelled"),
        },
    )
    assert shift.after("planned", "start") == "started"
    assert shift.sources("cancel") == ("planned", "started")
    assert not shift.can("done", "cancel") and shift.is_final("done")
    assert "shift" in repr(shift)
