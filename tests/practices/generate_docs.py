"""Regenerate the lifecycle diagrams in docs/lifecycles.md from the definitions.

Run ``python tests/practices/generate_docs.py`` after changing a default
lifecycle; ``test_docs_are_current`` fails while the docs are stale. Each
diagram sits between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

from itilkit.lifecycle import LifecycleDefinition, to_mermaid
from itilkit.practices import (
    INCIDENT_LIFECYCLE,
    KNOWN_ERROR_LIFECYCLE,
    PROBLEM_LIFECYCLE,
    SERVICE_REQUEST_LIFECYCLE,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycles.md"
DIAGRAMS: dict[str, LifecycleDefinition] = {
    "incident": INCIDENT_LIFECYCLE.definition,
    "problem": PROBLEM_LIFECYCLE.definition,
    "known_error": KNOWN_ERROR_LIFECYCLE.definition,
    "service_request": SERVICE_REQUEST_LIFECYCLE.definition,
}
_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n).*?(<!-- end: \2 -->)", re.DOTALL)


def render(text: str) -> str:
    """``text`` with every generated block replaced by the current diagram."""

    def block(match: re.Match[str]) -> str:
        diagram = to_mermaid(DIAGRAMS[match.group(2)])
        return f"{match.group(1)}```mermaid\n{diagram}```\n{match.group(3)}"

    return _BLOCK.sub(block, text)


def blocks(text: str) -> list[str]:
    """The names of the generated blocks in ``text``, in order."""
    return [m.group(2) for m in _BLOCK.finditer(text)]


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text()))
    print(f"regenerated {', '.join(blocks(DOC.read_text()))} in {DOC}")
