# mypy: disable-error-code="arg-type"
"""What the boundary walk (tests/boundary) found in itilkit.interop's importers, fixed at
their source."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.interop import (
    Imported,
    ImportReport,
    Reading,
    ServiceNowMapping,
    TicketRefusedError,
    hpsm_incident_entity,
    import_hpsm_incidents,
    import_servicenow_incidents,
    read_servicenow_incidents,
    servicenow_incident_entity,
)
from tests.boundary.hostile import deep_list

from .helpers import UCI_COLUMNS, write
from .test_entities import LIFE


def _log(tmp_path: Path) -> Path:
    return write(tmp_path / "life.csv", UCI_COLUMNS, LIFE)


def test_deep_values_are_quoted_briefly(tmp_path: Path) -> None:
    """Messages quoted arguments with !r: deep structures were RecursionErrors."""
    deep = deep_list(20_000)
    incident = next(iter(read_servicenow_incidents(_log(tmp_path), tz="UTC")))
    calls: list[Any] = [
        lambda: ServiceNowMapping(states=deep),
        lambda: ServiceNowMapping(hold_reasons=deep),
        lambda: ServiceNowMapping(unknown=deep),
        lambda: ServiceNowMapping(resolution_code=deep),
        lambda: servicenow_incident_entity(incident, deep),
        lambda: servicenow_incident_entity(incident, mapping=deep),
        lambda: hpsm_incident_entity(deep),
        lambda: import_servicenow_incidents(_log(tmp_path), tz="UTC", practice=deep),
        lambda: import_hpsm_incidents(_log(tmp_path), tz="UTC", practice=deep),
    ]
    for call in calls:
        with pytest.raises(InvalidInputError) as caught:
            call()
        assert len(str(caught.value)) < 600


def test_a_refusal_with_odd_parts_still_has_a_message() -> None:
    """TicketRefusedError(deep, ...) failed to build its message (RecursionError)."""
    error = TicketRefusedError(deep_list(20_000), 3, "why")
    assert "(line 3): why" in str(error)


def test_notes_must_be_a_counter(tmp_path: Path) -> None:
    """notes=True was a TypeError deep inside the replay ('bool' is not subscriptable)."""
    incident = next(iter(read_servicenow_incidents(_log(tmp_path), tz="UTC")))
    with pytest.raises(InvalidTypeError, match="notes must be a collections"):
        servicenow_incident_entity(incident, notes=True)
    notes: Counter[str] = Counter()
    assert servicenow_incident_entity(incident, notes=notes).state == "closed"


def test_import_values_check_their_parts(tmp_path: Path) -> None:
    """ImportReport(read=None) was accepted, then to_dict() an AttributeError;
    Imported(reading=None) and Reading(records=None) failed only when iterated."""
    imported = import_servicenow_incidents(_log(tmp_path), tz="UTC")
    assert len(list(imported)) == 1
    report = imported.report
    for changes in ({"read": None}, {"entities": -1}, {"refused": [None]}, {"notes": {"a": "1"}}):
        values = {"read": report.read, "entities": 1, "refused": (), "notes": {}, **changes}
        with pytest.raises(InvalidInputError):
            ImportReport(**values)
    with pytest.raises(InvalidTypeError, match="reading must be a Reading"):
        Imported(None, lambda record, notes: record, strict=False)
    with pytest.raises(InvalidTypeError, match="build must be a callable"):
        Imported(imported.reading, None, strict=False)
    options: dict[str, Any] = {"delimiter": ",", "encoding": "utf-8", "strict": False}
    with pytest.raises(InvalidTypeError, match="records must be a callable"):
        Reading(_log(tmp_path), "log", None, progress=None, **options)
    with pytest.raises(InvalidInputError, match="delimiter must be one character"):
        Reading(_log(tmp_path), "log", lambda rows: iter(()), progress=None,
                **{**options, "delimiter": ",,"})  # fmt: skip


def test_hpsm_change_import_checks_its_arguments(tmp_path: Path) -> None:
    """hpsm_change_entity(practice=deep) was a RecursionError (its message's !r) and
    notes=True an AttributeError ('bool' has no attribute 'update')."""
    from itilkit.interop import hpsm_change_entity, import_hpsm_changes, read_hpsm_changes

    from .test_hpsm import CHANGE, change

    path = write(tmp_path / "changes.csv", CHANGE, [change()], delimiter=";")
    (found,) = read_hpsm_changes(path, tz="UTC")
    for call in (
        lambda: hpsm_change_entity(found, deep_list(20_000)),
        lambda: hpsm_change_entity(found, mapping=deep_list(20_000)),
        lambda: import_hpsm_changes(path, tz="UTC", practice=deep_list(20_000)),
    ):
        with pytest.raises(InvalidInputError) as caught:
            call()
        assert len(str(caught.value)) < 600
    with pytest.raises(InvalidTypeError, match="notes must be a collections"):
        hpsm_change_entity(found, notes=True)
