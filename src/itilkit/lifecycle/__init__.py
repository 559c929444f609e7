"""Generic, ITIL-agnostic declarative lifecycles (state machines).

A :class:`LifecycleDefinition` is validated data; :func:`fire` is a pure
function returning the new state and a :class:`TransitionRecord`; a
:class:`Lifecycle` binds a definition to its guards and listeners.
"""

from __future__ import annotations

from itilkit.lifecycle._audit import FieldChange, Listener, TransitionRecord
from itilkit.lifecycle._customize import derive
from itilkit.lifecycle._definition import LifecycleDefinition, State, Transition
from itilkit.lifecycle._diagram import to_mermaid
from itilkit.lifecycle._engine import Lifecycle, Outcome, available_transitions, fire, replay
from itilkit.lifecycle._guards import (
    Guard,
    GuardContext,
    GuardRegistry,
    actor_differs_from,
    actor_not_in,
    field_in,
)

__all__ = [
    "FieldChange",
    "Guard",
    "GuardContext",
    "GuardRegistry",
    "Lifecycle",
    "LifecycleDefinition",
    "Listener",
    "Outcome",
    "State",
    "Transition",
    "TransitionRecord",
    "actor_differs_from",
    "actor_not_in",
    "available_transitions",
    "derive",
    "field_in",
    "fire",
    "replay",
    "to_mermaid",
]
