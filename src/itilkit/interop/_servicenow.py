"""The ServiceNow incident event log: one row per update, rebuilt into one record per incident.

The format is that of the UCI "Incident management process enriched event log"
(Amaral, Fantinato and Peres, 2018): each row is the whole incident as it stood
after update number ``sys_mod_count``; ``?`` marks a missing value; dates read
``d/m/yyyy HH:MM`` in a zone the export does not give; impact, urgency and
priority are labels such as ``2 - Medium``. Rows of an incident are ordered by
``sys_mod_count``, then ``sys_updated_at``; the counter may have gaps (updates
the log does not hold), which are counted, not refused.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import Any, NamedTuple

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.interop._source import ProblemKind, Reading, ReadProgress, Rows, grouped
from itilkit.interop._values import (
    TEXT,
    WHEN,
    BadValueError,
    Cached,
    Label,
    Times,
    boolean,
    check_fields,
    field_spec,
    integer,
    label,
    row_parser,
    stripped,
    zone_of,
)

__all__ = [
    "SERVICENOW_INCIDENT_STATES",
    "ServiceNowIncident",
    "ServiceNowUpdate",
    "read_servicenow_incidents",
]

#: The incident states of ServiceNow: today's, and those of older releases (as in the UCI log).
SERVICENOW_INCIDENT_STATES = frozenset(
    {
        "New",
        "In Progress",
        "On Hold",
        "Resolved",
        "Closed",
        "Canceled",
        "Active",
        "Awaiting User Info",
        "Awaiting Problem",
        "Awaiting Vendor",
        "Awaiting Evidence",
    }
)
_MISSING = ("?", "")


class ServiceNowUpdate(NamedTuple):
    """The incident as one row of the log shows it, after update ``mod_count``.

    ``row`` is the row's line number in the file. Fields the export lacks
    or marks ``?`` are None. (Reader records are named tuples: immutable,
    typed, and cheap enough to make one per row of a large file.)

    .. versionadded:: 0.2
    """

    row: int
    mod_count: int
    at: datetime
    by: str | None
    state: str
    active: bool | None
    impact: Label | None
    urgency: Label | None
    priority: Label | None
    assignment_group: str | None
    assigned_to: str | None
    reassignment_count: int | None
    reopen_count: int | None
    made_sla: bool | None


class ServiceNowIncident(NamedTuple):
    """One incident rebuilt from the log: its fields and its updates, in order.

    Fields that stay the same along the log (when it was opened, by whom, its
    caller, category, resolution and closure...) are read from the final
    update's row. ``updates`` holds every row kept, ordered by
    ``sys_mod_count`` then ``sys_updated_at``.

    .. versionadded:: 0.2
    """

    number: str
    updates: tuple[ServiceNowUpdate, ...]
    opened_at: datetime | None
    opened_by: str | None
    caller: str | None
    created_at: datetime | None
    created_by: str | None
    contact_type: str | None
    location: str | None
    category: str | None
    subcategory: str | None
    symptom: str | None
    configuration_item: str | None
    knowledge: bool | None
    priority_confirmed: bool | None
    notify: str | None
    problem: str | None
    change_request: str | None
    vendor: str | None
    caused_by: str | None
    close_code: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    closed_at: datetime | None

    @property
    def final(self) -> ServiceNowUpdate:
        """The last update: the incident as the export leaves it."""
        return self.updates[-1]

    @property
    def missing_updates(self) -> int:
        """Updates the counter says happened but the log does not hold."""
        counts = [u.mod_count for u in self.updates]
        return counts[0] + sum(max(0, b - a - 1) for a, b in pairwise(counts))


#: ServiceNowUpdate attribute -> column, for the per-row fields (after the four required).
_UPDATE_COLUMNS = {
    "by": "sys_updated_by",
    "active": "active",
    "impact": "impact",
    "urgency": "urgency",
    "priority": "priority",
    "assignment_group": "assignment_group",
    "assigned_to": "assigned_to",
    "reassignment_count": "reassignment_count",
    "reopen_count": "reopen_count",
    "made_sla": "made_sla",
}
#: ServiceNowIncident attribute -> column, read from the final row.
_INCIDENT_COLUMNS = {
    "opened_at": "opened_at",
    "opened_by": "opened_by",
    "caller": "caller_id",
    "created_at": "sys_created_at",
    "created_by": "sys_created_by",
    "contact_type": "contact_type",
    "location": "location",
    "category": "category",
    "subcategory": "subcategory",
    "symptom": "u_symptom",
    "configuration_item": "cmdb_ci",
    "knowledge": "knowledge",
    "priority_confirmed": "u_priority_confirmation",
    "notify": "notify",
    "problem": "problem_id",
    "change_request": "rfc",
    "vendor": "vendor",
    "caused_by": "caused_by",
    "close_code": "closed_code",
    "resolved_by": "resolved_by",
    "resolved_at": "resolved_at",
    "closed_at": "closed_at",
}
_REQUIRED = ("number", "incident_state", "sys_mod_count", "sys_updated_at")
_TIMES = {"opened_at", "created_at", "resolved_at", "closed_at"}
_LABELS = {"impact", "urgency", "priority"}
_FLAGS = {"active", "made_sla", "knowledge", "priority_confirmed"}
_COUNTS = {"reassignment_count", "reopen_count"}


class _Parsers:
    """The cached parsers of one read."""

    def __init__(self, zone: tzinfo) -> None:
        self.time = Times(zone, _MISSING)
        self.label = Cached(label, _MISSING)
        self.flag = Cached(boolean, _MISSING)
        self.count = Cached(integer, _MISSING)
        self.text = Cached(stripped, _MISSING)

    def for_field(self, name: str) -> Mapping[str, Any]:
        if name in _TIMES:
            return self.time
        if name in _LABELS:
            return self.label
        if name in _FLAGS:
            return self.flag
        if name in _COUNTS:
            return self.count
        return self.text


#: A row kept for its incident: sort key (sys_mod_count, sys_updated_at, line), update, fields.
_Entry = tuple[int, datetime, int, ServiceNowUpdate, list[str]]


class _Incidents:
    """Rebuilds incidents from one pass over the rows."""

    def __init__(self, rows: Rows, zone: tzinfo, states: frozenset[str], contiguous: bool) -> None:
        self.rows = rows
        self.states = states
        self.contiguous = contiguous
        self.parse = _Parsers(zone)
        optional = [*_UPDATE_COLUMNS.values(), *_INCIDENT_COLUMNS.values()]
        index = rows.columns(_REQUIRED, optional)
        self.number, self.state, self.mod, self.at = (index[c] for c in _REQUIRED)
        #: a column the export lacks reads a "?" appended to each row
        self.pad = any(c not in index for c in optional)
        absent = rows.width
        #: (column, index, parser) of each ServiceNowUpdate field after ``row``, in order
        self.update_fields: list[tuple[str, int, Mapping[str, Any]]] = [
            ("sys_mod_count", self.mod, self.parse.count),
            ("sys_updated_at", self.at, self.parse.time),
            (_UPDATE_COLUMNS["by"], index.get(_UPDATE_COLUMNS["by"], absent), self.parse.text),
            ("incident_state", self.state, self.parse.text),
            *(
                (column, index.get(column, absent), self.parse.for_field(name))
                for name, column in _UPDATE_COLUMNS.items()
                if name != "by"
            ),
        ]
        self.incident_fields = [
            (name, index.get(column, absent), self.parse.for_field(name))
            for name, column in _INCIDENT_COLUMNS.items()
        ]

    def __iter__(self) -> Iterator[ServiceNowIncident]:
        groups = grouped(self.rows, self._entries(), contiguous=self.contiguous, what="incident")
        for number, entries in groups:
            incident = self._incident(number, entries)
            if incident is not None:
                yield incident

    def _entries(self) -> Iterator[tuple[str, int, _Entry]]:
        """Each row that parses, as (number, line, entry); the others are reported."""
        states, pad, problem = self.states, self.pad, self.rows.problem
        read = row_parser([(i, parse) for _, i, parse in self.update_fields])
        make = ServiceNowUpdate._make
        i_number, i_state = self.number, self.state
        for line, row in self.rows:
            number = row[i_number].strip()
            if row[i_state].strip() not in states or number in _MISSING:
                self._refuse(line, number, row[i_state].strip())
                continue
            if pad:
                row.append("?")
            values: list[Any] = [line]
            try:
                values += read(row)
            except BadValueError:
                problem(line, number, *self._culprit(row))
                continue
            mod, at = values[1], values[2]
            if mod is None or at is None:
                missing = "sys_mod_count" if mod is None else "sys_updated_at"
                problem(line, number, ProblemKind.MISSING_VALUE, f"{missing} is missing")
                continue
            yield number, line, (mod, at, line, make(values), row)

    def _refuse(self, line: int, number: str, state: str) -> None:
        if number in _MISSING:
            self.rows.problem(
                line, None, ProblemKind.MISSING_VALUE, "the row has no incident number"
            )
        elif state in _MISSING:
            self.rows.problem(line, number, ProblemKind.MISSING_VALUE, "incident_state is missing")
        else:
            self.rows.problem(
                line,
                number,
                ProblemKind.UNKNOWN_STATE,
                f"incident_state {shown(state)} is not a known state; known: "
                f"{', '.join(sorted(self.states))}",
            )

    def _culprit(self, row: list[str]) -> tuple[ProblemKind, str]:
        """The first field of ``row`` that does not parse, as a problem."""
        columns: list[tuple[str, int, Mapping[str, Any]]] = [
            *self.update_fields,
            *((_INCIDENT_COLUMNS[n], i, p) for n, i, p in self.incident_fields),
        ]
        for column, index, parse in columns:
            try:
                parse[row[index]]
            except BadValueError as bad:
                return ProblemKind.BAD_VALUE, f"{column}: {bad}"
        raise AssertionError("called for a row with a value that does not parse")

    def _in_order(self, number: str, entries: list[_Entry]) -> list[_Entry]:
        """The entries (sorted by counter, then time) whose times never go backwards.

        Where two updates conflict, the one left out is the later in counter
        order, unless the earlier one shares its counter value with another
        update and the later does not: a repeated counter is the suspect (in
        the UCI log each such conflict comes from a row repeating a counter).
        """
        shared = Counter(e[0] for e in entries)
        kept: list[_Entry] = []
        for entry in entries:
            while kept and entry[1] < kept[-1][1]:
                previous = kept[-1]
                if shared[previous[0]] > 1 and shared[entry[0]] == 1:
                    kept.pop()
                    reason = _conflict(previous[3], entry[3], "later than")
                    self.rows.problem(previous[2], number, ProblemKind.IMPOSSIBLE_ORDER, reason)
                    continue
                reason = _conflict(entry[3], previous[3], "earlier than")
                self.rows.problem(entry[2], number, ProblemKind.IMPOSSIBLE_ORDER, reason)
                break
            else:
                kept.append(entry)
        return kept

    def _incident(self, number: str, entries: list[_Entry]) -> ServiceNowIncident | None:
        entries.sort(key=_order)
        kept = self._in_order(number, entries)
        while kept:
            final = kept[-1]
            row = final[4]
            try:
                values = [parse[row[i]] for _, i, parse in self.incident_fields]
            except BadValueError:
                self.rows.problem(final[2], number, *self._culprit(row))
                kept.pop()
                continue
            incident = ServiceNowIncident(number, tuple(e[3] for e in kept), *values)
            missing = incident.missing_updates
            if missing:
                self.rows.notes["incidents with update-counter gaps"] += 1
                self.rows.notes["updates missing from the counter"] += missing
            return incident
        return None


def _conflict(update: ServiceNowUpdate, other: ServiceNowUpdate, relation: str) -> str:
    return (
        f"sys_updated_at {update.at.isoformat()} (sys_mod_count {update.mod_count}) is "
        f"{relation} {other.at.isoformat()} of update {other.mod_count} (line {other.row})"
    )


def _order(entry: _Entry) -> tuple[int, datetime, int]:
    return entry[0], entry[1], entry[2]


_LABEL: tuple[type, ...] = (Label, type(None))
#: The fields the builders read, with the types a record of the reader has.
_SERVICENOW_FIELDS = {
    "number": (str,),
    "updates": (tuple,),
    "opened_at": WHEN,
    "resolved_at": WHEN,
    **dict.fromkeys(
        ("opened_by", "caller", "category", "subcategory", "symptom", "close_code",
         "resolved_by"),
        TEXT,
    ),
}  # fmt: skip
_UPDATE_FIELDS = {
    "row": (int,),
    "at": (datetime,),
    "state": (str,),
    "by": TEXT,
    "assignment_group": TEXT,
    "assigned_to": TEXT,
    "impact": _LABEL,
    "urgency": _LABEL,
    "priority": _LABEL,
}


_INCIDENT_SPEC = field_spec(ServiceNowIncident, _SERVICENOW_FIELDS)
_UPDATE_SPEC = field_spec(ServiceNowUpdate, _UPDATE_FIELDS)


def check_servicenow_incident(incident: ServiceNowIncident) -> None:
    """Raise unless ``incident`` (a reader's, or one a caller built) has the reader's types:
    text, aware instants, labels, and updates in time order."""
    check_fields(incident, _INCIDENT_SPEC)
    if not incident.updates:
        raise InvalidInputError(f"incident {shown(incident.number)} has no updates")
    previous: datetime | None = None
    for update in incident.updates:
        if not isinstance(update, ServiceNowUpdate):
            raise InvalidInputError(f"updates must be ServiceNowUpdate values, got {shown(update)}")
        check_fields(update, _UPDATE_SPEC)
        if previous is not None and update.at < previous:
            raise InvalidInputError(
                f"incident {shown(incident.number)}: update at line {update.row} goes back in time"
            )
        previous = update.at


def read_servicenow_incidents(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    states: Collection[str] = SERVICENOW_INCIDENT_STATES,
    contiguous: bool = True,
    strict: bool = False,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Reading[ServiceNowIncident]:
    """Read a ServiceNow incident event log (``.csv``, ``.csv.xz`` or ``.csv.gz``).

    Args:
        path: the file.
        tz: the zone the export's local times are in (an IANA name or a tzinfo).
        states: the ``incident_state`` values to accept; any other (such as
            the UCI log's ``-100``) makes the row malformed.
        contiguous: the rows of an incident come together (the file is sorted
            by number), so incidents stream out one by one. With False, rows
            may come in any order and every incident is held until the end.
        strict: stop at the first malformed row with
            :class:`~itilkit.errors.MalformedRowError`.
        encoding: the file's text encoding (a BOM is skipped).
        progress: called with a :class:`ReadProgress` every few thousand rows
            and at the end.

    Returns:
        A :class:`Reading`: iterate it for :class:`ServiceNowIncident` records.

    Raises:
        InvalidInputError: an argument is not acceptable.
        ExportReadError: while iterating, the file cannot be read.
        ExportFormatError: while iterating, the header lacks a required column
            (``number``, ``incident_state``, ``sys_mod_count``, ``sys_updated_at``).
        MalformedRowError: while iterating, in strict mode, a malformed row.

    .. versionadded:: 0.2
    """
    zone = zone_of(tz)
    if isinstance(states, str | bytes | bytearray) or not isinstance(states, Collection):
        raise InvalidTypeError("states", "a collection of incident_state values", states)
    if not all(isinstance(state, str) for state in states):
        raise InvalidTypeError("states", "incident_state values (strings)", states)
    known = frozenset(states)
    return Reading(
        path,
        "ServiceNow incident event log",
        lambda rows: iter(_Incidents(rows, zone, known, contiguous)),
        delimiter=",",
        encoding=encoding,
        strict=strict,
        progress=progress,
    )
