"""Every value type reads back equal from its document, and writes the same text again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.lifecycle import FieldChange
from itilkit.practices import Scale
from itilkit.sla import Condition, DateOverride, Holidays, SlaTarget, WeeklySchedule
from itilkit.testing import strategies

CASES = [
    strategies.lifecycle_definitions(),
    strategies.transition_records(),
    strategies.lookup_matrices(),
    strategies.priority_matrices(),
    strategies.risk_matrices(),
    strategies.calendars(),
    strategies.sla_policies(),
    strategies.metric_results(),
]


@pytest.mark.parametrize("values", CASES, ids=lambda s: repr(s).split("(")[0])
def test_documents_round_trip(values: st.SearchStrategy[Any]) -> None:
    """decode(encode(x)) == x, through JSON text, and the text is stable."""

    @given(values)
    def check(value: Any) -> None:
        text = codec.dumps(value)
        back = codec.loads(text, type(value))
        assert back == value
        assert codec.dumps(back) == text

    check()


PARTS: list[tuple[st.SearchStrategy[Any], Any]] = [
    (strategies.weekly_schedules(), WeeklySchedule),
    (strategies.holidays(), Holidays),
    (strategies.date_overrides(), tuple[DateOverride, ...]),
    (strategies.conditions(), Condition),
    (strategies.sla_targets(), SlaTarget),
    (strategies.field_changes(), FieldChange),
    (strategies.scales(), Scale),
    (strategies.durations(timedelta.min, timedelta.max), timedelta),
    (strategies.aware_datetimes(), datetime),
]


@pytest.mark.parametrize(("values", "cls"), PARTS, ids=[str(c) for _, c in PARTS])
def test_parts_round_trip_through_the_converter(values: st.SearchStrategy[Any], cls: Any) -> None:
    """The values inside documents round-trip on their own through the converter."""
    converter = codec.default_codec().converter

    @given(values)
    def check(value: Any) -> None:
        assert codec.default_codec().structure(converter.unstructure(value, cls), cls) == value

    check()
