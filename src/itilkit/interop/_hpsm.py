"""HP Service Manager exports: incidents, interactions and changes (as in BPI Challenge 2014).

The format is that of Rabobank Group ICT's extracts published as the BPI
Challenge 2014 (van Dongen, 2014, doi:10.4121/uuid:c3e5d162-0cfd-4bb0-bd82-af5268819c35):
``;``-separated files; empty fields and the Dutch Excel marker ``#N/B`` for
missing values; ``#MULTIVALUE`` where several records are linked but not named;
incident times ``dd/mm/yyyy HH:MM:SS``, interaction and change times
``d-m-yyyy H:MM``, all local to a zone the export does not give; a decimal
comma in ``Handle Time (Hours)``. The change file has one row per (change,
affected configuration item); its rows are gathered into one record per change.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from functools import partial
from operator import call, itemgetter
from typing import Any, NamedTuple, TypeVar

from itilkit._repr import shown
from itilkit.errors import InvalidInputError
from itilkit.interop._source import ProblemKind, Reading, ReadProgress, Rows, grouped
from itilkit.interop._values import (
    TEXT,
    WHEN,
    BadValueError,
    Cached,
    Times,
    check_fields,
    code,
    decimal_hours,
    field_spec,
    integer,
    seconds,
    stripped,
    yes_no,
    zone_of,
)

__all__ = [
    "CiReference",
    "HpsmChange",
    "HpsmIncident",
    "HpsmInteraction",
    "MULTIVALUE",
    "Reference",
    "read_hpsm_changes",
    "read_hpsm_incidents",
    "read_hpsm_interactions",
]

_MISSING = ("", "#N/B")
R = TypeVar("R")
N = TypeVar("N", bound=tuple[Any, ...])


class Reference(NamedTuple):
    """A link field: one record's id, or ``several`` (``#MULTIVALUE``: ids not exported).

    .. versionadded:: 0.2
    """

    id: str | None
    several: bool = False


#: The value of a link field that reads ``#MULTIVALUE``.
MULTIVALUE = Reference(None, True)


class CiReference(NamedTuple):
    """A configuration item as the exports name it: name, type, subtype, service component.

    .. versionadded:: 0.2
    """

    name: str | None
    type: str | None
    subtype: str | None
    service_component: str | None


class HpsmIncident(NamedTuple):
    """One row of ``Detail_Incident``: an incident with its times and links.

    ``affected`` is the configuration item the incident was logged against,
    ``caused_by`` the one found to have caused it. ``related_interaction``
    and ``related_change`` link to the other files; the counts say how many
    records are linked in all.

    .. versionadded:: 0.2
    """

    row: int
    id: str
    status: str | None
    impact: int | None
    urgency: int | None
    priority: int | None
    category: str | None
    km_number: str | None
    alert_status: str | None
    reassignments: int | None
    opened_at: datetime
    reopened_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    handle_time: timedelta | None
    closure_code: str | None
    related_interactions: int | None
    related_interaction: Reference | None
    related_incidents: int | None
    related_changes: int | None
    related_change: Reference | None
    affected: CiReference | None
    caused_by: CiReference | None


class HpsmInteraction(NamedTuple):
    """One row of ``Detail_Interaction``: a service-desk contact, resolved on the call or not.

    ``first_call_resolution`` is the export's Y/N flag; ``related_incident``
    links to the incident the interaction was escalated to.

    .. versionadded:: 0.2
    """

    row: int
    id: str
    status: str | None
    impact: int | None
    urgency: int | None
    priority: int | None
    category: str | None
    km_number: str | None
    opened_at: datetime
    closed_at: datetime | None
    closure_code: str | None
    first_call_resolution: bool | None
    handle_time: timedelta | None
    related_incident: Reference | None
    affected: CiReference | None


class HpsmChange(NamedTuple):
    """One change of ``Detail_Change``, gathered from its rows (one per affected item).

    Change-level fields come from the change's first row kept; ``affected``
    lists each row's configuration item and ``rows`` their line numbers.
    ``emergency`` and ``cab_approval`` are the export's Y/N flags.

    .. versionadded:: 0.2
    """

    rows: tuple[int, ...]
    id: str
    change_type: str | None
    risk_assessment: str | None
    emergency: bool | None
    cab_approval: bool | None
    planned_start: datetime | None
    planned_end: datetime | None
    downtime_start: datetime | None
    downtime_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    requested_end: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    originated_from: str | None
    related_interactions: int | None
    related_incidents: int | None
    affected: tuple[CiReference, ...]


def _record(kind: type[N]) -> Callable[[Iterable[Any]], N]:
    """``kind._make`` done in C: for values that are exactly the record's fields."""
    return partial(tuple.__new__, kind)


class _References(dict[str, Reference | None]):
    """Link fields: ids rarely repeat, so each is read afresh and not kept."""

    def __init__(self) -> None:
        super().__init__(dict.fromkeys(_MISSING))
        self.make = _record(Reference)

    def __missing__(self, text: str) -> Reference:
        text = text.strip()
        return MULTIVALUE if text == "#MULTIVALUE" else self.make((text, False))


class _Parsers:
    """A reader's parser for each kind of field: a cache's lookup, called from C.

    An id (rarely repeating) is only stripped; the schema checks it for a missing marker.
    """

    def __init__(self, zone: tzinfo) -> None:
        self.times = Times(zone, _MISSING)
        caches: dict[str, Mapping[str, Any]] = {
            "text": Cached(stripped, _MISSING),
            "code": Cached(code, _MISSING),
            "count": Cached(integer, _MISSING),
            "time": self.times,
            "stamp": self.times,
            "hours": Cached(decimal_hours, _MISSING),
            "seconds": Cached(seconds, _MISSING),
            "flag": Cached(yes_no, _MISSING),
            "ref": _References(),
        }
        self.by_kind: dict[str, Callable[[str], Any]] = {
            "id": str.strip,
            **{kind: cache.__getitem__ for kind, cache in caches.items()},
        }


#: (field, column, kind) in record order; "ci" fields take four columns. A "time" is to
#: the minute and repeats (a cache lookup); a "stamp" is to the second and rarely
#: repeats, so it is read in the row loop (see :meth:`_Schema.values`).
_CI_AFF = ("CI Name (aff)", "CI Type (aff)", "CI Subtype (aff)", "Service Component WBS (aff)")
_CI_AFF_INTERACTION = (*_CI_AFF[:3], "Service Comp WBS (aff)")
_CI_CBY = ("CI Name (CBy)", "CI Type (CBy)", "CI Subtype (CBy)", "ServiceComp WBS (CBy)")

_Field = tuple[str, str | tuple[str, ...], str]
#: What incidents and interactions both record, after their id.
_TICKET: tuple[_Field, ...] = (
    ("status", "Status", "text"),
    ("impact", "Impact", "code"),
    ("urgency", "Urgency", "code"),
    ("priority", "Priority", "code"),
    ("category", "Category", "text"),
    ("km_number", "KM number", "text"),
)
_INCIDENT: tuple[_Field, ...] = (
    ("id", "Incident ID", "id"),
    *_TICKET,
    ("alert_status", "Alert Status", "text"),
    ("reassignments", "# Reassignments", "count"),
    ("opened_at", "Open Time", "stamp"),
    ("reopened_at", "Reopen Time", "stamp"),
    ("resolved_at", "Resolved Time", "stamp"),
    ("closed_at", "Close Time", "stamp"),
    ("handle_time", "Handle Time (Hours)", "hours"),
    ("closure_code", "Closure Code", "text"),
    ("related_interactions", "# Related Interactions", "count"),
    ("related_interaction", "Related Interaction", "ref"),
    ("related_incidents", "# Related Incidents", "count"),
    ("related_changes", "# Related Changes", "count"),
    ("related_change", "Related Change", "ref"),
    ("affected", _CI_AFF, "ci"),
    ("caused_by", _CI_CBY, "ci"),
)
_INTERACTION: tuple[_Field, ...] = (
    ("id", "Interaction ID", "id"),
    *_TICKET,
    ("opened_at", "Open Time (First Touch)", "time"),
    ("closed_at", "Close Time", "time"),
    ("closure_code", "Closure Code", "text"),
    ("first_call_resolution", "First Call Resolution", "flag"),
    ("handle_time", "Handle Time (secs)", "seconds"),
    ("related_incident", "Related Incident", "ref"),
    ("affected", _CI_AFF_INTERACTION, "ci"),
)
_CHANGE: tuple[_Field, ...] = (
    ("id", "Change ID", "id"),
    ("change_type", "Change Type", "text"),
    ("risk_assessment", "Risk Assessment", "text"),
    ("emergency", "Emergency Change", "flag"),
    ("cab_approval", "CAB-approval needed", "flag"),
    ("planned_start", "Planned Start", "time"),
    ("planned_end", "Planned End", "time"),
    ("downtime_start", "Scheduled Downtime Start", "time"),
    ("downtime_end", "Scheduled Downtime End", "time"),
    ("actual_start", "Actual Start", "time"),
    ("actual_end", "Actual End", "time"),
    ("requested_end", "Requested End Date", "time"),
    ("opened_at", "Change record Open Time", "time"),
    ("closed_at", "Change record Close Time", "time"),
    ("originated_from", "Originated from", "text"),
    ("related_interactions", "# Related Interactions", "count"),
    ("related_incidents", "# Related Incidents", "count"),
    ("affected", _CI_AFF, "ci"),
)
#: (earlier field, later field): the later may not come before the earlier.
_INCIDENT_ORDER = (
    ("opened_at", "reopened_at"),
    ("opened_at", "resolved_at"),
    ("opened_at", "closed_at"),
    ("resolved_at", "closed_at"),
)
_INTERACTION_ORDER = (("opened_at", "closed_at"),)
_CHANGE_ORDER = (
    ("opened_at", "closed_at"),
    ("planned_start", "planned_end"),
    ("downtime_start", "downtime_end"),
    ("actual_start", "actual_end"),
)


def _item(raw: tuple[str, ...], make: Callable[[Iterable[Any]], CiReference]) -> CiReference | None:
    """A configuration item of its four raw fields (None when all are missing)."""
    parts = [None if p in _MISSING else p.strip() for p in raw]
    return make(parts) if any(parts) else None


class _Items(dict[tuple[str, ...], tuple[CiReference | None, ...]]):
    """A row's configuration items (four raw fields each, side by side) by their raw
    fields: one lookup a row, each distinct combination made once."""

    def __init__(self) -> None:
        super().__init__()
        self.make = _record(CiReference)

    def __missing__(self, raw: tuple[str, ...]) -> tuple[CiReference | None, ...]:
        if len(raw) == 4:
            value: tuple[CiReference | None, ...] = (_item(raw, self.make),)
        else:
            value = tuple(_item(raw[i : i + 4], self.make) for i in range(0, len(raw), 4))
        if len(self) < 1 << 16:
            self[raw] = value
        return value


class _Schema:
    """How one file's rows become typed values, checked for missing ids, times and order.

    Fields come in record order; the configuration items ("ci") come last.
    """

    def __init__(
        self,
        rows: Rows,
        zone: tzinfo,
        fields: Sequence[_Field],
        order: Sequence[tuple[str, str]],
        what: str,
    ) -> None:
        self.rows = rows
        self.what = what
        kinds = _Parsers(zone)
        parsers = kinds.by_kind
        self.times = kinds.times
        columns = [c for _, spec, _ in fields for c in ((spec,) if isinstance(spec, str) else spec)]
        id_column, opened_column = fields[0][1], next(c for n, c, _ in fields if n == "opened_at")
        assert isinstance(id_column, str)
        assert isinstance(opened_column, str)
        index = rows.columns([id_column, opened_column], columns)
        self.pad = any(c not in index for c in columns)
        absent = rows.width
        self.columns: list[tuple[str, int, Callable[[str], Any]]] = []
        items: list[int] = []
        #: the positions of the stamps in a record (after its line)
        self.stamp_positions: list[int] = []
        self.names = [name for name, _, _ in fields]
        for _, spec, kind in fields:
            if kind == "ci":
                assert len(spec) == 4
                items += (index.get(c, absent) for c in spec)
            else:
                assert isinstance(spec, str)
                assert not items, "configuration items come last"
                if kind == "stamp":
                    self.stamp_positions.append(1 + len(self.columns))
                self.columns.append((spec, index.get(spec, absent), parsers[kind]))
        self.items = itemgetter(*items)
        self.id_column, self.opened_column = id_column, opened_column
        position = {name: i for i, name in enumerate(self.names)}
        self.order = [(position[a], position[b], a, b) for a, b in order]
        self.opened = position["opened_at"]

    def values(
        self, make: Callable[[list[Any]], R], *, unique: bool
    ) -> Iterator[tuple[str, int, R]]:
        """Each row that parses and is in order as (id, line, record), the record made of
        the line, then the values in field order (the configuration items last).

        With ``unique``, a second row with an id already read is reported and left out.
        A row whose fields are those of the row before (a change's rows repeat its own
        fields beside each item) takes that row's values without parsing them again.

        Stamps (times to the second, which rarely repeat) are read in this loop: a text
        whose date and clock :class:`Times` has seen (exactly as written; a new clock's
        minute and second seen apart count as seen) is that day's aware midnight plus the
        clock's time since midnight, as :class:`Times` itself would give it; any other
        text is looked up in it (checked, cached, or refused).
        """
        columns, pad, problem = self.columns, self.pad, self.rows.problem
        pick = itemgetter(*(i for _, i, _ in columns))
        cache = self.times
        times, day, clocks = cache.__getitem__, cache.midnights.get, cache.clocks
        clock_time, minute_of, second_of = clocks.get, cache.minutes.get, cache.seconds.get
        at = self.stamp_positions
        # stamps are taken as they are by the C pass, then read below
        parsers = [str if i + 1 in at else parse for i, (_, _, parse) in enumerate(columns)]
        missing = frozenset(_MISSING)
        last_raw: tuple[str, ...] = ()
        last: list[Any] = []
        width = 1 + len(columns)
        opened = self.opened + 1
        order = [(a + 1, b + 1) for a, b, _, _ in self.order]
        items, known = self.items, _Items()
        seen: dict[str, int] = {}
        for line, row in self.rows:
            if pad:
                row.append("")
            raw = pick(row)
            if raw == last_raw:
                parsed = last[:width]
                parsed[0] = line
            else:
                parsed = [line]
                try:
                    parsed += map(call, parsers, raw)
                    for i in at:
                        text = parsed[i]
                        if text in missing:
                            parsed[i] = None
                            continue
                        date, _, clock = text.partition(" ")
                        midnight, since = day(date), clock_time(clock)
                        if since is None:  # a new clock: its minute and its second seen apart?
                            minute, second = minute_of(clock[:-3]), second_of(clock[-3:])
                            if minute is not None and second is not None:
                                since = clocks[clock] = minute + second
                        if midnight is None or since is None:
                            parsed[i] = times(text)
                        else:
                            parsed[i] = midnight + since
                except BadValueError:
                    problem(line, row[columns[0][1]].strip() or None, *self._culprit(row))
                    continue
                last_raw, last = raw, parsed
            ticket = parsed[1]
            if ticket in missing:
                problem(line, None, ProblemKind.MISSING_VALUE, f"the row has no {self.id_column}")
                continue
            if parsed[opened] is None:
                problem(line, ticket, ProblemKind.MISSING_VALUE, f"{self.opened_column} is missing")
                continue
            for a, b in order:
                later = parsed[b]
                if later is not None:
                    earlier = parsed[a]
                    if earlier is not None and later < earlier:
                        self._disorder(line, ticket, parsed)
                        break
            else:
                if unique:
                    first = seen.setdefault(ticket, line)
                    if first != line:
                        problem(
                            line,
                            ticket,
                            ProblemKind.DUPLICATE,
                            f"{self.what} {ticket} was already read from line {first}",
                        )
                        continue
                parsed += known[items(row)]
                yield ticket, line, make(parsed)

    def _disorder(self, line: int, ticket: str, parsed: list[Any]) -> None:
        """Report the first pair of times out of order."""
        for a, b, first, then in self.order:
            earlier, later = parsed[a + 1], parsed[b + 1]
            if earlier is not None and later is not None and later < earlier:
                self.rows.problem(
                    line,
                    ticket,
                    ProblemKind.IMPOSSIBLE_ORDER,
                    f"{then} {later.isoformat()} is before {first} {earlier.isoformat()}",
                )
                return

    def _culprit(self, row: list[str]) -> tuple[ProblemKind, str]:
        for column, index, parse in self.columns:
            try:
                parse(row[index])
            except BadValueError as bad:
                return ProblemKind.BAD_VALUE, f"{column}: {bad}"
        raise AssertionError("called for a row with a value that does not parse")


#: The record of a schema's (id, line, record).
_RECORD = itemgetter(2)


def _incidents(rows: Rows, zone: tzinfo) -> Iterator[HpsmIncident]:
    schema = _Schema(rows, zone, _INCIDENT, _INCIDENT_ORDER, "incident")
    return map(_RECORD, schema.values(_record(HpsmIncident), unique=True))


def _interactions(rows: Rows, zone: tzinfo) -> Iterator[HpsmInteraction]:
    schema = _Schema(rows, zone, _INTERACTION, _INTERACTION_ORDER, "interaction")
    return map(_RECORD, schema.values(_record(HpsmInteraction), unique=True))


def _changes(rows: Rows, zone: tzinfo, *, contiguous: bool) -> Iterator[HpsmChange]:
    schema = _Schema(rows, zone, _CHANGE, _CHANGE_ORDER, "change")
    items = schema.values(tuple, unique=False)
    item = len(_CHANGE)  # each row is (line, change fields..., affected item)
    fields = schema.names[: item - 1]
    make = _record(HpsmChange)
    for _, group in grouped(rows, items, contiguous=contiguous, what="change"):
        first = group[0]
        if len(group) == 1:
            affected = first[item]
            yield make(((first[0],), *first[1:item], () if affected is None else (affected,)))
            continue
        differ = {
            name
            for values in group[1:]
            if values[1:item] != first[1:item]
            for name, mine, theirs in zip(fields, values[1:item], first[1:item], strict=True)
            if mine != theirs
        }
        for name in sorted(differ, key=fields.index):
            rows.notes[f"changes whose {name} differs between rows (first row kept)"] += 1
        affected_items = tuple(v[item] for v in group if v[item] is not None)
        yield make((tuple(v[0] for v in group), *first[1:item], affected_items))


def _reading(
    path: str | os.PathLike[str],
    kind: str,
    records: Callable[[Rows, tzinfo], Iterator[Any]],
    tz: str | tzinfo,
    strict: bool,
    encoding: str,
    progress: Callable[[ReadProgress], None] | None,
) -> Reading[Any]:
    zone = zone_of(tz)
    return Reading(
        path,
        kind,
        lambda rows: records(rows, zone),
        delimiter=";",
        encoding=encoding,
        strict=strict,
        progress=progress,
    )


_ARGS = """
    Args:
        path: the file (``.csv``, ``.csv.xz`` or ``.csv.gz``).
        tz: the zone the export's local times are in (an IANA name or a tzinfo).
        strict: stop at the first malformed row with
            :class:`~itilkit.errors.MalformedRowError`.
        encoding: the file's text encoding (a BOM is skipped).
        progress: called with a :class:`ReadProgress` every few thousand rows
            and at the end.

    Raises:
        InvalidInputError: an argument is not acceptable.
        ExportReadError: while iterating, the file cannot be read.
        ExportFormatError: while iterating, the header lacks the id or open-time column.
        MalformedRowError: while iterating, in strict mode, a malformed row.

    .. versionadded:: 0.2
"""


#: The fields of an incident the importer reads, with their types.
_HPSM_FIELDS = {
    "row": (int,),
    "id": (str,),
    "opened_at": (datetime,),
    **dict.fromkeys(("reopened_at", "resolved_at", "closed_at"), WHEN),
    **dict.fromkeys(("impact", "urgency", "priority"), (int, type(None))),
    **dict.fromkeys(("category", "closure_code"), TEXT),
    "affected": (CiReference, type(None)),
}


_HPSM_SPEC = field_spec(HpsmIncident, _HPSM_FIELDS)
_CI_SPEC = field_spec(CiReference, {"name": TEXT})


def check_hpsm_incident(incident: HpsmIncident) -> None:
    """Raise unless ``incident`` (a reader's, or one a caller built) has the reader's types."""
    check_fields(incident, _HPSM_SPEC)
    if incident.affected is not None:
        check_fields(incident.affected, _CI_SPEC)


#: The fields of a change the importer reads, with their types.
_CHANGE_FIELDS = {
    "rows": (tuple,),
    "id": (str,),
    "opened_at": (datetime,),
    **dict.fromkeys(
        ("planned_start", "planned_end", "actual_start", "actual_end", "closed_at"), WHEN
    ),
    **dict.fromkeys(("emergency", "cab_approval"), (bool, type(None))),
    **dict.fromkeys(("change_type", "risk_assessment", "originated_from"), TEXT),
    **dict.fromkeys(("related_interactions", "related_incidents"), (int, type(None))),
    "affected": (tuple,),
}
_CHANGE_SPEC = field_spec(HpsmChange, _CHANGE_FIELDS)


def check_hpsm_change(change: HpsmChange) -> None:
    """Raise unless ``change`` (a reader's, or one a caller built) has the reader's types."""
    check_fields(change, _CHANGE_SPEC)
    for row in change.rows:
        if type(row) is not int:
            raise InvalidInputError(f"HpsmChange.rows must hold line numbers, got {shown(row)}")
    for item in change.affected:
        if not isinstance(item, CiReference):
            raise InvalidInputError(
                f"HpsmChange.affected must hold CiReference values, got {shown(item)}"
            )
        check_fields(item, _CI_SPEC)


def read_hpsm_incidents(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    strict: bool = False,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Reading[HpsmIncident]:
    """Read an HP SM incident export (``Detail_Incident``), one :class:`HpsmIncident` per row.

    Rows without an ``Incident ID`` or ``Open Time``, with a value that does
    not parse, with times out of order (resolved or closed before opened,
    closed before resolved) or repeating an id are reported and left out.
    """
    return _reading(path, "HP SM incidents", _incidents, tz, strict, encoding, progress)


def read_hpsm_interactions(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    strict: bool = False,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Reading[HpsmInteraction]:
    """Read an HP SM interaction export (``Detail_Interaction``): an :class:`HpsmInteraction` a row.

    Rows without an ``Interaction ID`` or ``Open Time (First Touch)``, with a
    value that does not parse (``First Call Resolution`` must be Y or N), closed
    before opened, or repeating an id are reported and left out.
    """
    return _reading(path, "HP SM interactions", _interactions, tz, strict, encoding, progress)


def read_hpsm_changes(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    contiguous: bool = True,
    strict: bool = False,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Reading[HpsmChange]:
    """Read an HP SM change export (``Detail_Change``), one :class:`HpsmChange` per change.

    Rows are gathered by ``Change ID``; with ``contiguous`` (the default) a
    change's rows must come together and changes stream out one by one. Rows
    without an id or open time, with a value that does not parse or with times
    out of order (closed before opened, a planned, downtime or actual end before
    its start) are reported and left out. Where later rows of a change disagree
    with its first on a change-level field, the report's notes count it. With
    ``contiguous=False`` rows may come in any order (every change is held until
    the end).
    """
    changes = partial(_changes, contiguous=contiguous)
    return _reading(path, "HP SM changes", changes, tz, strict, encoding, progress)


for _reader in (read_hpsm_incidents, read_hpsm_interactions, read_hpsm_changes):
    _reader.__doc__ = (_reader.__doc__ or "") + _ARGS
