"""The semantic category of a lifecycle state.

Lifecycles name their states freely ("in_progress", "awaiting_vendor", ...);
each state belongs to one category, and SLA clocks and metrics depend only on
categories, never on state names.

=========  =========================================================
category   meaning
=========  =========================================================
new        logged, nobody working on it yet
active     being worked on (the clock runs)
paused     waiting on someone outside the team (the clock may pause)
resolved   a resolution is proposed; may be reopened
closed     final, done
canceled   final, withdrawn (excluded from most measures)
=========  =========================================================
"""

from __future__ import annotations

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit.errors import InvalidInputError

__all__ = ["StateCategory", "to_category"]


class StateCategory(Vocabulary):
    """The semantic category of a lifecycle state."""

    NEW = "new"
    ACTIVE = "active"
    PAUSED = "paused"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELED = "canceled"

    @property
    def is_final(self) -> bool:
        """True for closed and canceled: no transition leaves such a state by default."""
        return self in (StateCategory.CLOSED, StateCategory.CANCELED)

    @property
    def is_open(self) -> bool:
        """True while work is still owed: new, active or paused."""
        return self in (StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED)


def to_category(value: object) -> StateCategory:
    """``value`` (a category or its value) as a :class:`StateCategory`; else a typed error.

    >>> to_category("paused")
    <StateCategory.PAUSED: 'paused'>
    """
    if isinstance(value, StateCategory):
        return value
    found = StateCategory._value2member_map_.get(value) if isinstance(value, str) else None
    if found is None:
        allowed = ", ".join(c.value for c in StateCategory)
        raise InvalidInputError(f"{shown(value)} is not a state category; allowed: {allowed}")
    return found  # type: ignore[return-value]
