"""Deriving a vendor's lifecycle from a default without forking it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from itilkit.errors import InvalidLifecycleError
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
    """
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
