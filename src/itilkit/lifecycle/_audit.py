"""The audit trail: one immutable record per fired transition, and its listeners."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import attrs

from itilkit.categories import StateCategory

__all__ = ["FieldChange", "Listener", "TransitionRecord"]


@attrs.frozen
class FieldChange:
    """A field set by a transition: its value before and after."""

    field: str
    old: object
    new: object


@attrs.frozen
class TransitionRecord:
    """What happened when a transition fired: who, when, from where to where, and why.

    Records are never rewritten; an entity's history is a tuple of them, and
    replaying it from the initial state gives the entity's current state. Each
    record carries the categories of its source and target states, so a
    history says when work was paused or resolved without its lifecycle.
    """

    transition: str
    source: str
    target: str
    at: datetime
    actor: str
    reason: str | None = None
    changes: tuple[FieldChange, ...] = ()
    source_category: StateCategory | None = None
    target_category: StateCategory | None = None

    def changed(self, field: str) -> FieldChange | None:
        """The change to ``field`` in this record, or None."""
        return next((c for c in self.changes if c.field == field), None)


class Listener(Protocol):
    """Receives each transition record after it is computed (audit, notifications)."""

    def __call__(self, record: TransitionRecord, /) -> None:
        """Observe ``record``; an exception here propagates to the caller of ``fire``."""
