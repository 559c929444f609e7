"""Hypothesis strategies: random vendor derivations of the preset practices."""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.lifecycle import GuardContext, State, Transition
from itilkit.practices import Practice, ReassignmentRule


@attrs.frozen
class RefuseActor:
    """A vendor guard: ``actor`` may not fire the transition."""

    actor: str

    def __call__(self, context: GuardContext) -> str | None:
        if context.actor == self.actor:
            return f"{self.actor} may not {context.transition}"
        return None


def _renames(names: tuple[str, ...], prefix: str) -> st.SearchStrategy[dict[str, str]]:
    return st.lists(st.sampled_from(names), unique=True, max_size=len(names)).map(
        lambda chosen: {n: f"{prefix}{n}" for n in chosen}
    )


@st.composite
def derivations(draw: st.DrawFn, base: Practice) -> Practice:
    """``base`` derived at random: renamed states and transitions, an added paused state
    with its way in and out (it gets the field edits of its category), and a vendor
    guard added to an existing transition."""
    definition = base.definition
    states = draw(_renames(definition.state_names, "v_"))
    moves = draw(_renames(definition.transition_names, "x_"))
    add_states: list[State] = []
    add_transitions: list[Transition] = []
    active = [s.name for s in definition.states if s.category is StateCategory.ACTIVE]
    park = draw(st.booleans())
    if active and park:
        source = states.get(active[0], active[0])
        required = {"hold_reason"} if "hold_reason" in base.state_fields else set()
        add_states.append(State("parked", StateCategory.PAUSED, required_fields=required))
        add_transitions += [
            Transition("park", source, "parked"),
            Transition("unpark", "parked", source),
        ]
    guarded = draw(st.sampled_from([None, *definition.transition_names]))
    guards = {} if guarded is None else {"vendor_rule": RefuseActor("cy")}
    add_guards = {} if guarded is None else {moves.get(guarded, guarded): "vendor_rule"}
    return base.derive(
        name=f"vendor-{base.name}",
        version=draw(st.integers(1, 9)),
        rename_states=states,
        rename_transitions=moves,
        add_states=add_states,
        add_transitions=add_transitions,
        guards=guards,
        add_guards=add_guards,
        reassignment=draw(st.sampled_from(list(ReassignmentRule))),
    )
