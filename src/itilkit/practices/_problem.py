"""The problem: the cause of one or more incidents.

The entity, its default lifecycle and guard, and the :data:`PROBLEM` preset
practice, which records its known errors with :data:`KNOWN_ERROR`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import attrs

from itilkit._repr import shown
from itilkit._validators import is_text, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError, PracticeError
from itilkit.lifecycle import GuardContext, GuardRegistry, LifecycleDefinition, State, Transition
from itilkit.practices._known_error import KNOWN_ERROR, KnownError
from itilkit.practices._practice import Practice, TicketKind, field_edits
from itilkit.practices._priority import PRIORITY_3X3, Impact, Urgency
from itilkit.practices._values import (
    Assignment,
    ProblemResolutionCode,
    Resolution,
    new_resolution,
    to_enum,
)
from itilkit.practices._work import PrioritisedTicket

__all__ = ["PROBLEM", "Problem"]


def _ids(values: Iterable[str]) -> list[str]:
    if isinstance(values, str):
        raise InvalidInputError(f"incident ids must be a collection of ids, got {shown(values)}")
    if isinstance(values, bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError("incident ids", "a collection of ids (strings)", values)
    ids = list(values)
    wrong = [v for v in ids if not isinstance(v, str)]
    if wrong:
        raise InvalidTypeError("incident ids", "ids (non-empty strings)", wrong[0])
    bad = [v for v in ids if not is_text(v)]
    if bad:
        raise InvalidInputError(f"incident ids must be non-empty strings, got {shown(bad)}")
    return ids


@attrs.frozen(kw_only=True, slots=False)
class Problem(PrioritisedTicket):
    """A problem (see :class:`~itilkit.practices.Ticket` for the shared fields).

    Attributes:
        root_cause: what causes the incidents, once found (required to start a fix).
        resolution: the current resolution while resolved or closed, else None.
        resolutions: every resolution ever made, oldest first.
        linked_incidents: ids of the incidents this problem causes, sorted.
        known_error_id: the id of its known error record, if one was recorded.
    """

    KIND: ClassVar[TicketKind] = TicketKind.PROBLEM
    KEPT: ClassVar[tuple[tuple[str, str], ...]] = (("resolution", "resolutions"),)

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
        practice: Practice,
        /,
        *,
        id: str,
        title: str,
        impact: Impact | int | str,
        urgency: Urgency | int | str,
        at: datetime,
        actor: str,
        description: str = "",
        linked_incidents: Iterable[str] = (),
    ) -> Problem:
        """Log a new problem, optionally with the incidents that revealed it."""
        opening = cls._opening(practice, at, actor)
        return cls(
            **opening,
            **cls._prioritised(practice.matrix, impact, urgency),
            id=id,
            title=title,
            description=description,
            linked_incidents=tuple(sorted(set(_ids(linked_incidents)))),
        )

    @property
    def resolved_at(self) -> datetime | None:
        """When the current resolution was made; None unless resolved or closed."""
        return None if self.resolution is None else self.resolution.at

    def assess(self, *, at: datetime, actor: str, assignment: Assignment | None = None) -> Problem:
        """Start assessing; needs an assignment (given here or earlier)."""
        if assignment is not None and not isinstance(assignment, Assignment):
            raise InvalidInputError(f"assignment must be an Assignment, got {shown(assignment)}")
        changes = {} if assignment in (None, self.assignment) else {"assignment": assignment}
        return self._run("assess", at, actor, changes)

    def confirm(self, *, at: datetime, actor: str, reason: str | None = None) -> Problem:
        """Confirm it is a problem worth analysing: root cause analysis starts."""
        return self._run("confirm", at, actor, {}, reason)

    def start_fix(self, *, at: datetime, actor: str, root_cause: str | None = None) -> Problem:
        """Start fixing; the root cause must be known (given here or earlier)."""
        if root_cause is not None and not is_text(root_cause):
            raise InvalidInputError(
                f"root_cause must be a non-empty string, got {shown(root_cause)}"
            )
        changes = {} if root_cause is None else {"root_cause": root_cause}
        return self._run("start_fix", at, actor, changes)

    def reanalyze(self, *, at: datetime, actor: str, reason: str | None = None) -> Problem:
        """Go back to root cause analysis (the fix did not address the cause)."""
        return self._run("reanalyze", at, actor, {}, reason)

    def resolve(
        self, code: ProblemResolutionCode | str, notes: str, *, at: datetime, actor: str
    ) -> Problem:
        """Resolve: ``fix_applied`` after a fix, or ``risk_accepted`` (also during analysis)."""
        resolution = new_resolution(at, actor, to_enum(ProblemResolutionCode, code), notes)
        return self._run("resolve", at, actor, {"resolution": resolution})

    def close(self, *, at: datetime, actor: str, reason: str | None = None) -> Problem:
        """Close a resolved problem."""
        return self._run("close", at, actor, {}, reason)

    def link_incidents(self, incident_ids: Iterable[str], *, at: datetime, actor: str) -> Problem:
        """Link incidents caused by this problem; at least one must be new."""
        ids = set(_ids(incident_ids))
        if not ids - set(self.linked_incidents):
            raise PracticeError(
                f"{self.label} already links {', '.join(sorted(ids)) or 'them'}; "
                "give at least one new incident id"
            )
        linked = tuple(sorted(ids | set(self.linked_incidents)))
        return self._run("link_incidents", at, actor, {"linked_incidents": linked})

    def record_known_error(
        self,
        *,
        known_error_id: str,
        symptom: str,
        workaround: str,
        at: datetime,
        actor: str,
        title: str | None = None,
    ) -> tuple[Problem, KnownError]:
        """Record the known error (a draft, with the practice's known-error practice).

        A problem has at most one; its title defaults to the problem's.

        Raises:
            PracticeError: one is recorded already, or the practice names no
                known-error practice.
        """
        if self.known_error_id is not None:
            raise PracticeError(f"{self.label} already has known error {self.known_error_id}")
        practice = self.practice.known_errors
        if practice is None:
            raise PracticeError(f"practice {self.practice.ref} names no known-error practice")
        known = KnownError.record(
            practice,
            id=known_error_id,
            problem_id=self.id,
            title=self.title if title is None else title,
            symptom=symptom,
            workaround=workaround,
            root_cause=self.root_cause,
            at=at,
            actor=actor,
        )
        problem = self._run("record_known_error", at, actor, {"known_error_id": known_error_id})
        return problem, known

    def _rule_problems(self) -> list[str]:
        problems = super()._rule_problems()
        if list(self.linked_incidents) != sorted(set(self.linked_incidents)):
            problems.append("linked_incidents must be sorted, each id once")
        if not all(map(is_text, self.linked_incidents)):
            problems.append("linked_incidents must hold non-empty ids")
        return problems


def resolution_fits_stage(context: GuardContext) -> str | None:
    """Before a fix is in progress a problem can only be resolved by accepting the risk.

    The default problem lifecycle puts it on ``resolve`` from root cause
    analysis only, so the rule follows that edge whatever a vendor renames
    the state to.
    """
    resolution = context.fields.get("resolution")
    if not isinstance(resolution, Resolution):
        return None
    if resolution.code is ProblemResolutionCode.RISK_ACCEPTED:
        return None
    return (
        f"resolving from {context.state} needs code 'risk_accepted'; "
        f"{shown(resolution.code.value)} needs a fix in progress first (start_fix)"
    )


NEW, ACTIVE = StateCategory.NEW, StateCategory.ACTIVE
_OPEN = ("new", "assess", "root_cause_analysis", "fix_in_progress")

PROBLEM_DEFINITION = LifecycleDefinition(
    "problem",
    [
        State("new", NEW, initial=True, description="logged, not yet assessed"),
        State("assess", ACTIVE, description="is it a problem worth analysing?"),
        State("root_cause_analysis", ACTIVE, description="finding the cause"),
        State("fix_in_progress", ACTIVE, required_fields={"root_cause"}),
        State("resolved", StateCategory.RESOLVED, required_fields={"resolution"}),
        State("closed", StateCategory.CLOSED, required_fields={"closed_at", "resolution"}),
        State("canceled", StateCategory.CANCELED, required_fields={"cancellation"}),
    ],
    [
        *field_edits("assign", _OPEN, required_fields={"assignment"}),
        *field_edits("reprioritise", _OPEN),
        *field_edits("link_incidents", (*_OPEN, "resolved")),
        *field_edits(
            "record_known_error",
            ("root_cause_analysis", "fix_in_progress"),
            required_fields={"known_error_id"},
        ),
        Transition("assess", "new", "assess", required_fields={"assignment"}),
        Transition("confirm", "assess", "root_cause_analysis"),
        Transition("start_fix", "root_cause_analysis", "fix_in_progress"),
        Transition("reanalyze", "fix_in_progress", "root_cause_analysis"),
        Transition("resolve", "root_cause_analysis", "resolved", guards="resolution_fits_stage"),
        Transition("resolve", "fix_in_progress", "resolved"),
        Transition("reopen", "resolved", "root_cause_analysis"),
        Transition("close", "resolved", "closed"),
        Transition("cancel", ("new", "assess", "root_cause_analysis"), "canceled"),
    ],
)

#: The default problem practice: the 3x3 matrix, known errors with :data:`KNOWN_ERROR`.
PROBLEM = Practice(
    name="problem",
    kind=TicketKind.PROBLEM,
    definition=PROBLEM_DEFINITION,
    commands={role: role for role in PROBLEM_DEFINITION.transition_names},
    guards=GuardRegistry({"resolution_fits_stage": resolution_fits_stage}),
    state_fields={"resolution", "closed_at", "cancellation"},
    matrix=PRIORITY_3X3,
    known_errors=KNOWN_ERROR,
    description="ITIL problem management (reference lifecycle of the survey, section 3.2)",
)
