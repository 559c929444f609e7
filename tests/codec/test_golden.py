"""Schema version 1, frozen: golden documents, hand-written configs, and their JSON Schemas."""

from __future__ import annotations

import json
import tomllib
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from itilkit import codec
from itilkit.errors import InvalidDocumentError
from itilkit.lifecycle import LifecycleDefinition
from itilkit.practices import PRIORITY_3X3, PriorityMatrix
from itilkit.sla import BusinessCalendar, DurationsByField, Shift, SlaPolicy
from tests.codec import schemas
from tests.codec.samples import GOLDEN, SAMPLES

CONFIG = GOLDEN / "config"


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_golden_documents_read_as_their_values(kind: str) -> None:
    """Each golden document decodes to its sample, which encodes to the same text."""
    text = (GOLDEN / f"{kind}.json").read_text()
    assert codec.loads(text) == SAMPLES[kind]
    assert codec.dumps(SAMPLES[kind]) + "\n" == text


@pytest.mark.parametrize("kind", schemas.CONFIG_KINDS)
def test_checked_in_schemas_match_the_codec(kind: str) -> None:
    """docs/schemas holds exactly what the codec generates (python -m tests.codec.schemas)."""
    checked_in = (schemas.SCHEMAS / f"{kind}.schema.json").read_text()
    assert checked_in == schemas.text(kind), "regenerate with: python -m tests.codec.schemas"
    jsonschema.Draft202012Validator.check_schema(json.loads(checked_in))


def _config(path: Path) -> Any:
    """A config file's data as an editor sees it (TOML dates and times as their ISO text)."""
    if path.suffix == ".json":
        return json.loads(path.read_text())

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, date | time) else value

    return plain(tomllib.loads(path.read_text()))


#: The golden documents of the configuration kinds, and every hand-written config.
CONFIG_DOCUMENTS = [GOLDEN / f"{kind}.json" for kind in schemas.CONFIG_KINDS] + sorted(
    CONFIG.glob("*.*")
)


@pytest.mark.parametrize("path", CONFIG_DOCUMENTS, ids=lambda p: p.name)
def test_documents_validate_against_their_schema(path: Path) -> None:
    """Every golden document and config of a configuration kind is valid for editors too."""
    data = _config(path)
    jsonschema.validate(data, codec.json_schema(data["kind"]), jsonschema.Draft202012Validator)


def test_schemas_reject_what_the_codec_rejects() -> None:
    """An editor flags an unknown key, a wrong type and a bad shift, as the codec does."""
    schema = codec.json_schema("calendar")
    for bad in (
        {"zone": "UTC", "schedule": {}, "colour": "red"},
        {"zone": 1, "schedule": {}},
        {"zone": "UTC", "schedule": {"mon": ["9-17"]}},
        {"zone": "UTC", "schedule": {"someday": "09:00-17:00"}},
    ):
        document = {"kind": "calendar", "schema_version": 1, **bad}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(document, schema, jsonschema.Draft202012Validator)
        with pytest.raises(InvalidDocumentError):
            codec.decode(document)


def test_hand_written_calendar() -> None:
    """Ranges, pairs, TOML times, 24h-plus shifts, Easter, a country and overrides read."""
    calendar = codec.load(CONFIG / "calendar.toml", BusinessCalendar)
    assert calendar.zone == "Europe/London"
    assert calendar.schedule.thursday == (Shift("08:00", "12:30"), Shift("13:30", "17:30"))
    assert calendar.schedule.friday[1] == Shift("13:30", "16:00")
    assert calendar.schedule.saturday == (Shift("09:00", "12:00"),)
    assert calendar.schedule.sunday == (Shift("22:00", "06:00", overnight=True),)
    found = calendar.holidays.between(date(2025, 1, 1), date(2025, 12, 31))
    assert {date(2025, 4, 18), date(2025, 4, 21)} <= found  # Good Friday, Easter Monday
    assert {date(2025, 5, 26), date(2025, 12, 26), date(2025, 8, 25)} <= found  # from GB-ENG
    assert [o.extra for o in calendar.overrides] == [False, True]
    again = codec.loads(codec.dumps(calendar), BusinessCalendar)
    assert again == calendar


def test_hand_written_policy_by_priority_label() -> None:
    """Durations keyed by priority labels become the matrix's level numbers."""
    policy = codec.load(CONFIG / "sla-policy.toml", SlaPolicy)
    response = policy.target("response")
    assert response.duration == DurationsByField(
        "priority",
        {1: timedelta(minutes=30), 2: timedelta(hours=1), 3: timedelta(hours=4)},
        timedelta(days=1),
    )
    assert PRIORITY_3X3.label(PRIORITY_3X3.parse_priority(1)) == "critical"
    assert policy.target("resolution").duration == timedelta(days=3)
    assert policy.escalations[0].offset == -timedelta(hours=1)


def test_hand_written_derivation() -> None:
    """A lifecycle derived from a catalog base reads as the full derived definition."""
    acme = codec.load(CONFIG / "lifecycle.json", LifecycleDefinition)
    assert acme.name == "acme-problem"
    assert "analysis" in acme.state_names
    assert "root_cause_analysis" not in acme.state_names
    assert acme.move("analysis", "park") is not None
    written = codec.encode(acme)
    assert "base" not in written
    assert codec.decode(written) == acme


def test_hand_written_matrix_matches_labels_in_any_case() -> None:
    """Cells keyed by labels in any case, with labels or level numbers as results."""
    matrix = codec.load(CONFIG / "priority-matrix.json", PriorityMatrix)
    assert matrix.label(matrix.priority("Enterprise", "Later")) == "P2"
    assert matrix.label(matrix.priority("department", "later")) == "P3"
