"""docs/change.md carries current diagrams of the change lifecycle and of each type's path.

Run ``python tests/practices/test_change_docs.py`` to regenerate them after changing the
definition; ``test_change_docs_are_current`` fails while they are stale. Each diagram sits
between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

from itilkit.lifecycle import LifecycleDefinition, to_mermaid
from itilkit.practices import CHANGE_DEFINITION, change_path

DOC = Path(__file__).resolve().parents[2] / "docs" / "change.md"
DIAGRAMS: dict[str, LifecycleDefinition] = {
    "change": CHANGE_DEFINITION,
    **{f"change_{t}": change_path(t) for t in ("standard", "normal", "emergency")},
}
_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n).*?(<!-- end: \2 -->)", re.DOTALL)


def render(text: str) -> str:
    """``text`` with every generated block replaced by the current diagram."""

    def block(match: re.Match[str]) -> str:
        diagram = to_mermaid(DIAGRAMS[match.group(2)])
        return f"{match.group(1)}```mermaid\n{diagram}```\n{match.group(3)}"

    return _BLOCK.sub(block, text)


def test_change_docs_are_current() -> None:
    """Regenerating the diagrams changes nothing, and every diagram is there once."""
    text = DOC.read_text()
    assert render(text) == text, "stale diagrams: run python tests/practices/test_change_docs.py"
    assert sorted(m.group(2) for m in _BLOCK.finditer(text)) == sorted(DIAGRAMS)


def test_a_stale_block_is_rewritten() -> None:
    """A block with outdated content is replaced from the definition."""
    fresh = render("<!-- generated: change_standard -->\nold\n<!-- end: change_standard -->\n")
    assert "old" not in fresh
    assert "new --> scheduled: schedule [standard_change]" in fresh
    assert "assess" not in fresh


def test_each_type_path_is_what_the_type_can_walk() -> None:
    """change_path keeps the states of the type's route only."""
    assert "assess" not in change_path("emergency").state_names
    assert change_path("normal").state_names == CHANGE_DEFINITION.state_names


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text()))
    print(f"regenerated diagrams in {DOC}")
