"""A policy compiled once for the clock: its conditions, as signals per instant.

At each instant of a history every target's clock asks the same few questions
(does ``start`` match, ``stop``, ``pause``...). :func:`compiled` answers them
once per policy object: the distinct conditions of all targets are listed once,
each target's answers are packed into one small integer (its *signal*, the
bits below), and, where every condition is one of the built-in values, the
signals of an instant are memoised on what those conditions read (the state,
the category, the values of the fields they name, which of those changed), so
most instants cost one dictionary lookup, across calls and across records. A
condition of the host's own is asked on a :class:`Snapshot` at every instant.

Signal bits, per target:

* ``STARTS``: ``start`` matches and neither ``stop`` nor ``cancel`` does;
* ``CANCEL``, ``STOP``: those conditions match;
* ``RESET``: ``reset`` and ``start`` match;
* ``PAUSE``: ``pause`` matches and ``resume`` does not.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from itilkit.categories import StateCategory
from itilkit.sla._deadlines import Deadline
from itilkit.sla._history import Snapshot
from itilkit.sla._instants import LONGEST
from itilkit.sla._policy import DurationsByField, SlaPolicy, SlaTarget
from itilkit.sla._policy_conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldChanged,
    FieldIs,
    InCategory,
    InState,
    Not,
)

__all__ = ["CANCEL", "MEMO_LIMIT", "PAUSE", "RESET", "STARTS", "STOP", "Compiled", "compiled"]

STARTS, CANCEL, STOP, RESET, PAUSE = 1, 2, 4, 8, 16

#: Field values a memo key may hold: equal values of one of these types are alike.
_KEYABLE = frozenset({str, int, bool, float, type(None)})
#: At most this many memoised signals and level tables per policy.
MEMO_LIMIT = 4096

_MICROSECOND = timedelta(microseconds=1)
#: Past the supported range: a level this far is never reached (placing it raises).
_BEYOND = LONGEST + _MICROSECOND


class _Reads:
    """What a set of conditions reads of a snapshot (``opaque``: anything)."""

    __slots__ = ("changed", "fields", "opaque")

    def __init__(self) -> None:
        self.fields: set[str] = set()
        self.changed: set[str] = set()
        self.opaque = False

    def add(self, condition: Condition) -> None:
        kind = type(condition)
        if kind is InCategory or kind is InState:
            return
        if kind is FieldIs:
            self.fields.add(condition.field)  # type: ignore[attr-defined]
        elif kind is FieldChanged:
            self.changed.add(condition.field)  # type: ignore[attr-defined]
        elif kind is AllOf or kind is AnyOf:
            for inner in condition.conditions:  # type: ignore[attr-defined]
                self.add(inner)
        elif kind is Not:
            self.add(condition.condition)  # type: ignore[attr-defined]
        else:
            self.opaque = True


def _builtin(condition: Condition) -> bool:
    """Whether ``condition`` is made of built-in values only (so it may be compared)."""
    reads = _Reads()
    reads.add(condition)
    return not reads.opaque


class Compiled:
    """One policy, ready for the clock (shared by every call on the same policy)."""

    __slots__ = (
        "_chosen",
        "_levels",
        "_watched",
        "by_field",
        "calendar",
        "conditions",
        "escalations",
        "fields",
        "keyed",
        "memo",
        "name",
        "resume",
        "roles",
        "static",
        "targets",
        "thresholds",
        "traces",
        "watch_changes",
    )

    def __init__(self, policy: SlaPolicy) -> None:
        #: The policy's calendar (not the policy: its entry must not keep it alive).
        self.calendar = policy.calendar
        self.name = policy.name
        self.targets: tuple[SlaTarget, ...] = policy.targets
        self.thresholds = policy.thresholds
        self.escalations = policy.escalations
        self.resume = policy.reopen == "resume"
        conditions: list[Condition] = []
        roles: list[tuple[int, ...]] = []
        reads = _Reads()
        for target in policy.targets:
            indexes = []
            for condition in (
                target.start,
                target.stop,
                target.cancel,
                target.reset,
                target.pause,
                target.resume,
            ):
                if condition is None:
                    indexes.append(-1)
                    continue
                reads.add(condition)
                indexes.append(_index(conditions, condition))
            roles.append(tuple(indexes))
        #: The distinct conditions, and per target the index of each role's (-1: none).
        self.conditions = tuple(conditions)
        self.roles = tuple(roles)
        #: Field names the conditions read, in a fixed order, and whether changes matter.
        self.fields = tuple(sorted(reads.fields))
        self.watch_changes = bool(reads.changed) or reads.opaque
        #: Signals depend on the state and category alone / are memoised at all.
        self.static = not reads.fields and not reads.changed and not reads.opaque
        self.keyed = not reads.opaque
        self._watched = tuple(sorted(reads.changed))
        self.memo: dict[object, tuple[int, ...]] = {}
        #: Each target's traced cycles by sequence of signals (filled by the status;
        #: only read once stored).
        self.traces: dict[tuple[tuple[int, ...], ...], list[list[Any]]] = {}
        self._levels: dict[timedelta, tuple[tuple[timedelta, ...], tuple[int, ...]]] = {}
        #: Per target, the field its DurationsByField reads (None for any other duration).
        self.by_field = tuple(
            target.duration.field if type(target.duration) is DurationsByField else None
            for target in policy.targets
        )
        self._chosen: dict[tuple[int, type, object], timedelta | Deadline] = {}

    def duration(self, number: int, fields: Mapping[str, object]) -> timedelta | Deadline:
        """Target number ``number``'s duration (or deadline) for ``fields``
        (:meth:`SlaTarget.duration_for`, memoised on the field a
        :class:`DurationsByField` reads)."""
        target = self.targets[number]
        field = self.by_field[number]
        if field is None:
            return target.duration_for(fields)
        value = fields.get(field)
        kind = type(value)
        if kind not in _KEYABLE:
            return target.duration_for(fields)
        key = (number, kind, value)
        found = self._chosen.get(key)
        if found is None:
            found = target.duration_for(fields)
            if len(self._chosen) < MEMO_LIMIT:
                self._chosen[key] = found
        return found

    def signals(
        self,
        at: datetime,
        state: str | None,
        category: StateCategory | None,
        fields: Mapping[str, object],
        changed: set[str],
    ) -> tuple[int, ...]:
        """Each target's signal for the record as it stands at ``at`` (memoised when
        every condition is a built-in value; else asked on a :class:`Snapshot`)."""
        key = self._key(state, category, fields, changed)
        if key is not None:
            found = self.memo.get(key)
            if found is not None:
                return found
        snapshot = Snapshot(at, state, category, fields, frozenset(changed))
        answers = [condition.matches(snapshot) for condition in self.conditions]
        found = tuple(_signal(answers, role) for role in self.roles)
        if key is not None and len(self.memo) < MEMO_LIMIT:
            self.memo[key] = found
        return found

    def _key(
        self,
        state: str | None,
        category: StateCategory | None,
        fields: Mapping[str, object],
        changed: set[str],
    ) -> object:
        if self.static:
            return (state, category)
        if not self.keyed:
            return None
        key: list[object] = [state, category]
        for name in self.fields:
            value = fields.get(name)
            kind = type(value)
            if kind not in _KEYABLE:
                return None
            key.append(kind)
            key.append(value)
        key.extend(name in changed for name in self._watched)
        return tuple(key)

    def levels(self, duration: timedelta) -> tuple[tuple[timedelta, ...], tuple[int, ...]]:
        """The budget levels of a cycle of ``duration``: the due time, then each
        threshold and escalation, with the order in which running time reaches them."""
        found = self._levels.get(duration)
        if found is None:
            wanted = (
                duration,
                *(_share(duration, percent) for percent in self.thresholds),
                *(_offset(duration, escalation.offset) for escalation in self.escalations),
            )
            found = wanted, tuple(sorted(range(len(wanted)), key=wanted.__getitem__))
            if len(self._levels) < MEMO_LIMIT:
                self._levels[duration] = found
        return found


def _index(conditions: list[Condition], condition: Condition) -> int:
    """Where ``condition`` is in ``conditions`` (added if new): built-in values compare
    by equality, any other condition by identity."""
    comparable = _builtin(condition)
    for index, known in enumerate(conditions):
        if known is condition or (comparable and _builtin(known) and known == condition):
            return index
    conditions.append(condition)
    return len(conditions) - 1


def _signal(answers: list[bool], role: tuple[int, ...]) -> int:
    start, stop, cancel, reset, pause, resume = (
        False if index < 0 else answers[index] for index in role
    )
    return (
        (STARTS if start and not stop and not cancel else 0)
        | (CANCEL if cancel else 0)
        | (STOP if stop else 0)
        | (RESET if reset and start else 0)
        | (PAUSE if pause and not resume else 0)
    )


def _share(duration: timedelta, percent: float) -> timedelta:
    """``percent`` of ``duration``, exactly, rounded up to the microsecond."""
    numerator, denominator = percent.as_integer_ratio()
    micros = -(-(duration // _MICROSECOND) * numerator // (denominator * 100))
    return _BEYOND if micros > _BEYOND // _MICROSECOND else timedelta(microseconds=micros)


def _offset(duration: timedelta, offset: timedelta) -> timedelta:
    """``duration + offset``, held within what can be placed (never an overflow)."""
    micros = duration // _MICROSECOND + offset // _MICROSECOND
    limit = _BEYOND // _MICROSECOND
    return timedelta(microseconds=max(-limit, min(micros, limit)))


_COMPILED: dict[int, tuple[weakref.ref[SlaPolicy], Compiled]] = {}


def compiled(policy: SlaPolicy) -> Compiled:
    """The compiled form of ``policy``, built on first use and kept while it lives."""
    key = id(policy)
    entry = _COMPILED.get(key)
    if entry is not None and entry[0]() is policy:
        return entry[1]
    made = Compiled(policy)
    _COMPILED[key] = (weakref.ref(policy, partial(_forget, _COMPILED, key)), made)
    return made


def _forget(
    table: dict[int, tuple[weakref.ref[SlaPolicy], Compiled]], key: int, ref: weakref.ref[SlaPolicy]
) -> None:
    """Drop the entry of a policy that is gone (unless its id was reused already).

    The table is bound in, as the module's globals may be gone at interpreter exit.
    """
    entry = table.get(key)
    if entry is not None and entry[0] is ref:
        table.pop(key, None)
