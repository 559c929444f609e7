"""The ``itilkit`` command: reports, conformance and lifecycles from the command line.

``itilkit report FILE...`` renders :func:`itilkit.reports.build_report` as a
terminal table, JSON or a self-contained HTML page; ``itilkit conformance
FILE`` checks a ServiceNow log's histories against a lifecycle;
``itilkit lifecycle show NAME`` prints a lifecycle, as a table, a document or a
Mermaid diagram. ``docs/cli.md`` describes every option and exit code. The
top layer: it may import any itilkit package but the test kit.
"""

from __future__ import annotations

from itilkit.cli._app import main

__all__ = ["main"]
