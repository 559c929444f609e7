"""Regenerate the lifecycle diagrams in the docs from the definitions.

Run ``python tests/practices/generate_docs.py`` after changing a default
lifecycle; ``tests/practices/test_docs.py`` fails while the docs are stale.
Each diagram sits between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

from itilkit.lifecycle import LifecycleDefinition, to_mermaid
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    KNOWN_ERROR,
    PROBLEM,
    SERVICE_REQUEST,
    change_path,
)

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
#: For each docs page, the diagrams it carries, by block name.
DIAGRAMS: dict[Path, dict[str, LifecycleDefinition]] = {
    DOCS_DIR / "lifecycles.md": {
        "incident": INCIDENT.definition,
        "problem": PROBLEM.definition,
        "known_error": KNOWN_ERROR.definition,
        "service_request": SERVICE_REQUEST.definition,
    },
    DOCS_DIR / "change.md": {
        "change": CHANGE.definition,
        **{f"change_{t}": change_path(t) for t in ("standard", "normal", "emergency")},
    },
}
_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n).*?(<!-- end: \2 -->)", re.DOTALL)


def render(text: str, diagrams: dict[str, LifecycleDefinition]) -> str:
    """``text`` with every generated block replaced by the current diagram."""

    def block(match: re.Match[str]) -> str:
        diagram = to_mermaid(diagrams[match.group(2)])
        return f"{match.group(1)}```mermaid\n{diagram}```\n{match.group(3)}"

    return _BLOCK.sub(block, text)


def blocks(text: str) -> list[str]:
    """The names of the generated blocks in ``text``, in order."""
    return [m.group(2) for m in _BLOCK.finditer(text)]


if __name__ == "__main__":
    for doc, diagrams in DIAGRAMS.items():
        doc.write_text(render(doc.read_text(), diagrams))
        print(f"regenerated {', '.join(blocks(doc.read_text()))} in {doc}")
