"""Render a lifecycle definition as a Mermaid state diagram."""

from __future__ import annotations

from itilkit.categories import StateCategory
from itilkit.errors import InvalidTypeError
from itilkit.lifecycle._definition import LifecycleDefinition

__all__ = ["to_mermaid"]

_STYLE = {
    StateCategory.NEW: "fill:#e3f2fd,stroke:#1565c0",
    StateCategory.ACTIVE: "fill:#e8f5e9,stroke:#2e7d32",
    StateCategory.PAUSED: "fill:#fff8e1,stroke:#f9a825",
    StateCategory.RESOLVED: "fill:#f3e5f5,stroke:#6a1b9a",
    StateCategory.CLOSED: "fill:#eceff1,stroke:#37474f",
    StateCategory.CANCELED: "fill:#fbe9e7,stroke:#bf360c",
}


def to_mermaid(definition: LifecycleDefinition) -> str:
    """A Mermaid ``stateDiagram-v2`` of ``definition``.

    Each edge is labelled with the transition name, its guards in brackets and
    its own required fields after a slash; a note lists the fields a state
    requires on entry; states are coloured by category; final states lead to
    the end marker.
    """
    if not isinstance(definition, LifecycleDefinition):
        raise InvalidTypeError("definition", "a LifecycleDefinition", definition)
    lines = ["stateDiagram-v2", f"    %% lifecycle: {definition.name}"]
    lines.append(f"    [*] --> {definition.initial.name}")
    for t in definition.transitions:
        label = t.name
        if t.guards:
            label += f" [{', '.join(t.guards)}]"
        if t.required_fields:
            label += f" / {', '.join(sorted(t.required_fields))}"
        lines.extend(f"    {src} --> {t.target}: {label}" for src in t.sources)
    lines.extend(f"    {s.name} --> [*]" for s in definition.states if s.final)
    lines.extend(
        f"    note right of {s.name}: requires {', '.join(sorted(s.required_fields))}"
        for s in definition.states
        if s.required_fields
    )
    used = sorted({s.category for s in definition.states}, key=list(StateCategory).index)
    lines.extend(f"    classDef cat_{c.value} {_STYLE[c]}" for c in used)
    lines.extend(f"    class {s.name} cat_{s.category.value}" for s in definition.states)
    return "\n".join(lines) + "\n"
