"""The ``itilkit`` command: the demo, imports, reports, conformance and lifecycles.

``itilkit demo`` walks a week of tickets on the embedded defaults;
``itilkit import FILE...`` replays exports into practice entities (and a
SQLite store); ``itilkit report FILE...|STORE`` renders
:func:`itilkit.reports.build_report` (or, of a store,
:func:`~itilkit.reports.build_ticket_report`) as a terminal table, JSON or a
self-contained HTML page; ``itilkit conformance
FILE`` checks a ServiceNow log's histories against a lifecycle;
``itilkit lifecycle show NAME`` prints a lifecycle, as a table, a document or a
Mermaid diagram. ``docs/cli.md`` describes every option and exit code. The
top layer: it may import any itilkit package but the test kit.
"""

from __future__ import annotations

from itilkit.cli._app import main

__all__ = ["main"]
