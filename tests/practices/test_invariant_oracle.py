"""The invariant check's one walk of the history, against a slow obvious oracle.

The oracle checks each history and bookkeeping rule by its own walk of the
history, the way the rules read; tickets are real ones with one field or their
history broken by hand (built without the constructor, which would refuse them),
and both must report the same problems in the same order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from itilkit._repr import shown
from itilkit.categories import StateCategory
from itilkit.lifecycle import TransitionRecord
from itilkit.practices import (
    Assignment,
    Change,
    Incident,
    KnownError,
    Problem,
    ReassignmentRule,
    ServiceRequest,
    Ticket,
)
from itilkit.practices._ticket import RESERVED, _Replay
from itilkit.testing import SAMPLE_PRACTICES
from itilkit.testing.strategies import tickets_of

_DONE = (StateCategory.RESOLVED, StateCategory.CLOSED)
_OPEN = (StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED)
_MISSING = object()
ENTITY_TYPES = (Incident, Problem, KnownError, ServiceRequest, Change)
#: The sample incident practice, counting reassignments by group.
BY_GROUP = SAMPLE_PRACTICES.get("desk-incident", 1).derive(name="by-group", reassignment="group")


def oracle(ticket: Ticket) -> list[str]:
    """The history's problems and the bookkeeping's, each rule found by a walk of its own."""
    problems = _history(ticket)
    history = ticket.history
    assignments = [c for r in history if (c := r.changed("assignment")) and c.new is not None]
    rule = ticket.practice.reassignment
    reassigned = sum(1 for c in assignments if c.old is not None and _moved(c.old, c.new, rule))
    firsts = [r.at for r in history if (c := r.changed("assignment")) and c.new and not c.old]
    if ticket.reassignment_count != reassigned:
        problems.append(
            f"reassignment_count is {ticket.reassignment_count}, but the history holds "
            f"{reassigned} reassignment(s)"
        )
    if firsts and ticket.assigned_at != firsts[0]:
        problems.append(
            f"assigned_at is {shown(ticket.assigned_at)}, but the first assignment was at "
            f"{shown(firsts[0])}"
        )
    for current, kept in ticket.KEPT:
        values = getattr(ticket, kept)
        if values != tuple(c.new for r in history if (c := r.changed(current)) and c.new):
            problems.append(f"{kept} must list every {current} the history records, in order")
        now = getattr(ticket, current)
        if now is not None and (not values or values[-1] != now):
            problems.append(f"{current} must be the last of {kept}")
    milestone = ticket.FIRST_ACTIVE
    if milestone is not None:
        active = [r.at for r in history if r.target_category is StateCategory.ACTIVE]
        if getattr(ticket, milestone) != (active[0] if active else None):
            problems.append(f"{milestone} must be when the ticket first entered an active state")
    counter = ticket.REOPEN_COUNTER
    if counter is not None:
        reopens = sum(
            1 for r in history if r.source_category in _DONE and r.target_category in _OPEN
        )
        if getattr(ticket, counter) != reopens:
            problems.append(
                f"{counter} is {getattr(ticket, counter)}, but the history holds "
                f"{reopens} reopen(s)"
            )
    return problems


def one_walk(ticket: Ticket) -> list[str]:
    """What the invariant check's one walk of the history reports."""
    replay = _Replay(ticket)
    return replay.problems + ticket._bookkeeping_problems(replay)


def _moved(old: object, new: object, rule: ReassignmentRule) -> bool:
    """Any change; by group: a change of group only."""
    if (
        rule is ReassignmentRule.GROUP
        and isinstance(old, Assignment)
        and isinstance(new, Assignment)
    ):
        return old.group != new.group
    return old != new


def _history(ticket: Ticket) -> list[str]:
    definition = ticket.practice.definition
    problems = []
    state, previous = definition.initial.name, ticket.opened_at
    last: dict[str, object] = {}
    for index, record in enumerate(ticket.history):
        move = definition.move(record.source, record.transition)
        if (
            record.source != state
            or move is None
            or move.target != record.target
            or record.source_category is not definition.category(record.source)
            or record.target_category is not definition.category(record.target)
        ):
            return [
                f"history record {index} ({shown(record.transition)}: {shown(record.source)} -> "
                f"{shown(record.target)}) does not follow state {shown(state)} in lifecycle "
                f"{shown(definition.name)}"
            ]
        if record.at < previous:
            problems.append(
                f"history record {index} at {record.at.isoformat()} is earlier than "
                f"{previous.isoformat()}"
            )
        for change in record.changes:
            if change.field in RESERVED:
                problems.append(f"history record {index} changes {change.field}")
            elif (
                change.field in last
                and change.field != "notes"
                and last[change.field] != change.old
            ):
                problems.append(
                    f"history record {index} changes {change.field} from {shown(change.old)}, "
                    f"but the record before left it {shown(last[change.field])}"
                )
            last[change.field] = change.new
        state, previous = record.target, record.at
    if state != ticket.state:
        problems.append(f"the history replays to state {shown(state)}, not {shown(ticket.state)}")
    for name, value in last.items():
        current = getattr(ticket, name, _MISSING)
        if current is _MISSING:
            problems.append(f"the history changes {name}, which a {ticket.KIND.value} lacks")
        elif name != "notes" and current != value:
            problems.append(
                f"{name} is {shown(current)}, but the history last set it to {shown(value)}"
            )
    return problems


def _unchecked(ticket: Ticket, **fields: Any) -> Ticket:
    """``ticket`` with ``fields`` replaced, without the constructor's check."""
    made = object.__new__(type(ticket))
    object.__setattr__(made, "__dict__", {**ticket.__dict__, **fields})
    return made


@st.composite
def broken(draw: st.DrawFn) -> Ticket:
    """A real ticket with one thing broken by hand (or none)."""
    kind = draw(st.sampled_from(ENTITY_TYPES))
    practice = draw(st.sampled_from([None, BY_GROUP])) if kind is Incident else None
    ticket = draw(tickets_of(kind, practice, max_steps=40))
    other = draw(tickets_of(kind, practice, max_steps=40))
    history = list(ticket.history)
    how = draw(st.integers(0, 5))
    if how == 0 and history:  # a record dropped
        del history[draw(st.integers(0, len(history) - 1))]
    elif how == 1 and len(history) > 1:  # two records swapped
        i, j = draw(st.lists(st.integers(0, len(history) - 1), min_size=2, max_size=2))
        history[i], history[j] = history[j], history[i]
    elif how == 2 and history:  # a record repeated
        history.append(history[draw(st.integers(0, len(history) - 1))])
    elif how == 3:  # another ticket's history
        history = list(other.history)
    elif how == 4 and history:  # a record earlier than the opening
        record = history[0]
        at: datetime = record.at - timedelta(days=draw(st.integers(1, 900)))
        history[0] = TransitionRecord(
            record.transition, record.source, record.target, at, record.actor, record.reason,
            record.changes, record.source_category, record.target_category,
        )  # fmt: skip
    fields: dict[str, Any] = {"history": tuple(history)}
    if how == 5:  # one field from another ticket of the same type
        names = sorted(set(ticket.__dict__) - {"practice", "state", "category", "history"})
        name = draw(st.sampled_from(names))
        fields[name] = other.__dict__[name]
    return _unchecked(ticket, **fields)


@given(broken())
def test_the_one_walk_reports_what_the_rule_by_rule_oracle_reports(ticket: Ticket) -> None:
    found = one_walk(ticket)
    event("broken" if found else "consistent")
    assert found == oracle(ticket)


@given(st.sampled_from(ENTITY_TYPES).flatmap(lambda kind: tickets_of(kind, max_steps=40)))
def test_real_tickets_have_no_problems_in_either(ticket: Ticket) -> None:
    assert ticket._problems() == [] == one_walk(ticket) == oracle(ticket)
