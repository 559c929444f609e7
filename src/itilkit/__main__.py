"""``python -m itilkit``: the demo, as ``itilkit demo`` runs it (see :mod:`itilkit.cli`)."""

from __future__ import annotations

from itilkit.cli import main

raise SystemExit(main(["demo"]))
