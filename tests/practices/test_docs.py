"""The docs carry a current diagram for every default lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from itilkit.practices import CHANGE, change_path

from .generate_docs import DIAGRAMS, blocks, render


@pytest.mark.parametrize("doc", list(DIAGRAMS), ids=lambda p: p.name)
def test_docs_are_current(doc: Path) -> None:
    """Regenerating changes nothing (else run tests/practices/generate_docs.py)."""
    text = doc.read_text()
    assert render(text, DIAGRAMS[doc]) == text, "stale: run tests/practices/generate_docs.py"


@pytest.mark.parametrize("doc", list(DIAGRAMS), ids=lambda p: p.name)
def test_every_diagram_appears_once(doc: Path) -> None:
    """Each page has exactly one generated block per diagram it carries."""
    assert sorted(blocks(doc.read_text())) == sorted(DIAGRAMS[doc])


def test_render_replaces_a_stale_block() -> None:
    """A block with outdated content is rewritten from the definition."""
    diagrams = {**DIAGRAMS[next(iter(DIAGRAMS))], "change_standard": change_path("standard")}
    stale = "x\n<!-- generated: problem -->\nold\n<!-- end: problem -->\ny\n"
    fresh = render(stale, diagrams)
    assert "old" not in fresh
    assert "root_cause_analysis --> fix_in_progress: start_fix" in fresh
    assert render(fresh, diagrams) == fresh
    standard = render(
        "<!-- generated: change_standard -->\nold\n<!-- end: change_standard -->\n", diagrams
    )
    assert "new --> scheduled: schedule [standard_change]" in standard
    assert "assess" not in standard


def test_each_type_path_is_what_the_type_can_walk() -> None:
    """change_path keeps the states of the type's route only."""
    assert "assess" not in change_path("emergency").state_names
    assert change_path("normal").state_names == CHANGE.definition.state_names
