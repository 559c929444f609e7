"""The problem (a cause of incidents) and the known error (an analysed problem's workaround)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import attrs

from itilkit._validators import aware, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, PracticeError
from itilkit.lifecycle import Lifecycle, TransitionRecord
from itilkit.practices._common import Assignment, apply_in_order, category_of
from itilkit.practices._lifecycles import KNOWN_ERROR_LIFECYCLE, PROBLEM_LIFECYCLE
from itilkit.practices._priority import PRIORITY_3X3, Impact, PriorityMatrix, Urgency
from itilkit.practices._ticket import TicketBase
from itilkit.practices._values import ProblemResolutionCode, Resolution, to_enum

__all__ = ["KnownError", "Problem"]


@attrs.frozen(kw_only=True)
class KnownError:
    """A documented workaround for a problem whose cause is known but not yet removed.

    Its lifecycle is draft -> published -> retired (see
    :data:`KNOWN_ERROR_LIFECYCLE`); it is linked to exactly one problem.
    """

    DEFAULT_LIFECYCLE: ClassVar[Lifecycle] = KNOWN_ERROR_LIFECYCLE

    id: str = attrs.field(validator=text())
    problem_id: str = attrs.field(validator=text())
    symptom: str = attrs.field(validator=text())
    workaround: str = attrs.field(validator=text())
    root_cause: str | None = attrs.field(default=None, validator=optional(text()))
    state: str = attrs.field(validator=text())
    created_at: datetime = attrs.field(validator=aware())
    created_by: str = attrs.field(validator=text())
    published_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    retired_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    history: tuple[TransitionRecord, ...] = attrs.field(
        default=(), validator=tuple_of(TransitionRecord)
    )
    category: StateCategory = attrs.field(validator=of_type(StateCategory))

    @category.default
    def _initial_category(self) -> StateCategory:
        return category_of(self.state, self.DEFAULT_LIFECYCLE)

    def _fire(
        self,
        transition: str,
        at: datetime,
        actor: str,
        changes: dict[str, object],
        lifecycle: Lifecycle | None,
    ) -> KnownError:
        return apply_in_order(
            self,
            lifecycle or self.DEFAULT_LIFECYCLE,
            transition,
            opened_at=self.created_at,
            at=at,
            actor=actor,
            changes=changes,
        )

    def revise(
        self,
        *,
        at: datetime,
        actor: str,
        symptom: str | None = None,
        workaround: str | None = None,
        root_cause: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> KnownError:
        """Update the symptom, workaround or root cause (recorded in the history)."""
        given = {"symptom": symptom, "workaround": workaround, "root_cause": root_cause}
        changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
        if not changes:
            raise InvalidInputError("revise needs at least one of symptom, workaround, root_cause")
        return self._fire("revise", at, actor, changes, lifecycle)

    def publish(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None
    ) -> KnownError:
        """Make the workaround available to the service desk."""
        return self._fire("publish", at, actor, {"published_at": at}, lifecycle)

    def retire(self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None) -> KnownError:
        """Withdraw it (the problem was fixed, or the workaround no longer applies)."""
        return self._fire("retire", at, actor, {"retired_at": at}, lifecycle)


@attrs.frozen(kw_only=True)
class Problem(TicketBase):
    """A problem (see :class:`TicketBase` for the shared fields).

    Attributes:
        root_cause: what causes the incidents, once found (required to start a fix).
        resolution: the current resolution while resolved or closed, else None.
        resolutions: every resolution ever made, oldest first.
        linked_incidents: ids of the incidents this problem causes, sorted.
        known_error_id: the id of its known error record, if one was recorded.
    """

    DEFAULT_LIFECYCLE: ClassVar[Lifecycle] = PROBLEM_LIFECYCLE

    root_cause: str | None = attrs.field(default=None, validator=optional(text()))
    resolution: Resolution | None = attrs.field(
        default=None, validator=optional(of_type(Resolution))
    )
    resolutions: tuple[Resolution, ...] = attrs.field(default=(), validator=tuple_of(Resolution))
    linked_incidents: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))
    known_error_id: str | None = attrs.field(default=None, validator=optional(text()))

    @classmethod
    def log(
        cls,
        *,
        id: str,
        title: str,
        impact: Impact | int | str,
        urgency: Urgency | int | str,
        at: datetime,
        actor: str,
        description: str = "",
        linked_incidents: Iterable[str] = (),
        matrix: PriorityMatrix = PRIORITY_3X3,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Raise a new problem, optionally from the incidents that revealed it."""
        opening = cls._opening_fields(
            impact, urgency, at=at, actor=actor, matrix=matrix, lifecycle=lifecycle
        )
        return cls(
            **opening,
            id=id,
            title=title,
            description=description,
            linked_incidents=tuple(sorted(set(_ids(linked_incidents)))),
        )

    @property
    def resolved_at(self) -> datetime | None:
        """When the current resolution was made; None unless resolved or closed."""
        return None if self.resolution is None else self.resolution.at

    def assess(
        self,
        *,
        at: datetime,
        actor: str,
        assignment: Assignment | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Start assessing; needs an assignment (given here or earlier)."""
        changes = {} if assignment is None else self._assignment_changes(assignment, at)
        return self.fire("assess", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def confirm(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Confirm it is a problem worth analysing: root cause analysis starts."""
        return self.fire("confirm", at=at, actor=actor, reason=reason, lifecycle=lifecycle)

    def start_fix(
        self,
        *,
        at: datetime,
        actor: str,
        root_cause: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Start fixing; the root cause must be known (given here or earlier)."""
        changes = {} if root_cause is None else {"root_cause": root_cause}
        return self.fire("start_fix", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def reanalyze(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Go back to root cause analysis (the fix did not address the cause)."""
        return self.fire("reanalyze", at=at, actor=actor, reason=reason, lifecycle=lifecycle)

    def resolve(
        self,
        code: ProblemResolutionCode | str,
        notes: str,
        *,
        at: datetime,
        actor: str,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Resolve: ``fix_applied`` after a fix, or ``risk_accepted`` (also during analysis)."""
        resolution = Resolution(at, actor, to_enum(ProblemResolutionCode, code), notes)
        changes = {"resolution": resolution, "resolutions": (*self.resolutions, resolution)}
        return self.fire("resolve", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def reopen(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Reopen a resolved problem into root cause analysis; resolutions are kept."""
        changes = {"resolution": None, "reopen_count": self.reopen_count + 1}
        return self.fire(
            "reopen", at=at, actor=actor, changes=changes, reason=reason, lifecycle=lifecycle
        )

    def close(self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None) -> Problem:
        """Close a resolved problem."""
        return self.fire(
            "close", at=at, actor=actor, changes={"closed_at": at}, lifecycle=lifecycle
        )

    def link_incidents(
        self,
        incident_ids: Iterable[str],
        *,
        at: datetime,
        actor: str,
        lifecycle: Lifecycle | None = None,
    ) -> Problem:
        """Link incidents caused by this problem; at least one must be new."""
        ids = set(_ids(incident_ids))
        if not ids - set(self.linked_incidents):
            raise PracticeError(f"{self.id} already links {', '.join(sorted(ids)) or 'them'}")
        linked = tuple(sorted(ids | set(self.linked_incidents)))
        return self.fire(
            "link_incidents",
            at=at,
            actor=actor,
            changes={"linked_incidents": linked},
            lifecycle=lifecycle,
        )

    def record_known_error(
        self,
        *,
        known_error_id: str,
        symptom: str,
        workaround: str,
        at: datetime,
        actor: str,
        lifecycle: Lifecycle | None = None,
    ) -> tuple[Problem, KnownError]:
        """Record the known error (draft) with its workaround; a problem has at most one."""
        if self.known_error_id is not None:
            raise PracticeError(f"{self.id} already has known error {self.known_error_id}")
        known = KnownError(
            id=known_error_id,
            problem_id=self.id,
            symptom=symptom,
            workaround=workaround,
            root_cause=self.root_cause,
            state=KnownError.DEFAULT_LIFECYCLE.definition.initial.name,
            category=KnownError.DEFAULT_LIFECYCLE.definition.initial.category,
            created_at=at,
            created_by=actor,
        )
        problem = self.fire(
            "record_known_error",
            at=at,
            actor=actor,
            changes={"known_error_id": known_error_id},
            lifecycle=lifecycle,
        )
        return problem, known


def _ids(values: Iterable[str]) -> list[str]:
    if isinstance(values, str):
        raise InvalidInputError(
            f"incident ids must be a collection of ids, got the string {values!r}"
        )
    ids = list(values)
    bad = [v for v in ids if not isinstance(v, str) or not v.strip()]
    if bad:
        raise InvalidInputError(f"incident ids must be non-empty strings, got {bad!r}")
    return ids
