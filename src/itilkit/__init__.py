"""itilkit: an embeddable ITIL domain library.

Typed entities for the ITIL practices, declarative lifecycles, business-hours
calendars with SLA clocks, and KPI functions, with storage left to the host.
"""

from __future__ import annotations

from importlib.metadata import version as _version

from itilkit.categories import StateCategory
from itilkit.clock import FixedClock, SystemClock
from itilkit.errors import ItilkitError
from itilkit.typing import Clock

__version__ = _version("itilkit")

__all__ = ["Clock", "FixedClock", "ItilkitError", "StateCategory", "SystemClock"]
