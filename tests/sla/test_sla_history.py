"""History events and their replay into snapshots: order, grouping, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from itilkit.categories import StateCategory
from itilkit.errors import HistoryOrderError, InvalidInputError, NaiveDatetimeError
from itilkit.sla import FieldChange, HistoryEvent, StateChange, replay

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STATE = "state"


def test_events_store_instants_in_utc() -> None:
    """An event's instant is kept as the same instant in UTC."""
    plus_two = timezone(timedelta(hours=2))
    event = StateChange(datetime(2026, 3, 2, 11, 0, tzinfo=plus_two), "new", "new")
    assert event.at == T0
    assert event.at.tzinfo is UTC
    assert event.category is StateCategory.NEW


def test_naive_instant_is_rejected() -> None:
    """A naive datetime on an event raises NaiveDatetimeError naming the field."""
    with pytest.raises(NaiveDatetimeError, match="history event 'at'"):
        FieldChange(datetime(2026, 3, 2, 9, 0), "priority", 1)


def test_unknown_category_and_empty_names_are_rejected() -> None:
    """A category outside StateCategory and an empty state or field name are errors."""
    with pytest.raises(InvalidInputError, match="unknown state category 'waiting'; allowed: new"):
        StateChange(T0, "waiting", "waiting")
    with pytest.raises(InvalidInputError, match="state must be a non-empty string"):
        StateChange(T0, "", StateCategory.NEW)
    with pytest.raises(InvalidInputError, match="field must be a non-empty string"):
        FieldChange(T0, "", 1)


def test_events_of_one_instant_form_one_snapshot() -> None:
    """Events sharing an instant are applied together; later instants see earlier fields."""
    history: list[HistoryEvent] = [
        StateChange(T0, "new", StateCategory.NEW),
        FieldChange(T0, "priority", 3),
        FieldChange(T0 + timedelta(hours=1), "priority", 1),
        StateChange(T0 + timedelta(hours=2), "in_progress", StateCategory.ACTIVE),
    ]
    snaps = list(replay(history))
    assert [s.at for s in snaps] == [T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    assert snaps[0].state == "new"
    assert dict(snaps[0].fields) == {"priority": 3}
    assert snaps[0].changed == {STATE, "priority"}
    assert snaps[1].state == "new"
    assert dict(snaps[1].fields) == {"priority": 1}
    assert snaps[1].changed == {"priority"}
    assert snaps[2].category is StateCategory.ACTIVE
    assert snaps[2].changed == {STATE}
    assert dict(snaps[2].fields) == {"priority": 1}


def test_setting_the_same_value_is_not_a_change() -> None:
    """Re-setting a field or state to its current value leaves ``changed`` empty."""
    history: list[HistoryEvent] = [
        StateChange(T0, "new", StateCategory.NEW),
        FieldChange(T0, "group", None),
        StateChange(T0 + timedelta(hours=1), "new", StateCategory.NEW),
        FieldChange(T0 + timedelta(hours=1), "group", None),
    ]
    first, second = replay(history)
    assert first.changed == {STATE, "group"}
    assert second.changed == frozenset()


def test_snapshot_fields_cannot_be_mutated() -> None:
    """The fields mapping of a snapshot is read-only."""
    (snap,) = replay([FieldChange(T0, "priority", 2)])
    with pytest.raises(TypeError):
        snap.fields["priority"] = 1  # type: ignore[index]


def test_events_after_until_are_not_applied() -> None:
    """Replay up to ``until`` shows the record as it was then."""
    history = [FieldChange(T0, "p", 1), FieldChange(T0 + timedelta(hours=1), "p", 2)]
    assert [dict(s.fields) for s in replay(history, until=T0)] == [{"p": 1}]
    assert len(list(replay(history, until=T0 + timedelta(hours=1)))) == 2


def test_out_of_order_history_is_rejected_with_the_index() -> None:
    """An event earlier than its predecessor raises HistoryOrderError, even after ``until``."""
    history = [
        FieldChange(T0, "p", 1),
        FieldChange(T0 + timedelta(hours=2), "p", 2),
        FieldChange(T0 + timedelta(hours=1), "p", 3),
    ]
    with pytest.raises(HistoryOrderError) as caught:
        list(replay(history, until=T0))
    assert caught.value.index == 2
    assert caught.value.previous == T0 + timedelta(hours=2)
    assert caught.value.current == T0 + timedelta(hours=1)
    assert isinstance(caught.value, InvalidInputError)


def test_history_entries_must_be_events() -> None:
    """Anything but a StateChange or FieldChange in the history is a typed error."""
    with pytest.raises(InvalidInputError, match="history event 1 must be a StateChange"):
        list(replay([FieldChange(T0, "p", 1), ("2026-03-02", "p", 2)]))  # type: ignore[list-item]


def test_naive_until_is_rejected() -> None:
    """``until`` must be aware too."""
    with pytest.raises(NaiveDatetimeError, match="until"):
        list(replay([FieldChange(T0, "p", 1)], until=datetime(2026, 3, 2, 9)))
