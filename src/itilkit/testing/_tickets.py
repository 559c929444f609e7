"""Tickets with real histories: walks of random commands, and deterministic samples.

A walk fires commands at a ticket one after another, each a few minutes
after the last, and skips any the practice refuses, so every ticket it
makes is one a host could have made: its history replays to its state.
:func:`walk` takes the choices from a sequence of integers, which the
hypothesis strategies draw (and shrink) and :func:`sample_ticket` derives
from a number.

>>> incident = sample_ticket(Incident, 2)
>>> incident.id, incident.state, [r.transition for r in incident.history]
('INC-002', 'new', ['assign', 'reprioritise', 'reprioritise'])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from itilkit._time import instant
from itilkit.errors import InvalidTypeError, ItilkitError, OutOfRangeError
from itilkit.practices import (
    CHANGE,
    DEFAULT_PRACTICES,
    INCIDENT,
    KNOWN_ERROR,
    PROBLEM,
    SERVICE_REQUEST,
    ApprovalPolicy,
    ApprovalRule,
    Assignment,
    Change,
    Incident,
    KnownError,
    PlannedWindow,
    Practice,
    PracticeRegistry,
    Problem,
    RiskAssessment,
    ServiceRequest,
    Ticket,
    incident_sla_policy,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule

__all__ = [
    "DESK_INCIDENT",
    "DESK_PROBLEM",
    "DESK_REQUEST",
    "SAMPLE_PRACTICES",
    "T0",
    "opened",
    "sample_ticket",
    "walk",
    "walk_commands",
]

#: When sample tickets are opened (a Monday morning).
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ACTORS = ("ann", "bob", "cy")
_GROUPS = ("service-desk", "network", "email")
_APPROVERS = ("cab-1", "cab-2", "cab-3")
_HOUR = timedelta(hours=1)

_DESK_HOURS = BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "08:00-18:00"}))
_DESK_SLA = incident_sla_policy(
    _DESK_HOURS,
    response={1: _HOUR / 2, 2: _HOUR, 3: 4 * _HOUR, 4: 8 * _HOUR, 5: 16 * _HOUR},
    resolution={1: 4 * _HOUR, 2: 8 * _HOUR, 3: 24 * _HOUR, 4: 40 * _HOUR, 5: 80 * _HOUR},
    name="desk",
)
#: The incident practice with an SLA policy on desk hours (Monday to Friday, 08-18 UTC).
DESK_INCIDENT = INCIDENT.derive(name="desk-incident", sla=_DESK_SLA)
#: The service request practice with the same SLA policy.
DESK_REQUEST = SERVICE_REQUEST.derive(name="desk-request", sla=_DESK_SLA)
#: The problem practice with the same SLA policy (its known errors are the preset's).
DESK_PROBLEM = PROBLEM.derive(name="desk-problem", sla=_DESK_SLA)
#: The presets and the desk practices: what the sample tickets name.
SAMPLE_PRACTICES: PracticeRegistry = DEFAULT_PRACTICES.with_practices(
    DESK_INCIDENT, DESK_REQUEST, DESK_PROBLEM
)

E = TypeVar("E", bound=Ticket)
#: A command: the ticket, when, a free choice -> the ticket after it (or an ItilkitError).
Command = Callable[[Any, datetime, int], Any]


def _pick(values: Sequence[Any], choice: int) -> Any:
    return values[choice % len(values)]


def _assignment(choice: int) -> Assignment:
    return Assignment(_pick(_GROUPS, choice), _pick((*_ACTORS, None), choice // 3))


def _note(t: Any, at: datetime, n: int) -> Any:
    return t.add_note(f"note {n}", at=at, actor=_pick(_ACTORS, n), public=n % 2 == 0)


def _cancel(t: Any, at: datetime, n: int) -> Any:
    if n % 3:
        return t  # canceling ends a walk: tried on one choice in three
    reason = _pick(("duplicate", "withdrawn", "unnecessary", "other"), n // 3)
    original = f"X-{n}" if reason == "duplicate" else None
    return t.cancel(reason, at=at, actor="desk", duplicate_of=original, notes=None)


_SHARED: tuple[Command, ...] = (
    lambda t, at, n: t.assign(_assignment(n), at=at, actor="desk"),
    _note,
    _cancel,
)
_PRIORITISED: tuple[Command, ...] = (
    lambda t, at, n: t.reprioritise(urgency=1 + n % 3, impact=1 + n // 3 % 3, at=at, actor="desk"),
    lambda t, at, n: t.override_priority(1 + n % 3, at=at, actor="mgr", reason="VIP caller"),
    lambda t, at, n: t.reopen(at=at, actor="desk", reason="came back"),
)
_HOLD: tuple[Command, ...] = (
    lambda t, at, n: t.hold(
        _pick(("awaiting_caller", "awaiting_vendor", "other"), n),
        at=at,
        actor=t.assignment.assignee if t.assignment else "bob",
        note="what we need",
    ),
    lambda t, at, n: t.resume(at=at, actor="bob"),
)
_INCIDENT: tuple[Command, ...] = (
    lambda t, at, n: t.start_work(at=at, actor="bob"),
    lambda t, at, n: t.resolve(
        _pick(("fixed", "workaround", "not_reproducible"), n),
        "done",
        at=at,
        actor=_pick(_ACTORS, n),
    ),
    lambda t, at, n: t.close(at=at, actor="desk"),
)
_PROBLEM: tuple[Command, ...] = (
    lambda t, at, n: t.assess(at=at, actor="pm", assignment=_assignment(n)),
    lambda t, at, n: t.confirm(at=at, actor="pm"),
    lambda t, at, n: t.start_fix(at=at, actor="dev", root_cause=f"cause {n}"),
    lambda t, at, n: t.reanalyze(at=at, actor="dev"),
    lambda t, at, n: t.resolve(_pick(("fix_applied", "risk_accepted"), n), "ok", at=at, actor="pm"),
    lambda t, at, n: t.close(at=at, actor="pm"),
    lambda t, at, n: t.link_incidents([f"INC-{n}"], at=at, actor="pm"),
    lambda t, at, n: t.record_known_error(
        known_error_id=f"KE-{n}", symptom="slow", workaround="restart", at=at, actor="pm"
    )[0],
)
_KNOWN_ERROR: tuple[Command, ...] = (
    lambda t, at, n: t.revise(at=at, actor="pm", workaround=f"workaround {n}"),
    lambda t, at, n: t.publish(at=at, actor="pm"),
    lambda t, at, n: t.retire(at=at, actor="pm", reason="fixed"),
)
_REQUEST: tuple[Command, ...] = (
    lambda t, at, n: t.request_approval(at=at, actor="desk"),
    lambda t, at, n: t.approve(at=at, actor=_pick(("mgr", "ann"), n)),
    lambda t, at, n: t.reject("no budget", at=at, actor="mgr"),
    lambda t, at, n: t.start_fulfilment(at=at, actor="bob"),
    lambda t, at, n: t.fulfil("delivered", at=at, actor="bob"),
    lambda t, at, n: t.close(_pick(("complete", "incomplete", "skipped"), n), at=at, actor="bob"),
)
_CHANGE: tuple[Command, ...] = (
    lambda t, at, n: t.revise(at=at, actor="req", backout_plan=f"plan {n}"),
    lambda t, at, n: t.assess(at=at, actor="req"),
    lambda t, at, n: t.authorize(at=at, actor="req"),
    lambda t, at, n: t.schedule(at=at, actor="req"),
    lambda t, at, n: t.approve(at=at, actor=_pick(_APPROVERS, n), comment=None),
    lambda t, at, n: t.reject(at=at, actor=_pick(_APPROVERS, n), comment="too risky"),
    lambda t, at, n: t.implement(at=at, actor="ops"),
    lambda t, at, n: t.review(
        at=at, actor="ops", outcome=_pick(("successful", "backed_out", "unsuccessful"), n)
    ),
    lambda t, at, n: t.close(at=at, actor="req"),
)

_COMMANDS: dict[type, tuple[Command, ...]] = {
    Incident: _SHARED + _PRIORITISED + _HOLD + _INCIDENT,
    Problem: _SHARED + _PRIORITISED + _PROBLEM,
    KnownError: _SHARED + _KNOWN_ERROR,
    ServiceRequest: _SHARED + _PRIORITISED + _HOLD + _REQUEST,
    Change: _SHARED + _CHANGE,
}
_PRESETS: dict[type, Practice] = {
    Incident: DESK_INCIDENT,
    Problem: DESK_PROBLEM,
    KnownError: KNOWN_ERROR,
    ServiceRequest: DESK_REQUEST,
    Change: CHANGE,
}
_PREFIX = {Incident: "INC", Problem: "PRB", KnownError: "KE", ServiceRequest: "REQ", Change: "CHG"}


def walk_commands(entity_type: type[Ticket]) -> int:
    """How many commands a walk of ``entity_type`` chooses from."""
    return len(_COMMANDS[entity_type])


def opened(
    entity_type: type[E], number: int, *, practice: Practice | None = None, at: datetime = T0
) -> E:
    """A new ticket of ``entity_type``, id and fields from ``number``.

    The practice defaults to the preset (the desk practices, with an SLA,
    for incidents, problems and service requests).
    """
    _check_type(entity_type)
    _check_number(number, "number")
    at = instant(at, "at")
    chosen = _PRESETS[entity_type] if practice is None else practice
    if not isinstance(chosen, Practice):
        raise InvalidTypeError("practice", "a Practice or None", practice)
    record_id = f"{_PREFIX[entity_type]}-{number:03d}"
    impact, urgency = 1 + number % 3, 1 + number // 3 % 3
    made: Ticket
    if entity_type is Incident:
        made = Incident.log(
            chosen, id=record_id, title=f"incident {number}", caller=_pick(_ACTORS, number),
            impact=impact, urgency=urgency, at=at, actor="desk",
        )  # fmt: skip
    elif entity_type is Problem:
        made = Problem.log(
            chosen, id=record_id, title=f"problem {number}", impact=impact, urgency=urgency,
            at=at, actor="pm", linked_incidents=[f"INC-{number}"],
        )  # fmt: skip
    elif entity_type is KnownError:
        made = KnownError.record(
            chosen, id=record_id, problem_id=f"PRB-{number}", title=f"known error {number}",
            symptom="mail is slow", workaround="restart the relay", at=at, actor="pm",
        )  # fmt: skip
    elif entity_type is ServiceRequest:
        made = ServiceRequest.submit(
            chosen, id=record_id, title=f"request {number}", requester="ann",
            catalog_item=_pick(("laptop", "phone", "access"), number),
            requires_approval=number % 2 == 0, at=at, impact=impact, urgency=urgency,
        )  # fmt: skip
    elif entity_type is Change:
        made = Change.submit(
            chosen, id=record_id, title=f"change {number}",
            change_type=_pick(("standard", "normal", "emergency"), number), requested_by="req",
            at=at, backout_plan="restore the snapshot",
            planned_window=PlannedWindow(at, at + timedelta(days=60)),
            approval_policy=ApprovalPolicy.of(
                assess=ApprovalRule.any_one(_APPROVERS[:2]),
                authorize=ApprovalRule.quorum(_APPROVERS, 2),
            ),
            risk=RiskAssessment("risk-3x3", "low", "low", "low") if number % 2 else None,
            configuration_items=[f"CI-{number}", "CI-mail"],
        )  # fmt: skip
    else:  # pragma: no cover - _check_type admits the five ticket types only
        raise InvalidTypeError("entity_type", "a ticket type", entity_type)
    return made  # type: ignore[return-value]  # made is an entity_type


#: The largest ticket number sample tickets take, and the most steps of a walk.
MAX_NUMBER, MAX_STEPS = 100_000, 1000


def _check_type(entity_type: object) -> None:
    if not isinstance(entity_type, type) or entity_type not in _PREFIX:
        raise InvalidTypeError(
            "entity_type", "Incident, Problem, KnownError, ServiceRequest or Change", entity_type
        )


def _check_number(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, "an int", value)
    if not 0 <= value <= MAX_NUMBER:
        raise OutOfRangeError(name, value, f"0 to {MAX_NUMBER}")


def _checked_steps(steps: object) -> list[tuple[int, int, int]]:
    if not isinstance(steps, Sequence) or isinstance(steps, str | bytes):
        raise InvalidTypeError("steps", "a sequence of (command, choice, minutes)", steps)
    if len(steps) > MAX_STEPS:
        raise OutOfRangeError("steps", len(steps), f"at most {MAX_STEPS} steps")
    checked = []
    for step in steps:
        if not (
            isinstance(step, tuple | list)
            and len(step) == 3
            and all(type(part) is int for part in step)
        ):
            raise InvalidTypeError("steps", "(command, choice, minutes) triples of ints", step)
        if not 0 <= step[2] <= 10**6:
            raise OutOfRangeError("steps", step[2], "minutes from 0 to 1,000,000")
        checked.append((step[0], step[1], step[2]))
    return checked


def walk(ticket: E, steps: Sequence[tuple[int, int, int]]) -> E:
    """``ticket`` after a command for each ``(command, choice, minutes)`` step.

    ``command`` picks where to start among the :func:`walk_commands` commands
    (modulo their count); the first of them from there on that the practice
    allows is fired, with arguments from ``choice``, ``minutes`` after the
    last step. A step no command passes leaves the ticket as it was (a
    canceled or closed ticket stays so).
    """
    if type(ticket) not in _COMMANDS:
        raise InvalidTypeError(
            "ticket", "an Incident, Problem, KnownError, ServiceRequest or Change", ticket
        )
    commands = _COMMANDS[type(ticket)]
    at = ticket.last_event_at
    for command, choice, minutes in _checked_steps(steps):
        try:
            at += timedelta(minutes=minutes)
        except OverflowError:
            raise OutOfRangeError("steps", minutes, "times before the year 9999") from None
        for offset in range(len(commands)):
            try:
                later = commands[(command + offset) % len(commands)](ticket, at, choice)
            except ItilkitError:
                continue
            if later is not ticket:
                ticket = later
                break
    return ticket


def _steps(number: int, count: int) -> list[tuple[int, int, int]]:
    """A fixed pseudo-random sequence of steps for ``number`` (a linear congruence)."""
    steps, value = [], number * 7919 + 17
    for _ in range(count):
        value = (value * 1103515245 + 12345) % 2**31
        steps.append((value >> 4, value >> 12, 1 + (value >> 20) % 90))
    return steps


def sample_ticket(entity_type: type[E], number: int, *, steps: int | None = None) -> E:
    """Ticket ``number`` of ``entity_type``: opened, assigned, then a fixed walk.

    States, priorities, groups and SLA due times vary with ``number``; the
    same number always gives the same ticket. ``steps`` defaults to
    ``number % 9`` commands tried.
    """
    _check_type(entity_type)
    _check_number(number, "number")
    if steps is not None:
        _check_number(steps, "steps")
        if steps > MAX_STEPS:
            raise OutOfRangeError("steps", steps, f"at most {MAX_STEPS} steps")
    ticket = opened(entity_type, number, at=T0 + timedelta(minutes=7 * number))
    if number % 4 != 3:
        ticket = walk(ticket, [(0, number, 1)])  # assigned, to a group chosen by number
    return walk(ticket, _steps(number, number % 9 if steps is None else steps))
