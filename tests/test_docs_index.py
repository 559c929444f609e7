"""docs/index.md links every page of docs/, and every link it has resolves."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_index_links_every_page_once() -> None:
    """Each Markdown page besides the index is linked from it, and no link is dangling."""
    linked = re.findall(r"\]\(([^)#]+\.md)\)", (DOCS / "index.md").read_text())
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md")
    assert sorted(linked) == pages
