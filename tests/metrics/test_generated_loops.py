"""Generated fast loops read any column name safely and agree with the slow path."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from tests.metrics.support import T0

from itilkit.metrics import ByPeriod, FirstContactResolution, TimeToResolve

H = timedelta(hours=1)
ODD = {"opened_at": "opened at", "resolved_at": "x']; import os; y = r['", "category": "class"}


def test_column_names_are_data_not_code() -> None:
    """Names with spaces, quotes or keywords are read as keys and attributes, never run."""
    rows: list[dict[str, Any]] = [
        {"opened at": T0, "x']; import os; y = r['": T0 + H, "class": "closed", "p": 1},
        {"opened at": T0, "x']; import os; y = r['": None, "class": "closed", "p": 1},
    ]
    result = TimeToResolve(fields=ODD, by="p")(rows)
    assert result.groups[1,].mean == H
    assert result.exclusions["unresolved"].count == 1
    objects = [SimpleNamespace(**{"opened at": T0, "class": "closed"}) for _ in range(2)]
    for obj in objects:
        setattr(obj, "x']; import os; y = r['", T0 + 2 * H)
    assert TimeToResolve(fields=ODD)(objects).overall.mean == 2 * H


def test_records_the_loop_does_not_accept_go_through_the_definition() -> None:
    """Mixed shapes, subclasses and bad values after a good first record are all handled."""

    class Stamp(type(T0)):  # type: ignore[misc]
        """A datetime subclass (as pandas.Timestamp is)."""

    rows: list[Any] = [
        {"opened_at": T0, "resolved_at": T0 + H, "category": "closed"},
        SimpleNamespace(opened_at=T0, resolved_at=T0 + 3 * H, category="closed"),
        {"opened_at": Stamp(2024, 3, 1, 9, tzinfo=T0.tzinfo), "resolved_at": T0 + 5 * H},
        {"opened_at": T0, "resolved_at": T0 + H, "category": 3},
        {"opened_at": T0, "resolved_at": (T0 + H).time(), "category": "closed"},
    ]
    result = TimeToResolve(by=ByPeriod("resolved_at", "day"))(rows)
    assert result.overall.count == 3
    assert result.overall.total == 9 * H
    assert set(result.field_issues) == {"category", "resolved_at"}
    fcr = FirstContactResolution()(
        [
            {"resolved_at": T0, "first_contact_resolved": True, "reopen_count": 0},
            {"resolved_at": T0, "first_contact_resolved": 1, "reopen_count": 0},
            {"resolved_at": T0, "first_contact_resolved": True, "reopen_count": 2.0},
        ]
    )
    assert (fcr.overall.hits, fcr.overall.population) == (1, 2)
    assert set(fcr.field_issues) == {"first_contact_resolved"}
