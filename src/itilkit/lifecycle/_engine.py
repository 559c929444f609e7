"""Firing transitions: a pure function from (definition, state, event, ...) to an outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple

import attrs

from itilkit._time import UNSUPPORTED_YEARS, instant
from itilkit._validators import SIZED, absent
from itilkit.errors import (
    GuardRefusedError,
    InvalidInputError,
    InvalidLifecycleError,
    InvalidTypeError,
    LifecycleError,
    MissingFieldsError,
    TransitionNotAllowedError,
    UnknownStateError,
    UnknownTransitionError,
)
from itilkit.lifecycle._audit import (
    FieldChange,
    Listener,
    TransitionRecord,
    new_change,
    new_record,
)
from itilkit.lifecycle._definition import LifecycleDefinition, Transition
from itilkit.lifecycle._guards import Guard, GuardContext, GuardRegistry

__all__ = ["Lifecycle", "Outcome", "available_transitions", "fire", "replay"]

_EMPTY: Mapping[str, object] = MappingProxyType({})
_NO_GUARDS = GuardRegistry()


class Outcome(NamedTuple):
    """The result of firing a transition: the new state and its audit record.

    A named tuple, so ``state, record = fire(...)`` works too.
    """

    state: str
    record: TransitionRecord


class _Overlay(Mapping[str, object]):
    """``changes`` over ``fields``, read-only, without copying either."""

    __slots__ = ("_changes", "_fields")

    def __init__(self, changes: Mapping[str, object], fields: Mapping[str, object]) -> None:
        self._changes = changes
        self._fields = fields

    def __getitem__(self, key: str) -> object:
        if key in self._changes:
            return self._changes[key]
        return self._fields[key]

    def get(self, key: str, default: object = None) -> object:
        """The value of ``key`` after the changes, or ``default``."""
        if key in self._changes:
            return self._changes[key]
        return self._fields.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._changes or key in self._fields

    def __iter__(self) -> Iterator[str]:
        yield from self._fields
        yield from (k for k in self._changes if k not in self._fields)

    def __len__(self) -> int:
        return len(self._fields) + sum(1 for k in self._changes if k not in self._fields)


def _refuse_unknown(
    definition: LifecycleDefinition,
    state: str,
    transition: str,
    probe: Callable[[], Iterable[str]],
) -> LifecycleError | InvalidTypeError:
    """The error for a (state, transition) pair the definition does not connect."""
    if not isinstance(definition, LifecycleDefinition):
        return InvalidTypeError("definition", "a LifecycleDefinition", definition)
    if not isinstance(state, str):
        return InvalidTypeError("state", "a state name (str)", state)
    if not isinstance(transition, str):
        return InvalidTypeError("transition", "a transition name (str)", transition)
    if definition.state(state) is None:
        return UnknownStateError(state, definition.name, definition.state_names)
    if transition not in definition.transition_names:
        return UnknownTransitionError(transition, definition.name, definition.transition_names)
    return TransitionNotAllowedError(transition, state, probe())


def _passing(
    definition: LifecycleDefinition,
    state: str,
    *,
    at: datetime,
    actor: str,
    fields: Mapping[str, object],
    guards: GuardRegistry,
) -> tuple[str, ...]:
    """Names of the transitions leaving ``state`` whose guards all allow them now.

    Guards see the current fields (no changes); required fields are not
    checked, since firing supplies them. A guard that is not registered
    counts as a refusal.
    """
    names: dict[str, None] = {}
    for move in definition.transitions_from(state):
        if move.name in names:
            continue
        context = GuardContext(
            definition.name, state, move.name, move.target, fields, _EMPTY, actor, at, fields
        )
        if all((g := guards.get(n)) is not None and g(context) is None for n in move.guards):
            names[move.name] = None
    return tuple(names)


def _at(at: datetime) -> datetime:
    """``at`` when it is a plain supported aware datetime (the usual case, checked fast)."""
    try:
        if type(at) is datetime and at.utcoffset() is not None and at.year not in UNSUPPORTED_YEARS:
            return at
    except Exception:  # a tzinfo that misbehaves: instant() says so
        pass
    return instant(at, "at")


def _check_fields(fields: object, changes: object, reason: object, actor: object) -> None:
    """Refuse fields, changes, reason and actor of the wrong types."""
    if not isinstance(actor, str):
        raise InvalidTypeError("actor", "a non-empty string", actor)
    if not actor:
        raise InvalidInputError("actor must be a non-empty string, got ''")
    if fields is not _EMPTY and type(fields) is not dict and not isinstance(fields, Mapping):
        raise InvalidTypeError("fields", "a mapping of field names to values", fields)
    if changes is not _EMPTY:
        if type(changes) is not dict and not isinstance(changes, Mapping):
            raise InvalidTypeError("changes", "a mapping of field names to values", changes)
        for name in changes:
            if not isinstance(name, str):
                raise InvalidTypeError("each field name in changes", "a str", name)
    if reason is not None and not isinstance(reason, str):
        raise InvalidTypeError("reason", "a str or None", reason)


def _recorded(
    fields: Mapping[str, object], changes: Mapping[str, object]
) -> tuple[FieldChange, ...]:
    """The changes that change something (a comparison that fails counts as a change)."""
    get = fields.get
    changed = []
    for name, value in changes.items():
        old = get(name)
        try:
            # ``not ==`` calls one method where ``!=`` on attrs values calls two
            same = old is value or (old is not None and value is not None and old == value)
        except Exception:  # e.g. an array's ambiguous truth value
            same = False
        if not same:
            changed.append(new_change(name, old, value))
    return tuple(changed)


def move_source(definition: LifecycleDefinition, state: str) -> str:
    """The definition's own name of ``state`` (for a str subclass that matched it)."""
    found = definition.state(state)
    return state if found is None else found.name


def _unregistered(definition: LifecycleDefinition, move: Transition, name: str) -> Guard:
    raise InvalidLifecycleError(
        [f"transition {move.name!r} uses guard {name!r}, which is not registered"],
        definition.name,
    )


def fire(
    definition: LifecycleDefinition,
    state: str,
    transition: str,
    *,
    at: datetime,
    actor: str,
    fields: Mapping[str, object] = _EMPTY,
    changes: Mapping[str, object] = _EMPTY,
    reason: str | None = None,
    guards: GuardRegistry = _NO_GUARDS,
) -> Outcome:
    """Fire ``transition`` from ``state`` and return the outcome; change nothing.

    Args:
        definition: the lifecycle.
        state: the current state.
        transition: the transition's name.
        at: when it happens (aware).
        actor: who fires it.
        fields: the entity's current field values (read by guards and the
            required-field check).
        changes: field values this transition sets; recorded in the audit record.
        reason: free text kept in the record.
        guards: the callables for the guard names the definition uses.

    Raises:
        UnknownStateError: ``state`` is not in the definition.
        UnknownTransitionError: no transition has that name.
        TransitionNotAllowedError: the transition does not leave ``state``;
            the error lists the transitions that could fire now (their
            guards allow them).
        MissingFieldsError: fields required on entering the target are unset.
        GuardRefusedError: a guard refused; the error gives every reason and
            the transitions that could fire now.
    """
    # the usual arguments pass these checks inline; anything else is checked in full
    try:
        plain = type(at) is datetime and at.utcoffset() is not None
    except Exception:  # a tzinfo that misbehaves: instant() says so
        plain = False
    if not plain or at.year in UNSUPPORTED_YEARS:
        at = instant(at, "at")
    if (
        type(actor) is not str
        or not actor
        or (fields is not _EMPTY and type(fields) is not dict and not isinstance(fields, Mapping))
        or (changes is not _EMPTY and type(changes) is not dict)
        or (reason is not None and type(reason) is not str)
    ):
        _check_fields(fields, changes, reason, actor)
    elif changes:
        for name in changes:
            if type(name) is not str:
                _check_fields(fields, changes, reason, actor)
    try:
        found = definition._moves.get((state, transition))
    except Exception:  # not a definition, or a name that cannot be hashed
        found = None
    if found is None:
        raise _refuse_unknown(
            definition,
            state,
            transition,
            lambda: _passing(definition, state, at=at, actor=actor, fields=fields, guards=guards),
        )
    move, required, source_category, target_category = found
    for name in required:
        value = changes[name] if name in changes else fields.get(name)
        if value is None or (not value and isinstance(value, SIZED)):
            missing = [f for f in required if absent(changes.get(f, fields.get(f)))]
            raise MissingFieldsError(transition, move.target, missing)
    if move.guards:
        if not isinstance(guards, GuardRegistry):
            raise InvalidTypeError("guards", "a GuardRegistry", guards)
        # guards read, never write: a caller's own dict reaches them read-only
        before = MappingProxyType(fields) if type(fields) is dict else fields
        context = GuardContext(
            definition.name,
            state,
            transition,
            move.target,
            _Overlay(changes, before) if changes else before,
            changes,
            actor,
            at,
            before,
        )
        registered = guards.guards
        reasons = None
        for name in move.guards:
            guard = registered.get(name) or _unregistered(definition, move, name)
            refusal = guard(context)
            if refusal is not None:
                if not isinstance(refusal, str):
                    raise InvalidTypeError(
                        f"what guard {name!r} returned", "None or a reason", refusal
                    )
                reasons = [refusal] if reasons is None else [*reasons, refusal]
        if reasons:
            allowed = _passing(definition, state, at=at, actor=actor, fields=fields, guards=guards)
            raise GuardRefusedError(transition, state, reasons, allowed)
    recorded = _recorded(fields, changes) if changes else ()
    return Outcome(
        move.target,
        new_record(
            move.name,
            state if type(state) is str else move_source(definition, state),
            move.target,
            at,
            actor,
            reason,
            recorded,
            source_category,
            target_category,
        ),
    )


def available_transitions(
    definition: LifecycleDefinition,
    state: str,
    *,
    at: datetime,
    actor: str,
    fields: Mapping[str, object] = _EMPTY,
    guards: GuardRegistry = _NO_GUARDS,
) -> tuple[str, ...]:
    """Names of the transitions that would fire now from ``state`` without changes.

    Useful to show only the buttons that work. A transition that needs fields
    the caller would supply with it (``changes``) is left out; use
    ``definition.transitions_from(state)`` for the structural list.
    """
    if not isinstance(definition, LifecycleDefinition):
        raise InvalidTypeError("definition", "a LifecycleDefinition", definition)
    if not isinstance(state, str):
        raise InvalidTypeError("state", "a state name (str)", state)
    if definition.state(state) is None:
        raise UnknownStateError(state, definition.name, definition.state_names)
    at = _at(at)
    _check_fields(fields, _EMPTY, None, actor)
    if not isinstance(guards, GuardRegistry):
        raise InvalidTypeError("guards", "a GuardRegistry", guards)
    names = []
    for move in definition.transitions_from(state):
        try:
            fire(definition, state, move.name, at=at, actor=actor, fields=fields, guards=guards)
        except (GuardRefusedError, MissingFieldsError):
            continue
        names.append(move.name)
    return tuple(names)


def replay(definition: LifecycleDefinition, history: Iterable[TransitionRecord]) -> str:
    """The state reached by replaying ``history`` from the initial state.

    Raises:
        LifecycleError: a record does not start where the previous one ended,
            is not a transition of ``definition``, or names other categories
            than the definition gives its states.
    """
    if not isinstance(definition, LifecycleDefinition):
        raise InvalidTypeError("definition", "a LifecycleDefinition", definition)
    if isinstance(history, str | bytes) or not isinstance(history, Iterable):
        raise InvalidTypeError("history", "an iterable of TransitionRecord", history)
    state = definition.initial.name
    for index, record in enumerate(history):
        if not isinstance(record, TransitionRecord):
            raise InvalidTypeError(f"history record {index}", "a TransitionRecord", record)
        move = definition.move(record.source, record.transition)
        if (
            record.source != state
            or move is None
            or move.target != record.target
            or record.source_category not in (None, definition.category(record.source))
            or record.target_category not in (None, definition.category(record.target))
        ):
            raise LifecycleError(
                f"history record {index} ({record.transition!r}: {record.source!r} -> "
                f"{record.target!r}) does not follow state {state!r} in lifecycle "
                f"{definition.name!r}"
            )
        state = record.target
    return state


def _listeners(values: Iterable[Listener]) -> tuple[Listener, ...]:
    if not isinstance(values, Iterable):
        raise InvalidTypeError("listeners", "an iterable of callables", values)
    listeners = tuple(values)
    for listener in listeners:
        if not callable(listener):
            raise InvalidTypeError(
                "each listener", "a callable taking a TransitionRecord", listener
            )
    return listeners


def _registry(value: GuardRegistry | Mapping[str, Guard]) -> GuardRegistry:
    return value if isinstance(value, GuardRegistry) else GuardRegistry(value)


def _is_definition(_: object, __: attrs.Attribute[LifecycleDefinition], value: object) -> None:
    if not isinstance(value, LifecycleDefinition):
        raise InvalidTypeError("definition", "a LifecycleDefinition", value)


@attrs.frozen
class Lifecycle:
    """A definition bound to its guards and listeners: what an application fires.

    Construction checks that every guard the definition names is registered
    (``guards`` may be a :class:`GuardRegistry` or a mapping of names to guards).
    :meth:`fire` is :func:`fire` followed by notifying each listener with the
    record, in order: listeners hear only transitions that fired, never a
    refusal or an invalid argument, since :func:`fire` checks everything first.
    A command that keeps a record only after further checks of its own calls
    :func:`fire` and then :meth:`notify` once the record is kept.
    """

    definition: LifecycleDefinition = attrs.field(validator=_is_definition)
    guards: GuardRegistry = attrs.field(factory=GuardRegistry, converter=_registry)
    listeners: tuple[Listener, ...] = attrs.field(default=(), converter=_listeners)

    def __attrs_post_init__(self) -> None:
        used = {g for t in self.definition.transitions for g in t.guards}
        missing = self.guards.missing(used)
        if missing:
            raise InvalidLifecycleError(
                [f"guard {name!r} is used but not registered" for name in missing],
                self.definition.name,
            )

    def fire(
        self,
        state: str,
        transition: str,
        *,
        at: datetime,
        actor: str,
        fields: Mapping[str, object] = _EMPTY,
        changes: Mapping[str, object] = _EMPTY,
        reason: str | None = None,
    ) -> Outcome:
        """Fire ``transition`` (see :func:`fire`) and notify the listeners."""
        outcome = fire(
            self.definition,
            state,
            transition,
            at=at,
            actor=actor,
            fields=fields,
            changes=changes,
            reason=reason,
            guards=self.guards,
        )
        self.notify(outcome.record)
        return outcome

    def notify(self, *records: TransitionRecord) -> None:
        """Tell every listener of each of ``records`` (kept transitions), in order."""
        for record in records:
            if not isinstance(record, TransitionRecord):
                raise InvalidTypeError("each record", "a TransitionRecord", record)
        for record in records:
            for listener in self.listeners:
                listener(record)

    def available(
        self, state: str, *, at: datetime, actor: str, fields: Mapping[str, object] = _EMPTY
    ) -> tuple[str, ...]:
        """Transitions that would fire now (see :func:`available_transitions`)."""
        return available_transitions(
            self.definition, state, at=at, actor=actor, fields=fields, guards=self.guards
        )

    def subscribe(self, listener: Listener) -> Lifecycle:
        """A copy that also notifies ``listener``."""
        if not callable(listener):
            raise InvalidTypeError("listener", "a callable taking a TransitionRecord", listener)
        return attrs.evolve(self, listeners=(*self.listeners, listener))
