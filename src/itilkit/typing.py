"""Protocols and aliases that hosts annotate with."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    """Anything that tells the current instant as an aware datetime."""

    def now(self) -> datetime:
        """Return the current instant (aware)."""
        ...
