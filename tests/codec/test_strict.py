"""The converter checks instead of coercing, and names every problem with its path."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from itilkit import codec
from itilkit.errors import InvalidDocumentError, NaiveDatetimeError, UnencodableValueError
from itilkit.lifecycle import FieldChange, TransitionRecord
from itilkit.sla import BusinessCalendar, FieldIs, SlaPolicy, SlaTarget, WeeklySchedule
from itilkit.sla import InCategory as In

AT = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
RECORD = {
    "kind": "transition-record",
    "schema_version": 1,
    "transition": "assign",
    "source": "new",
    "target": "new",
    "at": "2024-03-01T09:30:00+00:00",
    "actor": "ana",
}


def problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The problems the default codec finds in ``document``."""
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(document)
    return list(caught.value.problems)


def test_a_valid_record_reads_back() -> None:
    """The reference document decodes to the record it describes."""
    assert codec.decode(RECORD, TransitionRecord) == TransitionRecord(
        "assign", "new", "new", AT, "ana"
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("actor", 3, "expected a string, got number 3"),
        ("actor", None, "expected a string, got null"),
        ("actor", ["x"], "expected a string, got an array"),
        ("reason", False, "expected a string or null, got boolean false"),
        ("at", "2024-03-01T09:30:00", "naive datetime"),
        ("at", 1709285400, "expected a datetime as a string, got number"),
        ("source_category", "Closed", "is not one of 'new'"),
        ("changes", "ab", "expected an array, got string"),
    ],
)
def test_no_coercion(field: str, value: object, expected: str) -> None:
    """cattrs' coercions are refused: numbers, null, lists as strings; naive datetimes."""
    [(path, message)] = problems({**RECORD, field: value})
    assert path == field
    assert expected in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("false", "got string 'false'"), (7.9, "got number 7.9"), (None, "got null")],
)
def test_booleans_and_numbers_are_exact(value: object, expected: str) -> None:
    """``"false"`` is not false and 7.9 is not an integer (nor a boolean a number)."""
    state = {"name": "new", "category": "new", "initial": value}
    document = {"kind": "lifecycle", "schema_version": 1, "name": "x"}
    found = problems({**document, "states": [state], "transitions": []})
    assert found == [("states[0].initial", f"expected true or false, {expected}")]
    matrix = codec.encode(codec.decode({**codec.encode(_priority()), "kind": "priority-matrix"}))
    matrix["cells"]["high"]["high"] = True
    [(path, message)] = problems(matrix)
    assert path == 'cells["high"]["high"]'
    assert message == "expected a string or an integer, got boolean true"


def _priority() -> Any:
    from itilkit.practices import PRIORITY_3X3

    return PRIORITY_3X3


def test_every_problem_is_listed_with_its_path() -> None:
    """Four problems in one record give four entries, in document order."""
    document = {
        **RECORD,
        "at": "2024-03-01T09:30:00",
        "changes": [{"field": "priority", "old": 1, "new": 2}, {"field": "x", "old": {}}],
        "unknown": 1,
    }
    assert problems(document) == [
        (
            "at",
            "naive datetime '2024-03-01T09:30:00': give its UTC offset, e.g. "
            "'2024-03-01T09:30:00+00:00'",
        ),
        ("changes[1].old", "expected a string, number, boolean or null, got an object"),
        ("changes[1].new", "required key is missing"),
        (
            '["unknown"]',
            "unknown key; allowed keys: actor, at, changes, reason, source, "
            "source_category, target, target_category, transition",
        ),
    ]


def test_unknown_keys_suggest_the_likely_one() -> None:
    """A misspelt key is refused with the key it probably meant."""
    [(path, message)] = problems({**RECORD, "reasn": "typo"})
    assert path == '["reasn"]'
    assert "did you mean 'reason'?" in message


def test_model_validation_becomes_path_problems() -> None:
    """A constructor's own problems (an unknown zone, a duplicate target) sit at its path."""
    policy = codec.encode(
        SlaPolicy("p", [SlaTarget("r", timedelta(hours=1), In("new"), In("closed"))])
    )
    policy["targets"].append(policy["targets"][0])
    policy["calendar"] = {"zone": "Mars/Olympus", "schedule": {"mon": "09:00-17:00"}}
    assert problems(policy) == [
        (
            "calendar",
            "unknown time zone 'Mars/Olympus'; use an IANA zone name such as 'Europe/London'",
        ),
    ]
    del policy["calendar"]
    assert problems(policy) == [("", "target name 'r' is used twice")]


def test_values_without_a_data_form_are_refused_when_encoding() -> None:
    """A custom condition or calendar, a non-scalar change: typed errors (naive: when built)."""

    class Always:
        def matches(self, snapshot: object) -> bool:
            return True

    with pytest.raises(NaiveDatetimeError):  # refused already when built (issue 11)
        TransitionRecord("a", "x", "y", datetime(2024, 1, 1), "ana")
    odd_change = TransitionRecord("a", "x", "y", AT, "ana", changes=(FieldChange("f", {1}, 2),))
    custom = SlaPolicy("p", [SlaTarget("r", timedelta(hours=1), Always(), In("closed"))])
    for value, words in (
        (odd_change, "expected a string, number"),
        (custom, "not a condition the codec knows"),
        (date(2024, 1, 1), "no document kind"),
    ):
        with pytest.raises(UnencodableValueError, match=words):
            codec.encode(value)


def test_datetimes_keep_their_offset_and_accept_z() -> None:
    """An aware datetime is written with its offset; ``Z`` reads as UTC."""
    plus_two = datetime(2024, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    record = TransitionRecord("assign", "new", "new", plus_two, "ana")
    assert codec.encode(record)["at"] == "2024-03-01T11:30:00+02:00"
    zulu = codec.decode({**RECORD, "at": "2024-03-01T09:30:00Z"}, TransitionRecord)
    assert zulu.at == AT
    assert zulu.at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT8H", timedelta(hours=8)),
        ("8h", timedelta(hours=8)),
        ("30m", timedelta(minutes=30)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        ("P2D", timedelta(days=2)),
        ("P1W", timedelta(days=7)),
        ("P1DT2H", timedelta(hours=26)),
        ("-PT1H", -timedelta(hours=1)),
        ("-1h", -timedelta(hours=1)),
        ("PT0.5S", timedelta(milliseconds=500)),
        ("250ms", timedelta(milliseconds=250)),
    ],
)
def test_duration_forms(text: str, expected: timedelta) -> None:
    """ISO 8601 and short units read the same durations; ISO with hours is written."""
    converter = codec.default_codec().converter
    assert codec.default_codec().structure(text, timedelta) == expected
    assert codec.default_codec().structure(converter.unstructure(expected), timedelta) == expected
    assert converter.unstructure(timedelta(days=1, minutes=30)) == "PT24H30M"


@pytest.mark.parametrize(
    "text", ["P1M", "P1Y", "8x", "1h1h", "", "PT", "h8", "1e3h", "PT0.0000001S"]
)
def test_bad_durations(text: str) -> None:
    """Months, years, unknown units, repeats, empties and sub-microseconds are refused."""
    with pytest.raises(InvalidDocumentError, match=r"duration|amount|microsecond"):
        codec.default_codec().structure(text, timedelta)


def test_json_text_strictness() -> None:
    """NaN, infinities and repeated keys are not JSON a document may hold."""
    for text in ('{"kind": NaN}', '{"kind": "a", "kind": "b"}', '{"x": Infinity}'):
        with pytest.raises(InvalidDocumentError):
            codec.loads(text)


def test_field_is_values_are_scalars() -> None:
    """Condition values are JSON scalars, one or several."""
    structure = codec.default_codec().structure
    from itilkit.sla import Condition

    assert structure({"type": "field_is", "field": "p", "values": 1}, Condition) == FieldIs("p", 1)
    assert structure({"type": "field_is", "field": "p", "values": [1, "a"]}, Condition) == FieldIs(
        "p", [1, "a"]
    )
    with pytest.raises(InvalidDocumentError, match=r"values\[0\]"):
        structure({"type": "field_is", "field": "p", "values": [[1]]}, Condition)


def test_week_problems_point_at_the_day() -> None:
    """A bad day name or an overlap is reported at the week's key."""
    structure = codec.default_codec().structure
    with pytest.raises(InvalidDocumentError) as caught:
        structure({"mon-fry": "09:00-17:00", "tue": ["9:00-12:00", "17:00-09:00"]}, WeeklySchedule)
    assert [p for p, _ in caught.value.problems] == ['["mon-fry"]', '["tue"][1]']
    with pytest.raises(InvalidDocumentError) as caught:
        structure({"mon-fri": "09:00-17:00", "tue": "11:00-13:00"}, WeeklySchedule)
    assert caught.value.problems == (("", "tuesday 09:00-17:00 overlaps tuesday 11:00-13:00"),)


def test_calendars_accept_only_their_own_kind() -> None:
    """Asking for a calendar from a policy document names both kinds."""
    document = codec.encode(BusinessCalendar.always_open())
    with pytest.raises(InvalidDocumentError, match="expected 'sla-policy', got 'calendar'"):
        codec.decode(document, SlaPolicy)
