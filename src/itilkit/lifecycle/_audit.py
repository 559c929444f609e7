"""The audit trail: one immutable record per fired transition, and its listeners."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar, Protocol

import attrs

from itilkit._time import UNSUPPORTED_YEARS, instant
from itilkit.categories import StateCategory
from itilkit.errors import InvalidTypeError

__all__ = ["FieldChange", "Listener", "TransitionRecord"]


@attrs.frozen
class FieldChange:
    """A field set by a transition: its value before and after."""

    field: str
    old: object
    new: object

    #: :func:`new_change`: a change of values already checked as construction checks them.
    _from_checked: ClassVar[Callable[[str, object, object], FieldChange]]

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.field, str):
            raise InvalidTypeError("FieldChange.field", "a field name (str)", self.field)


def _aware_at(value: datetime) -> bool:
    try:
        return (
            type(value) is datetime
            and value.utcoffset() is not None
            and value.year not in UNSUPPORTED_YEARS
        )
    except Exception:  # a tzinfo that misbehaves: instant() says what is wrong
        return False


@attrs.frozen
class TransitionRecord:
    """What happened when a transition fired: who, when, from where to where, and why.

    Records are never rewritten; an entity's history is a tuple of them, and
    replaying it from the initial state gives the entity's current state. Each
    record carries the categories of its source and target states, so a
    history says when work was paused or resolved without its lifecycle.

    Construction checks the types: names and actor are strings, ``at`` a
    supported aware instant, ``changes`` a tuple of :class:`FieldChange`, the
    categories :class:`~itilkit.categories.StateCategory` or None.
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

    #: :func:`new_record`: a record of values already checked as construction checks them
    #: (the engine's, and the codec's direct read of the usual record).
    _from_checked: ClassVar[Callable[..., TransitionRecord]]

    def __attrs_post_init__(self) -> None:
        if not (
            type(self.transition) is str
            and type(self.source) is str
            and type(self.target) is str
            and type(self.actor) is str
            and (self.reason is None or type(self.reason) is str)
            and type(self.changes) is tuple
            and (not self.changes or all(type(c) is FieldChange for c in self.changes))
            and _aware_at(self.at)
            and (self.source_category is None or type(self.source_category) is StateCategory)
            and (self.target_category is None or type(self.target_category) is StateCategory)
        ):
            self._check()

    def _check(self) -> None:
        """The slow path: name what is wrong (str subclasses and Timestamps pass)."""
        for name in ("transition", "source", "target", "actor"):
            if not isinstance(getattr(self, name), str):
                raise InvalidTypeError(f"TransitionRecord.{name}", "a str", getattr(self, name))
        if not (self.reason is None or isinstance(self.reason, str)):
            raise InvalidTypeError("TransitionRecord.reason", "a str or None", self.reason)
        if not isinstance(self.changes, tuple) or not all(
            isinstance(c, FieldChange) for c in self.changes
        ):
            raise InvalidTypeError(
                "TransitionRecord.changes", "a tuple of FieldChange", self.changes
            )
        for name in ("source_category", "target_category"):
            value = getattr(self, name)
            if not (value is None or isinstance(value, StateCategory)):
                raise InvalidTypeError(f"TransitionRecord.{name}", "a StateCategory or None", value)
        object.__setattr__(self, "at", instant(self.at, "TransitionRecord.at"))

    def changed(self, field: str) -> FieldChange | None:
        """The change to ``field`` in this record, or None."""
        for change in self.changes:
            if change.field == field:
                return change
        return None


# The engine builds one record (and a change per changed field) for every transition it
# fires, and the codec one for every record it reads. Their values need no checks (the
# classes have no validators, and the builders give exactly what ``__attrs_post_init__``
# lets through on its first test), so they set the slots directly: the same frozen
# values, at two thirds of the cost of ``__init__``.
_new = object.__new__
_FIELD, _OLD, _NEW = (getattr(FieldChange, n).__set__ for n in ("field", "old", "new"))
(
    _TRANSITION,
    _SOURCE,
    _TARGET,
    _AT,
    _ACTOR,
    _REASON,
    _CHANGES,
    _SOURCE_CATEGORY,
    _TARGET_CATEGORY,
) = (getattr(TransitionRecord, a.name).__set__ for a in attrs.fields(TransitionRecord))


def new_change(field: str, old: object, new: object) -> FieldChange:
    """``FieldChange(field, old, new)``, built for the engine."""
    change = _new(FieldChange)
    _FIELD(change, field)
    _OLD(change, old)
    _NEW(change, new)
    return change


def new_record(
    transition: str,
    source: str,
    target: str,
    at: datetime,
    actor: str,
    reason: str | None,
    changes: tuple[FieldChange, ...],
    source_category: StateCategory | None,
    target_category: StateCategory | None,
) -> TransitionRecord:
    """``TransitionRecord(...)`` with every field given, built for the engine."""
    record = _new(TransitionRecord)
    _TRANSITION(record, transition)
    _SOURCE(record, source)
    _TARGET(record, target)
    _AT(record, at)
    _ACTOR(record, actor)
    _REASON(record, reason)
    _CHANGES(record, changes)
    _SOURCE_CATEGORY(record, source_category)
    _TARGET_CATEGORY(record, target_category)
    return record


FieldChange._from_checked = new_change
TransitionRecord._from_checked = new_record


class Listener(Protocol):
    """Receives each transition record after it is computed (audit, notifications)."""

    def __call__(self, record: TransitionRecord, /) -> None:
        """Observe ``record``; an exception here propagates to the caller of ``fire``."""
