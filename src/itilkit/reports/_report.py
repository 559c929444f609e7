"""The KPI report of an export: read once, measured, and given as one value.

:func:`build_report` reads a ServiceNow incident event log, or any of the
three HP Service Manager exports, once each, and measures what the data
holds: time to resolve by priority (calendar time, and business time with a
calendar), reopen rate, first-assignment resolution, first-contact resolution
over interactions, SLA compliance (the export's own flag, and itilkit's SLA
engine over the tickets' histories) by priority, group and month, the backlog
over time, change success and emergency ratio, the conformance of the
incidents' histories to a lifecycle, and what the readers could not read.
:meth:`KpiReport.to_dict` is the report's one JSON form.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs

from itilkit._repr import shown
from itilkit._validators import aware, non_negative, of_type, optional, text, tuple_of
from itilkit.codec import encode
from itilkit.conformance import ConformanceReport, check_conformance
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError
from itilkit.interop import (
    SERVICENOW_STATES,
    HpsmChange,
    HpsmInteraction,
    HpsmLinks,
    ImportReport,
    ProblemKind,
    Reading,
    ReadProgress,
    ReadReport,
    RowProblem,
    ServiceNowIncident,
    TicketRefusedError,
    hpsm_change_entity,
    link_hpsm,
    read_hpsm_changes,
    read_hpsm_incidents,
    read_hpsm_interactions,
    read_servicenow_incidents,
    servicenow_trace,
)
from itilkit.lifecycle import LifecycleDefinition
from itilkit.metrics import (
    ByPeriod,
    ChangeSuccessRate,
    CountAs,
    DurationStats,
    EmergencyChangeRatio,
    FirstAssignmentResolution,
    FirstContactResolution,
    Period,
    RateStats,
    ReopenRate,
    Result,
    SlaCompliance,
    SlaStats,
    SlaTargetStats,
    TimeToResolve,
)
from itilkit.practices import Change, Incident, Ticket
from itilkit.reports._backlog import BacklogSeries, backlog_series
from itilkit.reports._bulk_sla import BulkSla, bulk_sla, sla_compliance
from itilkit.reports._data import (
    duration_data,
    ordered,
    plain,
    rate_data,
    result_data,
    sla_data,
)
from itilkit.reports._defaults import default_incident_lifecycle, default_sla_policy
from itilkit.reports._records import (
    hpsm_incident_history,
    hpsm_incident_record,
    interaction_record,
    servicenow_history,
    servicenow_record,
)
from itilkit.reports._sniff import ExportKind, detect_export
from itilkit.reports._tickets import (
    ticket_change_record,
    ticket_history,
    ticket_record,
    ticket_trace,
)
from itilkit.sla import BusinessCalendar, HistoryEvent, SlaPolicy

__all__ = [
    "ChangeFigures",
    "IncidentFigures",
    "InteractionFigures",
    "KpiReport",
    "SlaFigures",
    "build_report",
    "build_ticket_report",
    "read_data",
]

#: The report's JSON form: its kind and schema version.
REPORT_KIND = "itilkit-report"
REPORT_VERSION = 1
#: Problems listed per kind in a file's data-quality section.
PROBLEM_EXAMPLES = 5
_BY_PRIORITY = ("priority",)

Progress = Callable[[str, ReadProgress], None]
T = TypeVar("T")


@attrs.frozen(kw_only=True)
class IncidentFigures:
    """The incident KPIs, each by priority: time to resolve (calendar time, and business
    time on the report's calendar), reopen rate, first-assignment resolution, and the
    export's own SLA flag where it has one (ServiceNow's ``made_sla``).

    .. versionadded:: 0.2
    """

    tickets: int = attrs.field(validator=non_negative())
    time_to_resolve: Result[DurationStats] = attrs.field(validator=of_type(Result))
    business_time_to_resolve: Result[DurationStats] | None = attrs.field(
        validator=optional(of_type(Result))
    )
    reopen_rate: Result[RateStats] = attrs.field(validator=of_type(Result))
    first_assignment: Result[RateStats] = attrs.field(validator=of_type(Result))
    export_sla: Result[SlaStats] | None = attrs.field(validator=optional(of_type(Result)))


@attrs.frozen(kw_only=True)
class SlaFigures:
    """itilkit's SLA engine over the incidents' histories: every ticket's status at the
    report's instant (:class:`BulkSla`, with the tickets it had to exclude) and its
    compliance, counted once by priority, group and the month the ticket was opened
    (``compliance``), and summed per dimension (:meth:`by`).

    .. versionadded:: 0.2
    """

    run: BulkSla = attrs.field(validator=of_type(BulkSla))
    compliance: Result[SlaStats] = attrs.field(validator=of_type(Result))

    def by(self, dimension: str) -> dict[Any, SlaStats]:
        """Compliance per value of ``priority``, ``group`` or ``month`` (its first day)."""
        if dimension not in SLA_DIMENSIONS:
            raise InvalidInputError(
                f"dimension must be one of {', '.join(SLA_DIMENSIONS)}, got {shown(dimension)}"
            )
        position = SLA_DIMENSIONS.index(dimension)
        parts: dict[Any, list[SlaStats]] = {}
        for key, stats in self.compliance.groups.items():
            parts.setdefault(key[position], []).append(stats)
        names = [target.name for target in self.run.policy.targets]
        return {value: _summed(names, stats) for value, stats in parts.items()}


#: The dimensions SLA compliance is broken down by.
SLA_DIMENSIONS = ("priority", "group", "month")


def _summed(names: Sequence[str], parts: Sequence[SlaStats]) -> SlaStats:
    targets = {
        name: SlaTargetStats(
            *(sum(getattr(p.targets[name], f) for p in parts) for f in _OUTCOME_COUNTS)
        )
        for name in names
    }
    records = RateStats(
        sum(p.records.hits for p in parts), sum(p.records.population for p in parts)
    )
    return SlaStats(targets, records)


_OUTCOME_COUNTS = ("met", "breached", "in_progress", "canceled")


@attrs.frozen(kw_only=True)
class InteractionFigures:
    """First-contact resolution over interactions by their own flag, by priority.

    .. versionadded:: 0.2
    """

    interactions: int = attrs.field(validator=non_negative())
    first_contact: Result[RateStats] = attrs.field(validator=of_type(Result))


@attrs.frozen(kw_only=True)
class ChangeFigures:
    """Change success and the emergency ratio of the change entities, by risk assessment.

    An HP SM export's changes are imported as entities of
    :data:`~itilkit.interop.HPSM_CHANGE` first (the export has no outcome: the
    default :class:`~itilkit.interop.HpsmChangeMapping` reviews a change
    ``successful`` when it ended by its planned end); ``imported`` says what
    was built and which changes the practice refused. None for a store's
    tickets.

    .. versionadded:: 0.2
    """

    changes: int = attrs.field(validator=non_negative())
    success: Result[RateStats] = attrs.field(validator=of_type(Result))
    emergency: Result[RateStats] = attrs.field(validator=of_type(Result))
    imported: ImportReport | None = attrs.field(
        default=None, validator=optional(of_type(ImportReport))
    )


@attrs.frozen(kw_only=True)
class KpiReport:
    """Everything one report found; ``None`` marks a section the data cannot give.

    ``as_of`` is the latest instant in the data: the SLA statuses are taken
    then, and the backlog runs to it.

    .. versionadded:: 0.2
    """

    source: str = attrs.field(validator=text())
    zone: str = attrs.field(validator=text())
    as_of: datetime | None = attrs.field(validator=optional(aware()))
    reads: tuple[ReadReport, ...] = attrs.field(validator=tuple_of(ReadReport))
    links: HpsmLinks | None = attrs.field(validator=optional(of_type(HpsmLinks)))
    incidents: IncidentFigures | None = attrs.field(validator=optional(of_type(IncidentFigures)))
    sla: SlaFigures | None = attrs.field(validator=optional(of_type(SlaFigures)))
    backlog: BacklogSeries | None = attrs.field(validator=optional(of_type(BacklogSeries)))
    interactions: InteractionFigures | None = attrs.field(
        validator=optional(of_type(InteractionFigures))
    )
    changes: ChangeFigures | None = attrs.field(validator=optional(of_type(ChangeFigures)))
    conformance: ConformanceReport | None = attrs.field(
        validator=optional(of_type(ConformanceReport))
    )
    calendar: BusinessCalendar | None = attrs.field(
        repr=False, validator=optional(of_type(BusinessCalendar))
    )

    def to_dict(self) -> dict[str, Any]:
        """The report's JSON form (``kind`` ``itilkit-report``, schema version 1); its keys
        are described in ``docs/cli.md`` and checked by ``docs/schemas/report.schema.json``."""
        return {
            "kind": REPORT_KIND,
            "schema_version": REPORT_VERSION,
            "source": self.source,
            "zone": self.zone,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "calendar": None if self.calendar is None else encode(self.calendar),
            "files": [read_data(r) for r in self.reads],
            "links": None if self.links is None else self.links.to_dict(),
            "incidents": None if self.incidents is None else _incident_data(self.incidents),
            "sla": None if self.sla is None else _sla_section(self.sla),
            "backlog": None if self.backlog is None else _backlog_data(self.backlog),
            "interactions": None
            if self.interactions is None
            else {
                "interactions": self.interactions.interactions,
                "first_contact_resolution": result_data(self.interactions.first_contact, rate_data),
            },
            "changes": None if self.changes is None else _change_data(self.changes),
            "conformance": None if self.conformance is None else _conformance(self.conformance),
        }


def _change_data(figures: ChangeFigures) -> dict[str, Any]:
    imported = figures.imported
    return {
        "changes": figures.changes,
        "success": result_data(figures.success, rate_data),
        "emergency_ratio": result_data(figures.emergency, rate_data),
        "refused": None if imported is None else len(imported.refused),
        "refused_by_reason": None if imported is None else imported.refused_by_reason(),
        "notes": None if imported is None else dict(imported.notes),
    }


def read_data(report: ReadReport) -> dict[str, Any]:
    """A read's figures as the report's ``files`` list them: ``to_dict()`` without every
    problem, with ``examples``, the first few problems of each kind.

    Raises:
        InvalidTypeError: ``report`` is not a :class:`~itilkit.interop.ReadReport`.

    .. versionadded:: 0.2
    """
    if not isinstance(report, ReadReport):
        raise InvalidTypeError("report", "a ReadReport", report)
    data = report.to_dict(problems=False)
    examples: dict[str, list[dict[str, Any]]] = {}
    for problem in report.problems:
        kept = examples.setdefault(problem.kind.value, [])
        if len(kept) < PROBLEM_EXAMPLES:
            kept.append(problem.to_dict())
    data["examples"] = examples
    return data


def _incident_data(figures: IncidentFigures) -> dict[str, Any]:
    business = figures.business_time_to_resolve
    return {
        "tickets": figures.tickets,
        "time_to_resolve": result_data(figures.time_to_resolve, duration_data),
        "business_time_to_resolve": None
        if business is None
        else result_data(business, duration_data),
        "reopen_rate": result_data(figures.reopen_rate, rate_data),
        "first_assignment_resolution": result_data(figures.first_assignment, rate_data),
        "export_sla": None
        if figures.export_sla is None
        else result_data(figures.export_sla, sla_data),
    }


def _sla_section(figures: SlaFigures) -> dict[str, Any]:
    run = figures.run
    try:
        policy: Any = encode(run.policy)
    except ItilkitError:  # a host policy with conditions of its own has no document form
        policy = {"name": run.policy.name}
    return {
        "policy": policy,
        "now": run.now.isoformat(),
        "tickets": run.tickets,
        "measured": len(run.statuses),
        "excluded": [e.to_dict() for e in run.exclusions],
        "overall": sla_data(figures.compliance.overall),
        "by_priority": _groups(figures.by("priority")),
        "by_group": _groups(figures.by("group")) if _has_groups(figures) else None,
        "by_month": _groups(figures.by("month")),
        "excluded_by_measure": result_data(figures.compliance, sla_data)["excluded"],
    }


def _has_groups(figures: SlaFigures) -> bool:
    return any(key[1] is not None for key in figures.compliance.groups)


def _groups(values: Mapping[Any, SlaStats]) -> list[dict[str, Any]]:
    return [{"value": plain(value), **sla_data(stats)} for value, stats in ordered(values)]


def _backlog_data(series: BacklogSeries) -> dict[str, Any]:
    return {
        "period": series.period.value,
        "excluded": series.excluded,
        "points": [
            {"start": p.start.isoformat(), "opened": p.opened, "ended": p.ended, "open": p.open}
            for p in series.points
        ],
    }


def _conformance(report: ConformanceReport) -> dict[str, Any]:
    return {
        **report.summary(),
        "starts": report.starts.to_dict(),
        "disallowed": [s.to_dict() for s in report.disallowed[:10]],
        "variants": [v.to_dict() for v in report.variants[:5]],
        "by_priority": [g.to_dict() for g in report.breakdowns["priority"]],
    }


def _zone(tz: str | tzinfo) -> tuple[tzinfo, str]:
    if isinstance(tz, tzinfo):
        return tz, str(tz)
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz), tz
        except (ValueError, LookupError, OSError):
            pass
    raise InvalidInputError(
        f"tz must be an IANA zone name such as 'Europe/Amsterdam' or a tzinfo, got {shown(tz)}"
    )


def _policy(
    sla: SlaPolicy | BusinessCalendar | None, source: str
) -> tuple[SlaPolicy, BusinessCalendar | None]:
    """The SLA policy to apply and the business calendar of the business-time figures."""
    if isinstance(sla, SlaPolicy):
        calendar = sla.calendar if isinstance(sla.calendar, BusinessCalendar) else None
        return sla, calendar
    if sla is None or isinstance(sla, BusinessCalendar):
        return default_sla_policy(sla, response=source == "servicenow"), sla
    raise InvalidInputError(
        f"sla must be an SlaPolicy, a BusinessCalendar or None, got {type(sla).__name__}"
    )


def _kinds(
    files: Sequence[str | os.PathLike[str]], source: str | None
) -> list[tuple[Path, ExportKind]]:
    if isinstance(files, str | os.PathLike) or not isinstance(files, Sequence) or not files:
        raise InvalidInputError(f"files must be a non-empty list of paths, got {shown(files)}")
    if source not in (None, "servicenow", "hpsm"):
        raise InvalidInputError(f"source must be 'servicenow', 'hpsm' or None, got {shown(source)}")
    kinds = []
    for file in files:
        kind = detect_export(file)  # first: it checks the path's type
        kinds.append((Path(file), kind))
    sources = {kind.source for _, kind in kinds}
    if source is not None and sources != {source}:
        other = next(path for path, kind in kinds if kind.source != source)
        raise InvalidInputError(f"{other} is not a {source} export (its header says otherwise)")
    if len(sources) > 1:
        raise InvalidInputError("a report reads one source: ServiceNow or HP SM files, not both")
    seen: dict[ExportKind, Path] = {}
    for path, kind in kinds:
        if kind in seen:
            raise InvalidInputError(f"{seen[kind]} and {path} are both {kind.value} exports")
        seen[kind] = path
    return kinds


def build_report(
    files: Sequence[str | os.PathLike[str]],
    *,
    source: str | None = None,
    tz: str | tzinfo = "UTC",
    sla: SlaPolicy | BusinessCalendar | None = None,
    period: Period | str | None = None,
    definition: LifecycleDefinition | None = None,
    progress: Progress | None = None,
) -> KpiReport:
    """Read the export files once each and measure what they hold.

    Args:
        files: a ServiceNow incident event log, or up to one of each HP SM export
            (incidents, interactions, changes); each kind is told by its header.
        source: ``servicenow`` or ``hpsm`` to insist on one (None: as the files say).
        tz: the zone of the exports' local times, and of the report's months,
            weeks and days.
        sla: the SLA policy to apply, or a business calendar for the default
            policy (:func:`default_sla_policy`), or None for the default policy
            on a 24x7 clock. A calendar (given, or the policy's) also gives the
            business-time figures.
        period: the backlog's period (``day``, ``week``, ``month``, ``quarter``);
            None chooses by the data's span.
        definition: the lifecycle the ServiceNow histories are checked against
            (default: itilkit's incident lifecycle).
        progress: called with each file's name and a :class:`ReadProgress`.

    Raises:
        InvalidInputError: an argument is not acceptable.
        ExportReadError: a file cannot be read.
        ExportFormatError: a file is none of the exports, or lacks a column.

    .. versionadded:: 0.2
    """
    kinds = _kinds(files, source)
    zone, zone_name = _zone(tz)
    chosen = None if period is None else _period(period)
    if definition is not None and not isinstance(definition, LifecycleDefinition):
        raise InvalidInputError(
            f"definition must be a LifecycleDefinition, got {type(definition).__name__}"
        )
    if progress is not None and not callable(progress):
        raise InvalidInputError(f"progress must be callable or None, got {shown(progress)}")
    found = kinds[0][1].source
    policy, calendar = _policy(sla, found)
    context = _Context(zone, zone_name, policy, calendar, chosen, progress)
    if found == "servicenow":
        return context.servicenow(kinds[0][0], definition or default_incident_lifecycle())
    return context.hpsm({kind: path for path, kind in kinds})


def build_ticket_report(
    tickets: Iterable[Ticket],
    *,
    tz: str | tzinfo = "UTC",
    sla: SlaPolicy | BusinessCalendar | None = None,
    period: Period | str | None = None,
    definition: LifecycleDefinition | None = None,
) -> KpiReport:
    """The report of practice entities (imported, or loaded from a store): the same
    sections as :func:`build_report` where tickets hold them (incidents, their SLA,
    backlog and conformance to ``definition``, default the incident lifecycle; changes),
    with ``source`` ``store`` and no files. Other kinds of ticket are left out.

    Raises:
        InvalidInputError: an argument is not acceptable.

    .. versionadded:: 0.2
    """
    zone, zone_name = _zone(tz)
    chosen = None if period is None else _period(period)
    if definition is not None and not isinstance(definition, LifecycleDefinition):
        raise InvalidInputError(
            f"definition must be a LifecycleDefinition, got {type(definition).__name__}"
        )
    if isinstance(tickets, Ticket) or not isinstance(tickets, Iterable):
        raise InvalidInputError(f"tickets must be an iterable of tickets, got {shown(tickets)}")
    policy, calendar = _policy(sla, "servicenow")
    context = _Context(zone, zone_name, policy, calendar, chosen, None)
    return context.tickets(tickets, definition or default_incident_lifecycle())


def _period(value: Period | str) -> Period:
    try:
        return Period(value)
    except ValueError:
        choices = ", ".join(p.value for p in Period)
        raise InvalidInputError(f"period must be one of {choices}, got {shown(value)}") from None


@attrs.frozen
class _Context:
    zone: tzinfo
    zone_name: str
    policy: SlaPolicy
    calendar: BusinessCalendar | None
    period: Period | None
    progress: Progress | None

    def _hook(self, path: Path) -> Callable[[ReadProgress], None] | None:
        progress = self.progress
        if progress is None:
            return None
        name = path.name
        return lambda step: progress(name, step)

    def servicenow(self, path: Path, definition: LifecycleDefinition) -> KpiReport:
        reading = read_servicenow_incidents(path, tz=self.zone, progress=self._hook(path))
        records: list[dict[str, Any]] = []
        histories: list[tuple[str, list[HistoryEvent]]] = []
        traces = []
        latest: datetime | None = None
        incident: ServiceNowIncident
        for incident in reading:
            record = servicenow_record(incident)
            records.append(record)
            histories.append((incident.number, servicenow_history(incident)))
            traces.append(servicenow_trace(incident))
            latest = _latest(latest, incident.final.at, incident.resolved_at, incident.closed_at)
        conformance = check_conformance(
            traces, definition, mapping=SERVICENOW_STATES, calendar=self.calendar
        )
        return KpiReport(
            source="servicenow",
            zone=self.zone_name,
            as_of=latest,
            reads=(reading.report,),
            links=None,
            incidents=self._incidents(records, export_sla=True),
            sla=None if latest is None else self._sla(records, histories, latest),
            backlog=None if latest is None else self._backlog(records, latest),
            interactions=None,
            changes=None,
            conformance=conformance,
            calendar=self.calendar,
        )

    def tickets(self, tickets: Iterable[Ticket], definition: LifecycleDefinition) -> KpiReport:
        incidents: list[Incident] = []
        changes: list[Change] = []
        latest: datetime | None = None
        for ticket in tickets:
            if isinstance(ticket, Incident):
                incidents.append(ticket)
            elif isinstance(ticket, Change):
                changes.append(ticket)
            elif not isinstance(ticket, Ticket):
                raise InvalidInputError(f"not a ticket: {shown(ticket)}")
            else:
                continue
            latest = _latest(latest, ticket.last_event_at)
        records = [ticket_record(i) for i in incidents]
        conformance = None
        if incidents:
            traces = [ticket_trace(i) for i in incidents]
            conformance = check_conformance(traces, definition, calendar=self.calendar)
        measured = bool(incidents) and latest is not None
        return KpiReport(
            source="store",
            zone=self.zone_name,
            as_of=latest,
            reads=(),
            links=None,
            incidents=self._incidents(records, export_sla=False) if incidents else None,
            sla=None
            if not measured or latest is None
            else self._sla(records, [(i.id, ticket_history(i)) for i in incidents], latest),
            backlog=None if not measured or latest is None else self._backlog(records, latest),
            interactions=None,
            changes=None if not changes else _ticket_changes(changes),
            conformance=conformance,
            calendar=self.calendar,
        )

    def hpsm(self, paths: Mapping[ExportKind, Path]) -> KpiReport:
        reads: list[ReadReport] = []

        def read(kind: ExportKind, reader: Callable[..., Reading[T]]) -> list[T]:
            if kind not in paths:
                return []
            reading = reader(paths[kind], tz=self.zone, progress=self._hook(paths[kind]))
            found = list(reading)
            reads.append(reading.report)
            return found

        incidents = read(ExportKind.HPSM_INCIDENTS, read_hpsm_incidents)
        interactions = read(ExportKind.HPSM_INTERACTIONS, read_hpsm_interactions)
        changes = read(ExportKind.HPSM_CHANGES, read_hpsm_changes)
        change_read = reads[-1] if ExportKind.HPSM_CHANGES in paths else None
        latest: datetime | None = None
        for i in incidents:
            latest = _latest(latest, i.opened_at, i.resolved_at, i.closed_at)
        for c in interactions:
            latest = _latest(latest, c.opened_at, c.closed_at)
        for ch in changes:
            latest = _latest(latest, ch.opened_at, ch.closed_at)
        records = [hpsm_incident_record(i) for i in incidents]
        has_incidents = ExportKind.HPSM_INCIDENTS in paths
        return KpiReport(
            source="hpsm",
            zone=self.zone_name,
            as_of=latest,
            reads=tuple(reads),
            links=link_hpsm(incidents, interactions, changes) if len(paths) == 3 else None,
            incidents=self._incidents(records, export_sla=False) if has_incidents else None,
            sla=None
            if not has_incidents or latest is None
            else self._sla(records, [(i.id, hpsm_incident_history(i)) for i in incidents], latest),
            backlog=None if not has_incidents or latest is None else self._backlog(records, latest),
            interactions=None
            if ExportKind.HPSM_INTERACTIONS not in paths
            else _interactions(interactions),
            changes=None if change_read is None else _changes(changes, change_read),
            conformance=None,
            calendar=self.calendar,
        )

    def _incidents(self, records: list[dict[str, Any]], *, export_sla: bool) -> IncidentFigures:
        business = None
        if self.calendar is not None:
            business = TimeToResolve(by=_BY_PRIORITY, clock=self.calendar)(records)
        made_sla = SlaCompliance(targets={"made_sla": "made_sla"}, flags="met", by=_BY_PRIORITY)
        return IncidentFigures(
            tickets=len(records),
            time_to_resolve=TimeToResolve(by=_BY_PRIORITY)(records),
            business_time_to_resolve=business,
            reopen_rate=ReopenRate(by=_BY_PRIORITY)(records),
            first_assignment=FirstAssignmentResolution(by=_BY_PRIORITY)(records),
            export_sla=made_sla(records) if export_sla else None,
        )

    def _sla(
        self,
        records: list[dict[str, Any]],
        histories: Iterable[tuple[str, list[HistoryEvent]]],
        now: datetime,
    ) -> SlaFigures:
        run = bulk_sla(self.policy, histories, now)
        attributes = {
            r["id"]: {"priority": r["priority"], "group": r["group"], "opened_at": r["opened_at"]}
            for r in records
        }
        month = ByPeriod("opened_at", Period.MONTH, self.zone)
        compliance = sla_compliance(run, attributes, by=("priority", "group", month))
        return SlaFigures(run=run, compliance=compliance)

    def _backlog(self, records: list[dict[str, Any]], until: datetime) -> BacklogSeries:
        spans = []
        for r in records:
            ends = [t for t in (r["resolved_at"], r["closed_at"]) if t is not None]
            spans.append((r["opened_at"], min(ends) if ends else None))
        return backlog_series(spans, until=until, zone=self.zone, period=self.period)


def _latest(latest: datetime | None, *instants: datetime | None) -> datetime | None:
    for at in instants:
        if at is not None and (latest is None or at > latest):
            latest = at
    return latest


def _interactions(interactions: list[HpsmInteraction]) -> InteractionFigures:
    records = [interaction_record(i) for i in interactions]
    measure = FirstContactResolution(per_contact=True, by=_BY_PRIORITY)
    return InteractionFigures(interactions=len(records), first_contact=measure(records))


def _changes(changes: list[HpsmChange], read: ReadReport) -> ChangeFigures:
    """The figures of the changes' entities (the export's risk assessment kept to break
    them down by: the model's risk is an impact x likelihood assessment the export lacks)."""
    records: list[dict[str, Any]] = []
    refused: list[RowProblem] = []
    notes = Counter[str]()
    for change in changes:
        try:
            entity = hpsm_change_entity(change, notes=notes)
        except TicketRefusedError as error:
            refused.append(RowProblem(error.row, error.ticket, ProblemKind.REFUSED, error.reason))
            continue
        record = ticket_change_record(entity)
        record["risk"] = change.risk_assessment
        records.append(record)
    imported = ImportReport(read, len(records), tuple(refused), dict(notes))
    return _change_figures(records, imported)


def _ticket_changes(changes: list[Change]) -> ChangeFigures:
    return _change_figures([ticket_change_record(c) for c in changes], None)


def _change_figures(records: list[dict[str, Any]], imported: ImportReport | None) -> ChangeFigures:
    by = ("risk",)
    return ChangeFigures(
        changes=len(records),
        success=ChangeSuccessRate(with_issues=CountAs.FAILURE, by=by)(records),
        emergency=EmergencyChangeRatio(by=by)(records),
        imported=imported,
    )
