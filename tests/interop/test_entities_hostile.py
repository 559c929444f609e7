"""The importers' boundary: whatever they are given, only an ItilkitError escapes."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itilkit.errors import ItilkitError
from itilkit.interop import (
    HPSM_INCIDENT,
    ServiceNowMapping,
    hpsm_incident_entity,
    import_hpsm_incidents,
    import_servicenow_incidents,
    link_hpsm,
    read_hpsm_changes,
    read_hpsm_incidents,
    read_hpsm_interactions,
    read_servicenow_incidents,
    servicenow_incident_entity,
    servicenow_trace,
)
from itilkit.practices import INCIDENT

from .helpers import UCI_COLUMNS, uci_row, write
from .test_hpsm import INCIDENT as HPSM_COLUMNS
from .test_hpsm import incident as hpsm_row

HOSTILE: list[Any] = [
    None, 0, -1, 2**70, math.nan, "", " ", "x" * 10_000, "\x00", b"bytes", [], {}, (), object(),
    datetime(2016, 1, 1), datetime(2016, 1, 1, tzinfo=UTC), timedelta(-1), INCIDENT.matrix,
    HPSM_INCIDENT.definition, {"New": 3}, {"New": "new"}, ["New"], True,
]  # fmt: skip
hostile = st.sampled_from(HOSTILE)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _only_typed_errors(call: Any) -> None:
    try:
        result = call()
        if hasattr(result, "__iter__") and not isinstance(result, str | bytes):
            list(result)
    except ItilkitError:
        pass


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    log = write(folder / "log.csv", UCI_COLUMNS, [uci_row(), uci_row(incident_state="Closed")])
    hpsm = write(folder / "inc.csv", HPSM_COLUMNS, [hpsm_row()], delimiter=";")
    return log, hpsm


@SETTINGS
@given(st.dictionaries(st.sampled_from(["tz", "practice", "mapping", "strict", "contiguous",
                                        "encoding", "progress"]), hostile))  # fmt: skip
def test_import_servicenow_arguments(files: tuple[Path, Path], values: dict[str, Any]) -> None:
    """Any argument hostile: a typed error or a sound import."""
    options = {"tz": "UTC", **values}
    _only_typed_errors(lambda: import_servicenow_incidents(files[0], **options))


@SETTINGS
@given(st.dictionaries(st.sampled_from(["tz", "practice", "unknown", "strict", "encoding",
                                        "progress"]), hostile))  # fmt: skip
def test_import_hpsm_arguments(files: tuple[Path, Path], values: dict[str, Any]) -> None:
    options = {"tz": "UTC", **values}
    _only_typed_errors(lambda: import_hpsm_incidents(files[1], **options))


@SETTINGS
@given(st.dictionaries(st.sampled_from(["states", "hold_reasons", "resolution_code",
                                        "cancel_reason", "unknown"]), hostile))  # fmt: skip
def test_mapping_arguments(values: dict[str, Any]) -> None:
    _only_typed_errors(lambda: ServiceNowMapping(**values))


@SETTINGS
@given(st.data())
def test_records_with_hostile_fields(files: tuple[Path, Path], data: st.DataObject) -> None:
    """A record (a named tuple a caller may build) with any field hostile, or no updates."""
    (record,) = read_servicenow_incidents(files[0], tz="UTC")
    field = data.draw(st.sampled_from(record._fields))
    broken = record._replace(**{field: data.draw(hostile)})
    _only_typed_errors(lambda: servicenow_incident_entity(broken))
    update = record.updates[0]
    name = data.draw(st.sampled_from(update._fields))
    updates = (update._replace(**{name: data.draw(hostile)}), *record.updates[1:])
    _only_typed_errors(lambda: servicenow_incident_entity(record._replace(updates=updates)))
    (hpsm,) = read_hpsm_incidents(files[1], tz="UTC")
    name = data.draw(st.sampled_from(hpsm._fields))
    _only_typed_errors(lambda: hpsm_incident_entity(hpsm._replace(**{name: data.draw(hostile)})))


READERS: dict[str, tuple[Callable[..., Any], list[str]]] = {
    "servicenow": (read_servicenow_incidents, ["tz", "states", "contiguous", "strict", "encoding",
                                               "progress"]),
    "hpsm": (read_hpsm_incidents, ["tz", "strict", "encoding", "progress"]),
    "interactions": (read_hpsm_interactions, ["tz", "strict", "encoding", "progress"]),
    "changes": (read_hpsm_changes, ["tz", "contiguous", "strict", "encoding", "progress"]),
}  # fmt: skip


@SETTINGS
@given(st.sampled_from(sorted(READERS)), st.data())
def test_reader_arguments(files: tuple[Path, Path], which: str, data: st.DataObject) -> None:
    """The readers under the importers, and the path itself, with hostile values."""
    reader, names = READERS[which]
    options = {"tz": "UTC", **data.draw(st.dictionaries(st.sampled_from(names), hostile))}
    path = files[0] if which == "servicenow" else files[1]
    _only_typed_errors(lambda: reader(path, **options))
    _only_typed_errors(lambda: reader(data.draw(hostile), tz="UTC"))


@SETTINGS
@given(st.data())
def test_traces_and_links(files: tuple[Path, Path], data: st.DataObject) -> None:
    """servicenow_trace with hostile states or records; link_hpsm with hostile readings."""
    (record,) = read_servicenow_incidents(files[0], tz="UTC")
    _only_typed_errors(lambda: servicenow_trace(record, data.draw(hostile)))
    _only_typed_errors(lambda: servicenow_trace(data.draw(hostile)))
    field = data.draw(st.sampled_from(record._fields))
    _only_typed_errors(lambda: servicenow_trace(record._replace(**{field: data.draw(hostile)})))
    readings: list[Any] = [data.draw(st.one_of(hostile, st.just([]))) for _ in range(3)]
    _only_typed_errors(lambda: link_hpsm(*readings))
