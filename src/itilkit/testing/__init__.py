"""Test support for hosts: Hypothesis strategies for itilkit values (needs ``hypothesis``).

``itilkit.testing.strategies`` draws valid calendars, SLA policies, lifecycle
definitions, matrices, transition records and metric results.
"""

from __future__ import annotations

__all__: list[str] = []
