"""Lifecycles: the states of one concept and the transitions between them,
declared once per concept (an invitation today; consent, a table, a shift
next) so that every module asks the same question the same way.

    INVITATION = Lifecycle(
        "invitation",
        states=("created", "sent", "registered", "revoked"),
        transitions={
            "send": Transition(("created",), "sent"),
            "revoke": Transition(("created", "sent"), "revoked"),
            "resend": Transition(("sent",)),  # allowed, the state stays
        },
    )
    INVITATION.can("sent", "revoke")        # True
    INVITATION.after("created", "send")     # "sent"
    INVITATION.sources("revoke")            # ("created", "sent"): for a query

A transition names the states it may start from and the state it leads to
(None: the state stays as it is, or the concept decides from its history,
as an extended invitation does). The concept's own module adds what only it
knows (expiry by time, a lock until a moment) on top of this table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Lifecycle", "NotAllowed", "Transition"]


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None = None  # None: the state stays (or is decided by the concept)


class NotAllowed(ValueError):
    """A transition asked of a state that does not allow it."""


class Lifecycle:
    def __init__(self, name: str, states: Iterable[str], transitions: Mapping[str, Transition]):
        self.name = name
        self.states: tuple[str, ...] = tuple(states)
        self.transitions: dict[str, Transition] = dict(transitions)
        known = set(self.states)
        if len(known) != len(self.states):
            raise ValueError(f"{name}: a state is listed twice")
        for transition_name, transition in self.transitions.items():
            unknown = {state for state in (*transition.sources, transition.target) if state is not None} - known
            if unknown:
                raise ValueError(f"{name}.{transition_name}: unknown states {sorted(unknown)}")
            if not transition.sources:
                raise ValueError(f"{name}.{transition_name}: a transition starts from at least one state")

    def _transition(self, transition: str) -> Transition:
        try:
            return self.transitions[transition]
        except KeyError:
            raise KeyError(f"{self.name} has no transition {transition!r}") from None

    def can(self, state: str, transition: str) -> bool:
        """Whether `transition` may start from `state`."""
        return state in self._transition(transition).sources

    def after(self, state: str, transition: str) -> str:
        """The state after `transition` from `state`; NotAllowed when the
        transition may not start there."""
        if not self.can(state, transition):
            raise NotAllowed(f"{self.name}: {transition} from {state}")
        return self._transition(transition).target or state

    def sources(self, transition: str) -> tuple[str, ...]:
        """The states `transition` may start from (for a query's IN list)."""
        return self._transition(transition).sources

    def allowed(self, state: str) -> tuple[str, ...]:
        """The transitions that may start from `state`."""
        return tuple(name for name, transition in self.transitions.items() if state in transition.sources)

    def is_final(self, state: str) -> bool:
        return not self.allowed(state)

    def __repr__(self) -> str:
        return f"Lifecycle({self.name!r}, {len(self.states)} states, {len(self.transitions)} transitions)"
