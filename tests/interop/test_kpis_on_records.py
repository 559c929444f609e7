"""The readers' records given straight to a KPI function: each export's own ``category``
(a ticket category such as 'Category 55' or 'incident') is no lifecycle state category,
so the measure excludes every record under a reason that says what is wrong and what to
do; mapping the field away, or converting with the record functions of
:mod:`itilkit.reports`, measures them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from itilkit.interop import read_hpsm_incidents, read_hpsm_interactions, read_servicenow_incidents
from itilkit.metrics import FirstContactResolution, Measure, TimeToResolve
from itilkit.reports import hpsm_incident_record, interaction_record, servicenow_record

from .helpers import UCI_COLUMNS, uci_row, write
from .test_hpsm import INCIDENT, INTERACTION, incident, interaction

ZONE = "Europe/Amsterdam"


def _excluded_for_the_category(measure: Measure[Any, Any], records: list[object]) -> None:
    """Every record excluded under one reason naming the fault, the allowed values and the
    two ways out; nothing measured."""
    result = measure(records)
    ((reason, tally),) = result.exclusions.items()
    assert tally.count == len(records)
    assert reason.startswith("invalid category: 'category' holds no lifecycle state category")
    assert "(allowed: new, active, paused, resolved, closed, canceled)" in reason
    assert "fields={'category': None}" in reason
    assert "servicenow_record()" in reason
    assert set(result.field_issues) == {"category"}


def test_servicenow_incidents(tmp_path: Path) -> None:
    """ServiceNowIncident: 'Category 55' is excluded with guidance; mapped away, both
    incidents are measured, exactly as servicenow_record() gives them."""
    rows = [
        uci_row(number="INC1"),
        uci_row(number="INC2", category="Category 9", resolved_at="29/2/2016 13:16"),
    ]
    path = write(tmp_path / "log.csv", UCI_COLUMNS, rows)
    records: list[object] = list(read_servicenow_incidents(path, tz=ZONE))
    _excluded_for_the_category(TimeToResolve(), records)
    mapped = TimeToResolve(fields={"id": "number", "category": None})(records)
    assert (mapped.overall.count, mapped.exclusions) == (2, {})
    assert mapped.overall.median is not None
    assert mapped.overall.median.total_seconds() == (10 * 60 + 13 + 12 * 60) / 2 * 60
    converted = TimeToResolve()(
        servicenow_record(r) for r in read_servicenow_incidents(path, tz=ZONE)
    )
    assert converted.overall == mapped.overall


def test_hpsm_incidents(tmp_path: Path) -> None:
    """HpsmIncident: the Category 'incident' is excluded with guidance; mapped away, the
    incident is measured, as hpsm_incident_record() gives it."""
    path = write(tmp_path / "inc.csv", INCIDENT, [incident()], delimiter=";")
    records: list[object] = list(read_hpsm_incidents(path, tz=ZONE))
    _excluded_for_the_category(TimeToResolve(), records)
    mapped = TimeToResolve(fields={"category": None})(records)
    assert (mapped.overall.count, mapped.exclusions) == (1, {})
    converted = TimeToResolve()(hpsm_incident_record(r) for r in read_hpsm_incidents(path, tz=ZONE))
    assert converted.overall == mapped.overall


@pytest.mark.parametrize("flag", ["Y", "N"])
def test_hpsm_interactions(tmp_path: Path, flag: str) -> None:
    """HpsmInteraction: first-contact resolution over the flag alone, once the export's
    Category is mapped away (or the records converted by interaction_record())."""
    rows = [interaction(**{"First Call Resolution": flag})]
    path = write(tmp_path / "sd.csv", INTERACTION, rows, delimiter=";")
    records: list[object] = list(read_hpsm_interactions(path, tz=ZONE))
    flag_field = {"first_contact_resolved": "first_call_resolution"}
    _excluded_for_the_category(FirstContactResolution(per_contact=True, fields=flag_field), records)
    fcr = FirstContactResolution(per_contact=True, fields={**flag_field, "category": None})
    mapped = fcr(records)
    assert (mapped.overall.population, mapped.overall.hits) == (1, int(flag == "Y"))
    converted = FirstContactResolution(per_contact=True)(
        interaction_record(r) for r in read_hpsm_interactions(path, tz=ZONE)
    )
    assert converted.overall == mapped.overall


def test_an_unreadable_category_keeps_the_short_reason() -> None:
    """A category whose reading raises is no clash of names: the plain reason stays."""

    class Failing:
        opened_at = resolved_at = None

        @property
        def category(self) -> str:
            raise RuntimeError("broken")

    result = TimeToResolve()([Failing()])
    assert list(result.exclusions) == ["invalid category"]
