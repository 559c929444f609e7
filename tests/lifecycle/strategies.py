"""Shared lifecycle fixtures and Hypothesis strategies."""

from __future__ import annotations

from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.lifecycle import LifecycleDefinition, State, Transition


def sample_definition() -> LifecycleDefinition:
    """A small ticket-like lifecycle with a guard, required fields and two final states."""
    return LifecycleDefinition(
        "sample",
        [
            State("new", "new", initial=True),
            State("work", "active"),
            State("waiting", "paused", required_fields={"hold_reason"}),
            State("done", "resolved", required_fields={"resolution"}),
            State("closed", "closed"),
            State("dropped", "canceled"),
        ],
        [
            Transition("start", ["new"], "work"),
            Transition("hold", ["work"], "waiting"),
            Transition("resume", ["waiting"], "work"),
            Transition(
                "resolve",
                ["new", "work"],
                "done",
                guards=["not_requester"],
                required_fields={"resolved_note"},
            ),
            Transition("reopen", ["done"], "work"),
            Transition("close", ["done"], "closed"),
            Transition("drop", ["new", "work", "waiting"], "dropped"),
        ],
    )


_NAMES = st.text("abcdefgh", min_size=1, max_size=4)


@st.composite
def definitions(draw: st.DrawFn) -> LifecycleDefinition:
    """Random valid definitions: a spanning chain from the initial state plus extra edges."""
    names = draw(st.lists(_NAMES, min_size=1, max_size=7, unique=True))
    categories = [draw(st.sampled_from(list(StateCategory))) for _ in names]
    finals = [c.is_final and i > 0 for i, c in enumerate(categories)]
    states = [
        State(
            n, c, initial=i == 0, final=f, required_fields=draw(st.frozensets(_NAMES, max_size=2))
        )
        for i, (n, c, f) in enumerate(zip(names, categories, finals, strict=True))
    ]
    open_states = [s.name for s in states if not s.final]
    transitions: list[Transition] = []
    used: set[tuple[str, str]] = set()
    for i, s in enumerate(states[1:], start=1):
        # every state gets an edge from some earlier non-final state: all reachable
        sources = [n.name for n in states[:i] if not n.final]
        source = draw(st.sampled_from(sources))
        transitions.append(Transition(f"to_{s.name}", [source], s.name))
        used.add((source, f"to_{s.name}"))
    for _ in range(draw(st.integers(0, 5))):
        source = draw(st.sampled_from(open_states))
        target = draw(st.sampled_from(names))
        name = draw(_NAMES)
        if (source, name) not in used:
            used.add((source, name))
            transitions.append(
                Transition(name, [source], target, guards=draw(st.lists(_NAMES, max_size=2)))
            )
    return LifecycleDefinition("random", states, transitions)
