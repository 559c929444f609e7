"""The record Protocols: what each family of measures reads.

Measures read fields by name, so any object with these attributes (itilkit
entities among them), or any mapping with these keys, works; a
:class:`FieldMap` renames them for other column names. The Protocols let a
type checker confirm that a host's classes fit.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from itilkit.categories import StateCategory

__all__ = ["ChangeRecord", "DeploymentRecord", "FailureRecord", "IncidentRecord"]


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
        """Paused time: a wall-clock total, or pause intervals."""
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
