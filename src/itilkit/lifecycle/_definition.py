"""Lifecycle definitions: states and transitions as validated, frozen data."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itilkit._repr import shown
from itilkit._validators import text
from itilkit.categories import StateCategory, to_category
from itilkit.errors import InvalidLifecycleError, InvalidTypeError

__all__ = ["LifecycleDefinition", "State", "Transition"]


def _flag(_instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    """Strictly a bool: ``initial="no"`` is a mistake, not a true value."""
    if not isinstance(value, bool):
        raise InvalidTypeError(attribute.name, "True or False", value)


def _description(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise InvalidTypeError(attribute.name, "a string", value)


def _names(values: Iterable[str], what: str) -> tuple[str, ...]:
    """One name or an iterable of non-empty names, as a tuple."""
    if isinstance(values, str):
        values = (values,)
    elif not isinstance(values, Iterable):
        raise InvalidTypeError(what, "a name or an iterable of names", values)
    names = tuple(values)
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise InvalidTypeError(f"each of {what}", "a non-empty string", name)
    return names


def _sources(values: Iterable[str]) -> tuple[str, ...]:
    return _names(values, "sources")


def _guard_names(values: Iterable[str]) -> tuple[str, ...]:
    return _names(values, "guards")


def _required(values: Iterable[str]) -> frozenset[str]:
    return frozenset(_names(values, "required_fields"))


@attrs.frozen
class State:
    """A lifecycle state.

    Attributes:
        name: unique within the lifecycle.
        category: its semantic category; SLA and metrics use only this.
        initial: exactly one state of a lifecycle is initial.
        required_fields: fields that must be set on entering this state.
        final: no transition may leave it; defaults to True for closed and
            canceled categories. Set ``final=False`` on a closed state that a
            policy allows to be reopened.
        description: free text for documentation.
    """

    name: str = attrs.field(validator=text())
    category: StateCategory = attrs.field(converter=to_category)
    initial: bool = attrs.field(default=False, validator=_flag)
    required_fields: frozenset[str] = attrs.field(default=frozenset(), converter=_required)
    final: bool = attrs.field(validator=_flag)
    description: str = attrs.field(default="", validator=_description)

    @final.default
    def _final_by_category(self) -> bool:
        return self.category.is_final


@attrs.frozen
class Transition:
    """A named move from any of ``sources`` to ``target``.

    Attributes:
        name: the event that fires it; several transitions may share a name
            when their sources differ.
        sources: the states it may start from.
        target: the state it leads to (may equal a source: a self-loop).
        guards: names of guards (see :class:`GuardRegistry`) that must all allow it.
        required_fields: fields that must be set for this transition, in
            addition to the target state's.
        description: free text for documentation.
    """

    name: str = attrs.field(validator=text())
    sources: tuple[str, ...] = attrs.field(converter=_sources)
    target: str = attrs.field(validator=text())
    guards: tuple[str, ...] = attrs.field(default=(), converter=_guard_names)
    required_fields: frozenset[str] = attrs.field(default=frozenset(), converter=_required)
    description: str = attrs.field(default="", validator=_description)


def _items(values: Iterable[Any], what: str) -> tuple[Any, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidTypeError(what, f"an iterable of {what}", values)
    return tuple(values)


def _states(values: Iterable[State]) -> tuple[State, ...]:
    return _items(values, "states")


def _transitions(values: Iterable[Transition]) -> tuple[Transition, ...]:
    return _items(values, "transitions")


@attrs.frozen
class LifecycleDefinition:
    """A validated lifecycle: states, transitions and their indexes.

    Construction checks everything at once and raises
    :class:`~itilkit.errors.InvalidLifecycleError` listing every problem:
    duplicate or unknown states, no or several initial states, unreachable
    states, exits from final states, duplicate transitions.
    """

    name: str = attrs.field(validator=text())
    states: tuple[State, ...] = attrs.field(converter=_states)
    transitions: tuple[Transition, ...] = attrs.field(converter=_transitions)
    _by_state: Mapping[str, State] = attrs.field(init=False, repr=False, eq=False)
    #: (state, transition name) -> (transition, fields required to fire it,
    #: source category, target category)
    _moves: Mapping[
        tuple[str, str], tuple[Transition, frozenset[str], StateCategory, StateCategory]
    ] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = _problems(self.states, self.transitions)
        if problems:
            raise InvalidLifecycleError(problems, self.name)
        by_state = {s.name: s for s in self.states}
        moves = {
            (src, t.name): (
                t,
                t.required_fields | by_state[t.target].required_fields,
                by_state[src].category,
                by_state[t.target].category,
            )
            for t in self.transitions
            for src in t.sources
        }
        object.__setattr__(self, "_by_state", by_state)
        object.__setattr__(self, "_moves", moves)

    @property
    def initial(self) -> State:
        """The initial state."""
        return next(s for s in self.states if s.initial)

    @property
    def state_names(self) -> tuple[str, ...]:
        """State names in definition order."""
        return tuple(self._by_state)

    @property
    def transition_names(self) -> tuple[str, ...]:
        """Distinct transition names in definition order."""
        return tuple(dict.fromkeys(t.name for t in self.transitions))

    def state(self, name: str) -> State | None:
        """The state called ``name``, or None (also for a name that is no string)."""
        return self._by_state.get(name) if isinstance(name, str) else None

    def category(self, state: str) -> StateCategory | None:
        """The category of ``state``, or None for an unknown state."""
        found = self.state(state)
        return None if found is None else found.category

    def move(self, state: str, transition: str) -> Transition | None:
        """The transition ``transition`` leaving ``state``, or None."""
        found = self._found(state, transition)
        return None if found is None else found[0]

    def required_fields(self, state: str, transition: str) -> frozenset[str]:
        """Fields required to fire ``transition`` from ``state``: its own and its target's."""
        found = self._found(state, transition)
        return frozenset() if found is None else found[1]

    def _found(
        self, state: str, transition: str
    ) -> tuple[Transition, frozenset[str], StateCategory, StateCategory] | None:
        if not (isinstance(state, str) and isinstance(transition, str)):
            return None
        return self._moves.get((state, transition))

    def transitions_from(self, state: str) -> tuple[Transition, ...]:
        """Transitions that may leave ``state``, in definition order."""
        if not isinstance(state, str):
            return ()
        return tuple(t for t in self.transitions if state in t.sources)


def _problems(states: tuple[State, ...], transitions: tuple[Transition, ...]) -> list[str]:
    problems: list[str] = []
    names: dict[str, State] = {}
    for state in states:
        if not isinstance(state, State):
            problems.append(f"not a State: {shown(state)}")
        elif state.name in names:
            problems.append(f"state {state.name!r} is defined twice")
        else:
            names[state.name] = state
    initials = [s.name for s in names.values() if s.initial]
    if not initials:
        problems.append("no initial state: mark exactly one state initial=True")
    elif len(initials) > 1:
        problems.append(f"several initial states: {', '.join(initials)}; exactly one is allowed")
    seen: set[tuple[str, str]] = set()
    for t in transitions:
        if not isinstance(t, Transition):
            problems.append(f"not a Transition: {shown(t)}")
            continue
        if not t.sources:
            problems.append(f"transition {t.name!r} has no source state")
        for ref in (*t.sources, t.target):
            if ref not in names:
                problems.append(
                    f"transition {t.name!r} refers to unknown state {ref!r}; "
                    f"states are: {', '.join(names) or 'none'}"
                )
        for src in t.sources:
            if (src, t.name) in seen:
                problems.append(f"transition {t.name!r} from {src!r} is defined twice")
            seen.add((src, t.name))
            if src in names and names[src].final:
                problems.append(
                    f"transition {t.name!r} leaves final state {src!r}; "
                    "mark the state final=False if it may be left"
                )
    if len(initials) == 1:
        reached = _reachable(initials[0], transitions)
        problems.extend(
            f"state {name!r} is unreachable from initial state {initials[0]!r}"
            for name in names
            if name not in reached
        )
    return problems


def _reachable(initial: str, transitions: tuple[Transition, ...]) -> set[str]:
    edges: dict[str, set[str]] = {}
    for t in transitions:
        if isinstance(t, Transition):
            for src in t.sources:
                edges.setdefault(src, set()).add(t.target)
    reached = {initial}
    queue = deque([initial])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    return reached
