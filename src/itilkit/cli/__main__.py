"""``python -m itilkit.cli``: the ``itilkit`` command without its installed script."""

from __future__ import annotations

from itilkit.cli import main

raise SystemExit(main())
