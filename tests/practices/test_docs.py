"""docs/lifecycles.md carries a current diagram for every default lifecycle."""

from __future__ import annotations

from .generate_docs import DIAGRAMS, DOC, blocks, render


def test_docs_are_current() -> None:
    """Regenerating the diagrams changes nothing (else run tests/practices/generate_docs.py)."""
    text = DOC.read_text()
    assert render(text) == text, "stale diagrams: run python tests/practices/generate_docs.py"


def test_every_default_lifecycle_has_a_diagram() -> None:
    """Each default lifecycle has exactly one generated block."""
    assert sorted(blocks(DOC.read_text())) == sorted(DIAGRAMS)


def test_render_replaces_a_stale_block() -> None:
    """A block with outdated content is rewritten from the definition."""
    stale = "x\n<!-- generated: problem -->\nold\n<!-- end: problem -->\ny\n"
    fresh = render(stale)
    assert "old" not in fresh
    assert "root_cause_analysis --> fix_in_progress: start_fix" in fresh
    assert render(fresh) == fresh
