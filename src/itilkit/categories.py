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

__all__ = ["StateCategory"]


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
