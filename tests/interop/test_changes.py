"""HP SM changes replayed into Change entities of a change practice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import attrs
import pytest

from itilkit.codec import Codec
from itilkit.errors import InvalidInputError, MalformedRowError
from itilkit.interop import (
    HPSM_CHANGE,
    HpsmChange,
    HpsmChangeMapping,
    TicketRefusedError,
    hpsm_change_entity,
    import_hpsm_changes,
    read_hpsm_changes,
)
from itilkit.outcomes import ChangeOutcome
from itilkit.practices import CHANGE, DEFAULT_PRACTICES, INCIDENT, ChangeType, check_invariants
from tests.interop.helpers import write
from tests.interop.test_hpsm import CHANGE as COLUMNS
from tests.interop.test_hpsm import change as change_row

ZONE = "Europe/Amsterdam"
#: A close time after the late ends below.
LATE = {"Change record Close Time": "27-12-2013 9:00"}


def _read(tmp_path: Path, *rows: list[str]) -> list[HpsmChange]:
    path = write(tmp_path / "c.csv", COLUMNS, list(rows), delimiter=";")
    return list(read_hpsm_changes(path, tz=ZONE))


def _one(tmp_path: Path, **values: str) -> HpsmChange:
    (record,) = _read(tmp_path, change_row(**values))
    return record


def test_a_normal_change_is_approved_by_the_cab_at_both_gates(tmp_path: Path) -> None:
    """CAB approval needed: a normal change, voted through assess and authorize by the
    mapping's CAB at the open time, implemented and reviewed at the actual times."""
    record = _one(tmp_path)
    notes = Counter[str]()
    change = hpsm_change_entity(record, notes=notes)
    assert change.practice is HPSM_CHANGE
    assert (change.change_type, change.state, change.outcome) == (
        ChangeType.NORMAL,
        "closed",
        ChangeOutcome.SUCCESSFUL,  # ended 18-12-2013 16:15, before the planned end
    )
    assert [r.transition for r in change.history] == [
        "assess",
        "approve",
        "authorize",
        "approve",
        "schedule",
        "implement",
        "review",
        "close",
    ]
    assert [(a.approver, a.gate) for a in change.approval_log] == [
        ("CAB", "assess"),
        ("CAB", "authorize"),
    ]
    assert all("HP SM names no approver" in (a.comment or "") for a in change.approval_log)
    assert change.history[1].at == record.opened_at  # no approval time exported
    assert (change.actual_start, change.actual_end) == (record.actual_start, record.actual_end)
    assert change.closed_at == record.closed_at
    assert change.planned_window is not None
    assert change.planned_window.start == record.planned_start
    assert change.backout_plan is not None
    assert "placeholder" in change.backout_plan
    assert change.configuration_items == ("HMD000002",)
    assert change.requested_by == "unknown"
    assert "originated from Problem" in change.description
    assert "1 related incident(s)" in change.description
    assert notes["CAB approvals recorded for the mapping's approver"] == 1
    assert notes["backout plans set to the mapping's placeholder"] == 1
    check_invariants(change)


def test_types_follow_the_flags(tmp_path: Path) -> None:
    """Emergency Change Y: emergency (authorised by the emergency authority); neither flag:
    standard (scheduled without a vote); a late end: successful with issues."""
    emergency = hpsm_change_entity(_one(tmp_path, **{"Emergency Change": "Y"}))
    assert emergency.change_type is ChangeType.EMERGENCY
    assert [(a.approver, a.gate) for a in emergency.approval_log] == [("ECAB", "authorize")]
    standard = hpsm_change_entity(
        _one(tmp_path, **{"CAB-approval needed": "N", "Actual End": "26-12-2013 1:00", **LATE})
    )
    assert standard.change_type is ChangeType.STANDARD
    assert standard.approval_log == ()
    assert standard.outcome is ChangeOutcome.SUCCESSFUL_WITH_ISSUES


def test_outside_the_window_is_kept_with_a_warning(tmp_path: Path) -> None:
    """HPSM_CHANGE warns where the preset blocks: CHANGE itself refuses such a change."""
    record = _one(
        tmp_path, **{"Actual Start": "26-12-2013 0:30", "Actual End": "26-12-2013 1:00", **LATE}
    )
    change = hpsm_change_entity(record)
    assert change.window_warning is not None
    assert "outside the planned window" in change.window_warning
    with pytest.raises(TicketRefusedError, match="outside the planned window") as refused:
        hpsm_change_entity(record, CHANGE)
    assert (refused.value.ticket, refused.value.row) == ("C00000003", 2)


def test_a_change_closed_unimplemented_is_canceled_from_new(tmp_path: Path) -> None:
    record = _one(tmp_path, **{"Actual Start": "", "Actual End": ""})
    change = hpsm_change_entity(record)
    assert (change.state, change.outcome) == ("canceled", ChangeOutcome.CANCELED)
    assert [r.transition for r in change.history] == ["cancel"]  # no approval claimed
    assert change.cancellation is not None
    assert change.cancellation.at == record.closed_at
    assert "no actual start" in (change.cancellation.notes or "")


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"Planned End": ""}, "Planned End is missing"),
        ({"Planned Start": ""}, "Planned Start is missing"),
        ({"Actual End": ""}, "Actual Start is set without an Actual End"),
        ({"Actual Start": ""}, "Actual End is set without an Actual Start"),
        ({"Actual Start": "1-8-2011 9:00"}, "Actual Start is before the change record's Open"),
        ({"Change record Close Time": "18-12-2013 16:00"}, "Close Time is before its Actual End"),
    ],
)
def test_what_the_model_cannot_take_is_refused(
    tmp_path: Path, values: dict[str, str], reason: str
) -> None:
    with pytest.raises(TicketRefusedError, match=reason) as refused:
        hpsm_change_entity(_one(tmp_path, **values))
    assert (refused.value.ticket, refused.value.row) == ("C00000003", 2)


def test_a_point_window_is_widened_by_the_mapping(tmp_path: Path) -> None:
    """Planned Start = Planned End: one minute by default, the caller's choice, or refused."""
    record = _one(
        tmp_path,
        **{
            "Planned Start": "18-12-2013 14:00",
            "Planned End": "18-12-2013 14:00",
            "Actual End": "18-12-2013 14:00",
        },
    )
    change = hpsm_change_entity(record)
    assert change.planned_window is not None
    assert change.planned_window.duration == timedelta(minutes=1)
    wide = hpsm_change_entity(record, mapping=HpsmChangeMapping(point_window=timedelta(hours=2)))
    assert wide.planned_window is not None
    assert wide.planned_window.duration == timedelta(hours=2)
    with pytest.raises(TicketRefusedError, match="the window is empty"):
        hpsm_change_entity(record, mapping=HpsmChangeMapping(point_window=None))


def test_the_mapping_is_the_callers(tmp_path: Path) -> None:
    """Names, plan text, type and outcome rules: each placeholder can be replaced."""
    mapping = HpsmChangeMapping(
        cab="Rabobank CAB",
        backout_plan="restore from the nightly snapshot",
        unknown="HP SM",
        change_type=lambda c: "standard" if "Standard" in (c.change_type or "") else "normal",
        outcome=lambda c: "unsuccessful",
    )
    change = hpsm_change_entity(_one(tmp_path), mapping=mapping)
    assert change.backout_plan == "restore from the nightly snapshot"
    assert change.requested_by == "HP SM"
    assert {a.approver for a in change.approval_log} == {"Rabobank CAB"}
    assert change.outcome is ChangeOutcome.UNSUCCESSFUL
    standard = hpsm_change_entity(
        _one(tmp_path, **{"Change Type": "Standard Change Type 81"}), mapping=mapping
    )
    assert standard.change_type is ChangeType.STANDARD
    bad = HpsmChangeMapping(outcome=lambda c: None)
    with pytest.raises(TicketRefusedError, match="outcome rule gives no outcome"):
        hpsm_change_entity(_one(tmp_path), mapping=bad)
    with pytest.raises(TicketRefusedError, match="not a ChangeOutcome"):
        hpsm_change_entity(_one(tmp_path), mapping=HpsmChangeMapping(outcome=lambda c: "great"))


@pytest.mark.parametrize(
    "values",
    [
        {"unknown": "CAB"},
        {"emergency_authority": "unknown"},
        {"cab": ""},
        {"backout_plan": " "},
        {"point_window": timedelta(0)},
        {"point_window": 60},
        {"outcome": "successful"},
        {"cancel_reason": "duplicate"},
        {"cancel_reason": "bored"},
    ],
)
def test_a_bad_mapping_is_refused(values: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        HpsmChangeMapping(**values)


def test_bad_arguments(tmp_path: Path) -> None:
    record = _one(tmp_path)
    with pytest.raises(InvalidInputError, match="change practice"):
        hpsm_change_entity(record, INCIDENT)
    with pytest.raises(InvalidInputError, match="HpsmChangeMapping"):
        hpsm_change_entity(record, mapping="CAB")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="HpsmChange"):
        hpsm_change_entity(record._asdict())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="opened_at"):
        hpsm_change_entity(record._replace(opened_at=record.opened_at.replace(tzinfo=None)))
    with pytest.raises(InvalidInputError, match="affected"):
        hpsm_change_entity(record._replace(affected=("HMD000002",)))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="change practice"):
        import_hpsm_changes(tmp_path / "c.csv", tz=ZONE, practice=INCIDENT)


def test_the_import_reports_refusals_and_stops_in_strict_mode(tmp_path: Path) -> None:
    rows = [
        change_row(),
        change_row(**{"Change ID": "C2", "Planned End": ""}),
        change_row(**{"Change ID": "C3", "CI Name (aff)": "SUB1"}),
        change_row(**{"Change ID": "C3", "CI Name (aff)": "SUB2"}),
    ]
    path = write(tmp_path / "c.csv", COLUMNS, rows, delimiter=";")
    imported = import_hpsm_changes(path, tz=ZONE)
    changes = list(imported)
    assert [(c.id, c.configuration_items) for c in changes] == [
        ("C00000003", ("HMD000002",)),
        ("C3", ("SUB1", "SUB2")),
    ]
    report = imported.report
    assert report.entities == 2
    assert [(p.row, p.ticket, p.kind.value) for p in report.refused] == [(3, "C2", "refused")]
    assert report.notes["backout plans set to the mapping's placeholder"] == 2  # not C2's
    assert report.refused_by_reason() == [
        {
            "reason": "Planned End is missing, and a change's plan needs its window",
            "count": 1,
            "examples": [{"row": 3, "ticket": "C2"}],
        }
    ]
    strict = import_hpsm_changes(path, tz=ZONE, strict=True)
    with pytest.raises(MalformedRowError, match="line 3") as stopped:
        list(strict)
    assert isinstance(stopped.value, ValueError)
    assert strict.report.entities == 1


def test_the_entities_survive_the_codec(tmp_path: Path) -> None:
    """An imported change round-trips through the codec with HPSM_CHANGE registered."""
    change = hpsm_change_entity(_one(tmp_path))
    codec = Codec(practices=DEFAULT_PRACTICES.with_practices(HPSM_CHANGE))
    back = codec.structure(codec.unstructure(change), type(change))
    assert attrs.asdict(back, recurse=False) == attrs.asdict(change, recurse=False)


def test_clamp_times_moves_work_recorded_after_the_fact(tmp_path: Path) -> None:
    """With ``clamp_times`` an Actual Start before the Open Time starts at it, an Actual End
    after the Close Time ends at it, each counted; without, the change is refused."""
    record = _one(
        tmp_path,
        **{
            "Actual Start": "1-9-2011 9:00",
            "Actual End": "18-12-2013 17:00",
        },
    )
    with pytest.raises(TicketRefusedError, match="before the change record's Open Time"):
        hpsm_change_entity(record)
    notes = Counter[str]()
    change = hpsm_change_entity(record, mapping=HpsmChangeMapping(clamp_times=True), notes=notes)
    assert (change.actual_start, change.actual_end) == (record.opened_at, record.closed_at)
    assert notes["actual times moved into the record's open-close span (clamp_times)"] == 1
    outside = _one(
        tmp_path, **{"Actual Start": "18-12-2013 17:00", "Actual End": "18-12-2013 18:00"}
    )
    with pytest.raises(TicketRefusedError, match="wholly outside"):
        hpsm_change_entity(outside, mapping=HpsmChangeMapping(clamp_times=True))
    with pytest.raises(InvalidInputError, match="clamp_times"):
        HpsmChangeMapping(clamp_times=1)


def test_refusals_by_reason_takes_a_count(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", COLUMNS, [change_row(**{"Planned End": ""})], delimiter=";")
    imported = import_hpsm_changes(path, tz=ZONE)
    assert list(imported) == []
    assert imported.report.refused_by_reason(0)[0]["examples"] == []
    for bad in ("3", -1, True):
        with pytest.raises(InvalidInputError, match="examples"):
            imported.report.refused_by_reason(bad)  # type: ignore[arg-type]
