"""Protocols hosts annotate with: where "now" comes from, and what the measures read.

A host's own classes satisfy these structurally (no subclassing); mypy checks
it where they are passed in. itilkit's entities satisfy the record Protocols
(``tests/typing/api.py`` proves it), so they feed :mod:`itilkit.metrics`
directly.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from itilkit.categories import StateCategory

__all__ = ["ChangeRecord", "Clock", "DeploymentRecord", "FailureRecord", "IncidentRecord"]


class Clock(Protocol):
    """Anything that tells the current instant as an aware datetime."""

    def now(self) -> datetime:
        """Return the current instant (aware)."""
        ...


class IncidentRecord(Protocol):
    """An incident (or request) as the time-to-X, FCR, reopen and backlog measures read it."""

    @property
    def opened_at(self) -> datetime:
        """When it was opened (aware)."""
        ...

    @property
    def resolved_at(self) -> datetime | None:
        """When it was last resolved, or None."""
        ...

    @property
    def closed_at(self) -> datetime | None:
        """When it was closed, or None."""
        ...

    @property
    def category(self) -> StateCategory:
        """The category of its current state."""
        ...

    @property
    def reassignment_count(self) -> int:
        """Reassignments after the first assignment."""
        ...

    @property
    def reopen_count(self) -> int:
        """Times it was reopened."""
        ...

    @property
    def pauses(self) -> timedelta | Sequence[tuple[datetime, datetime]]:
        """Paused time: a wall-clock total, or pause intervals.

        itilkit entities give the spells their resolution clock does not
        count (on hold, and resolved before a reopen), the SLA engine's
        paused time; see :func:`itilkit.practices.paused_spells`.
        """
        ...


class FailureRecord(Protocol):
    """A failure of a CI or service, for MTRS, repair time, MTBF and MTBSI."""

    @property
    def ci(self) -> Hashable:
        """The CI or service that failed."""
        ...

    @property
    def failed_at(self) -> datetime:
        """When the failure (service impact) began."""
        ...

    @property
    def restored_at(self) -> datetime | None:
        """When service was restored, or None."""
        ...


class ChangeRecord(Protocol):
    """A change, for success and failure rates and the emergency ratio."""

    @property
    def outcome(self) -> str | None:
        """A ChangeOutcome value, or None while not finished."""
        ...

    @property
    def change_type(self) -> str:
        """'standard', 'normal' or 'emergency'."""
        ...


class DeploymentRecord(Protocol):
    """A deployment, for the DORA measures."""

    @property
    def committed_at(self) -> datetime:
        """When the change was committed."""
        ...

    @property
    def deployed_at(self) -> datetime | None:
        """When it reached production, or None."""
        ...

    @property
    def deployment_failed(self) -> bool:
        """True when the deployment caused a failure in production."""
        ...
