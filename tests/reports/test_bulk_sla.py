"""bulk_sla: the engine's bulk call, with each ticket it refuses named instead of raised."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import InvalidInputError, NaiveDatetimeError
from itilkit.outcomes import SlaOutcome
from itilkit.reports import _bulk_sla as bulk_module
from itilkit.reports import bulk_sla, default_sla_policy, sla_compliance, target_outcome
from itilkit.sla import (
    ClockReopen,
    FieldUpdate,
    HistoryEvent,
    InCategory,
    SlaPolicy,
    SlaTarget,
    StateChange,
    sla_status,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
POLICY = default_sla_policy()


def history(kind: str, start: int) -> list[Any]:
    """A priority-3 ticket's history (response 1 h, resolution 16 h): ``good`` (resolved in
    an hour), ``open`` (on hold after an hour), ``late`` (resolved after 20 h), ``backwards``
    (events out of order), ``no priority`` or ``naive`` (not an event)."""
    t = T0 + start * HOUR
    if kind == "naive":
        return [StateChange(t, "new", "new"), "not an event"]
    priority = None if kind == "no priority" else 3
    events: list[Any] = [StateChange(t, "new", "new"), FieldUpdate(t, "priority", priority)]
    if kind == "good":
        events.append(StateChange(t + HOUR, "resolved", "resolved"))
    elif kind == "open":
        events.append(StateChange(t + HOUR, "on_hold", "paused"))
    elif kind == "late":
        events.append(StateChange(t + 20 * HOUR, "resolved", "resolved"))
    elif kind == "backwards":
        events.append(StateChange(t - HOUR, "resolved", "resolved"))
    return events


KINDS = ["good", "open", "late", "backwards", "no priority", "naive"]
BAD = {"backwards", "no priority", "naive"}


def test_a_refused_ticket_is_named_and_the_others_measured() -> None:
    """The engine raises on ticket B's history; A and C still get their statuses."""
    now = T0 + 30 * HOUR
    run = bulk_sla(
        POLICY, [("A", history("good", 0)), ("B", history("backwards", 1)),
                 ("C", history("late", 2))], now,
    )  # fmt: skip
    assert list(run.statuses) == ["A", "C"]
    assert [(e.ticket, e.error) for e in run.exclusions] == [("B", "HistoryOrderError")]
    assert "\n" not in run.exclusions[0].reason
    assert run.statuses["C"] == sla_status(POLICY, history("late", 2), now)
    assert run.tickets == 3
    outcomes = run.outcomes()
    assert outcomes["A"] == {"response": SlaOutcome.MET, "resolution": SlaOutcome.MET}
    assert outcomes["C"]["resolution"] is SlaOutcome.BREACHED


def test_duplicates_and_mappings() -> None:
    """A repeated id keeps its first history; a mapping works as the pairs do."""
    now = T0 + 10 * HOUR
    run = bulk_sla(POLICY, [("A", history("good", 0)), ("A", history("late", 0))], now)
    assert list(run.statuses) == ["A"]
    assert run.exclusions[0].reason == "ticket A was given before; its first is kept"
    assert bulk_sla(POLICY, {"A": history("good", 0)}, now).statuses == run.statuses
    not_history = bulk_sla(POLICY, [("X", 5)], now)  # type: ignore[list-item]
    assert not_history.exclusions[0].ticket == "X"


def test_problems_of_the_call_itself_raise() -> None:
    """A bad policy, now or ticket list is the caller's mistake, not a ticket's."""
    with pytest.raises(InvalidInputError):
        bulk_sla("policy", [], T0)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        bulk_sla(POLICY, [], datetime(2026, 3, 2))
    with pytest.raises(InvalidInputError, match="pair"):
        bulk_sla(POLICY, ["A"], T0)  # type: ignore[list-item]
    with pytest.raises(InvalidInputError):
        bulk_sla(POLICY, 42, T0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        sla_compliance("run")  # type: ignore[arg-type]


@given(st.lists(st.sampled_from(KINDS), max_size=40), st.integers(1, 7))
def test_bulk_equals_one_by_one(kinds: list[str], batch: int) -> None:
    """Whatever the mix and the batch size: each good ticket's status is sla_status's,
    each bad one is excluded, in input order, and nothing else."""
    now = T0 + 60 * HOUR
    tickets = [(f"T{i}", history(kind, i)) for i, kind in enumerate(kinds)]
    original = bulk_module.BATCH
    bulk_module.BATCH = batch
    try:
        run = bulk_sla(POLICY, tickets, now)
    finally:
        bulk_module.BATCH = original
    good = [(t, h) for (t, h), kind in zip(tickets, kinds, strict=True) if kind not in BAD]
    assert run.statuses == {t: sla_status(POLICY, h, now) for t, h in good}
    bad = [t for (t, _), kind in zip(tickets, kinds, strict=True) if kind in BAD]
    assert [e.ticket for e in run.exclusions] == bad


def test_target_outcome_over_cycles() -> None:
    """Breached in any cycle is breached; else the latest cycle's phase; None never started."""
    quick = SlaTarget(
        "quick", HOUR, start=InCategory(["new", "active"]), stop=InCategory("resolved"),
        cancel=InCategory("canceled"),
    )  # fmt: skip
    cycles = SlaPolicy("p", [quick], reopen=ClockReopen.NEW_CYCLE)

    def outcome(events: Sequence[HistoryEvent], hours: int = 10) -> SlaOutcome | None:
        status = sla_status(cycles, events, T0 + hours * HOUR)
        return target_outcome(status.target("quick"))

    new = StateChange(T0, "new", "new")
    assert outcome([]) is None
    assert outcome([StateChange(T0, "done", "resolved")]) is None
    assert outcome([new], hours=0) is SlaOutcome.IN_PROGRESS
    assert outcome([new, StateChange(T0 + HOUR / 2, "x", "canceled")]) is SlaOutcome.CANCELED
    late_then_quick = [
        new,
        StateChange(T0 + 2 * HOUR, "done", "resolved"),
        StateChange(T0 + 3 * HOUR, "again", "active"),
        StateChange(T0 + 3 * HOUR + HOUR / 4, "done", "resolved"),
    ]
    assert outcome(late_then_quick) is SlaOutcome.BREACHED
    assert outcome(late_then_quick[2:]) is SlaOutcome.MET


@given(st.lists(st.tuples(st.sampled_from(["good", "open", "late"]),
                          st.sampled_from(["P1", "P2", None])), max_size=25))  # fmt: skip
def test_compliance_by_attribute_counts_by_hand(rows: list[tuple[str, str | None]]) -> None:
    """Resolution compliance per group = good / (good + late) of that group's tickets; the
    open ones are in progress."""
    now = T0 + 30 * HOUR
    tickets = [(f"T{i}", history(kind, 0)) for i, (kind, _) in enumerate(rows)]
    attributes = {f"T{i}": {"team": team} for i, (_, team) in enumerate(rows)}
    result = sla_compliance(bulk_sla(POLICY, tickets, now), attributes, by=("team",))
    for (team,), stats in result.groups.items():
        kinds = [kind for kind, t in rows if t == team]
        resolution = stats.targets["resolution"]
        assert (resolution.met, resolution.breached) == (kinds.count("good"), kinds.count("late"))
        assert resolution.in_progress == kinds.count("open")
    assert (
        sum(s.records.population for s in result.groups.values())
        == result.overall.records.population
    )
