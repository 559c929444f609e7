"""Deriving a vendor's lifecycle from a default without forking it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itilkit.errors import InvalidLifecycleError, InvalidTypeError
from itilkit.lifecycle._definition import LifecycleDefinition, State, Transition

__all__ = ["derive"]


def derive(
    base: LifecycleDefinition,
    *,
    name: str | None = None,
    add_states: Iterable[State] = (),
    remove_states: Iterable[str] = (),
    rename_states: Mapping[str, str] | None = None,
    add_transitions: Iterable[Transition] = (),
    remove_transitions: Iterable[str] = (),
    rename_transitions: Mapping[str, str] | None = None,
    add_guards: Mapping[str, str | Iterable[str]] | None = None,
) -> LifecycleDefinition:
    """A new definition made from ``base``; ``base`` is unchanged.

    Steps apply in this order: remove states (and drop them from every
    transition; a transition left with no source or whose target is gone is
    removed), remove transitions by name, rename states and transitions
    (everywhere they are referenced), then add states and transitions, and
    last add guards: ``add_guards`` maps a transition name (as it is after
    renaming) to guard names appended to every transition of that name. A
    state added under an existing name replaces it. The result is validated
    like any definition, so a derivation that leaves a state unreachable or an
    exit from a final state fails with every problem listed.

    >>> from itilkit.lifecycle import LifecycleDefinition, State, Transition
    >>> base = LifecycleDefinition("t", [State("a", "new", initial=True), State("b", "closed")],
    ...                            [Transition("go", "a", "b", guards="owner_ok")])
    >>> derive(base, add_guards={"go": "team_ok"}).move("a", "go").guards
    ('owner_ok', 'team_ok')

    Raises:
        InvalidLifecycleError: a name to remove, rename or guard does not
            exist, or the derived definition is inconsistent.
        InvalidTypeError: an argument of the wrong type.
    """
    add_states, remove_states, add_transitions, remove_transitions = _checked(
        base, name, add_states, remove_states, rename_states, add_transitions,
        remove_transitions, rename_transitions, add_guards,
    )  # fmt: skip
    state_renames = dict(rename_states or {})
    move_renames = dict(rename_transitions or {})
    dropped_states, dropped_moves = set(remove_states), set(remove_transitions)
    known_states, known_moves = set(base.state_names), set(base.transition_names)
    problems = [
        f"cannot {verb} unknown {kind} {n!r}; {kind}s are: {', '.join(sorted(known))}"
        for verb, kind, names, known in (
            ("remove", "state", dropped_states, known_states),
            ("rename", "state", state_renames, known_states),
            ("remove", "transition", dropped_moves, known_moves),
            ("rename", "transition", move_renames, known_moves),
        )
        for n in sorted(names)
        if n not in known
    ]
    guarded = {
        move: (extra,) if isinstance(extra, str) else tuple(extra)
        for move, extra in (add_guards or {}).items()
    }
    added_moves = tuple(add_transitions)
    final_moves = {move_renames.get(n, n) for n in known_moves - dropped_moves}
    final_moves |= {t.name for t in added_moves if isinstance(t, Transition)}
    problems.extend(
        f"cannot add guards to unknown transition {n!r}; transitions are: "
        f"{', '.join(sorted(final_moves))}"
        for n in sorted(guarded)
        if n not in final_moves
    )
    if problems:
        raise InvalidLifecycleError(problems, name or base.name)

    def state_name(n: str) -> str:
        return state_renames.get(n, n)

    added = {s.name: s for s in add_states}
    states = [
        attrs.evolve(s, name=state_name(s.name))
        for s in base.states
        if s.name not in dropped_states
    ]
    states = [s for s in states if s.name not in added] + list(added.values())
    moves = []
    for t in base.transitions:
        sources = tuple(state_name(s) for s in t.sources if s not in dropped_states)
        if t.name in dropped_moves or t.target in dropped_states or not sources:
            continue
        moves.append(
            attrs.evolve(
                t,
                name=move_renames.get(t.name, t.name),
                sources=sources,
                target=state_name(t.target),
            )
        )
    moves = [
        attrs.evolve(t, guards=(*t.guards, *(g for g in guarded[t.name] if g not in t.guards)))
        if isinstance(t, Transition) and t.name in guarded
        else t
        for t in [*moves, *added_moves]
    ]
    return LifecycleDefinition(name or base.name, states, moves)


def _checked(
    base: object,
    name: object,
    add_states: Iterable[Any],
    remove_states: Iterable[Any],
    rename_states: object,
    add_transitions: Iterable[Any],
    remove_transitions: Iterable[Any],
    rename_transitions: object,
    add_guards: object,
) -> tuple[tuple[State, ...], tuple[str, ...], tuple[Transition, ...], tuple[str, ...]]:
    """The iterable arguments of :func:`derive` as tuples, after checking every type."""
    if add_guards is not None and (
        not isinstance(add_guards, Mapping)
        or not all(
            isinstance(move, str)
            and (
                isinstance(extra, str)
                or (isinstance(extra, Iterable) and all(isinstance(g, str) for g in extra))
            )
            for move, extra in add_guards.items()
        )
    ):
        raise InvalidTypeError(
            "add_guards", "a mapping of transition names to guard names", add_guards
        )
    if not isinstance(base, LifecycleDefinition):
        raise InvalidTypeError("base", "a LifecycleDefinition", base)
    if name is not None and not isinstance(name, str):
        raise InvalidTypeError("name", "a str or None", name)
    for what, renames in (
        ("rename_states", rename_states),
        ("rename_transitions", rename_transitions),
    ):
        if renames is None:
            continue
        if not isinstance(renames, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in renames.items()
        ):
            raise InvalidTypeError(what, "a mapping of old names to new names (str)", renames)
    found: list[tuple[Any, ...]] = []
    for what, values, kind in (
        ("add_states", add_states, State),
        ("remove_states", remove_states, str),
        ("add_transitions", add_transitions, Transition),
        ("remove_transitions", remove_transitions, str),
    ):
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise InvalidTypeError(what, f"an iterable of {kind.__name__}", values)
        items = tuple(values)
        for item in items:
            if not isinstance(item, kind):
                raise InvalidTypeError(f"each of {what}", f"a {kind.__name__}", item)
        found.append(items)
    return found[0], found[1], found[2], found[3]
