"""``itilkit demo``: a service desk's week on the embedded defaults, on a fixed clock.

Four incidents, two changes and a service request are logged with the
default practices (the incidents' derived once with itilkit's default SLA
policy on London office hours) and moved through their lifecycles: one
incident is resolved well in time, one breaches its resolution target, one
is reopened, one waits on hold for its vendor; a standard change succeeds and
a normal change, approved at both gates, is backed out. The tickets are saved
to a SQLite store in a temporary file and loaded back (each checked against
its practice as it is read); then their histories,
the incidents' SLA clocks (with their due and breach times) and the KPIs (MTTR,
MTTA, reopen rate, SLA compliance, change success) are printed. Every instant
comes from one fixed clock, so the output is the same on every run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from itilkit.cli._format import duration, rate, table
from itilkit.cli._store import load_tickets, save_tickets
from itilkit.clock import FixedClock
from itilkit.errors import StorageError
from itilkit.lifecycle import TransitionRecord
from itilkit.metrics import (
    ChangeSuccessRate,
    ReopenRate,
    SlaCompliance,
    TimeToAcknowledge,
    TimeToResolve,
)
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    SERVICE_REQUEST,
    ApprovalPolicy,
    ApprovalRule,
    Assignment,
    Change,
    Incident,
    PlannedWindow,
    ServiceRequest,
    Ticket,
    sla_outcomes,
)
from itilkit.reports import default_sla_policy
from itilkit.sla import BusinessCalendar, WeeklySchedule

__all__ = ["END", "OFFICE", "PRACTICE", "demo_text", "through_store", "week"]

#: London office hours with a lunch break: the calendar of the SLA clocks and KPIs.
OFFICE = BusinessCalendar(
    "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-12:30, 13:30-17:30"})
)
#: The incident preset with itilkit's default SLA policy on the office calendar.
PRACTICE = INCIDENT.derive(name="demo-incident", sla=default_sla_policy(OFFICE))
#: The demo's Monday morning, and when the figures are read (Thursday noon).
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)

Tickets = tuple[list[Incident], list[Change], list[ServiceRequest]]


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """Day ``day`` of the week (0 = Monday 2 March 2026) at ``hour:minute`` UTC."""
    return START.replace(hour=hour, minute=minute) + timedelta(days=day)


def _incidents() -> list[Incident]:
    desk, t = "desk", _at
    log = Incident.log
    mail = (
        log(PRACTICE, id="INC-1001", title="Outgoing mail delayed", caller="ann",
            impact="medium", urgency="high", at=t(0, 9, 5), actor=desk)
        .assign(Assignment("email", "bob"), at=t(0, 9, 5), actor=desk)
        .start_work(at=t(0, 9, 20), actor="bob")
        .resolve("fixed", "replaced the relay certificate", at=t(0, 11, 30), actor="bob")
        .close(at=t(1, 9, 30), actor="ann")
    )  # fmt: skip
    vpn = (
        log(PRACTICE, id="INC-1002", title="VPN down for the Leeds office", caller="dan",
            impact="high", urgency="high", at=t(0, 9, 30), actor=desk)
        .assign(Assignment("network", "cy"), at=t(0, 9, 35), actor=desk)
        .start_work(at=t(0, 9, 40), actor="cy")
        .resolve("workaround", "rerouted through the backup tunnel", at=t(0, 15, 10),
                 actor="cy")
        .close(at=t(1, 10, 0), actor="dan")
    )  # fmt: skip
    printer = (
        log(PRACTICE, id="INC-1003", title="Printer queue stuck", caller="eve",
            impact="low", urgency="medium", at=t(0, 10, 0), actor=desk)
        .assign(Assignment("desk-side", "fay"), at=t(0, 10, 0), actor=desk)
        .start_work(at=t(0, 10, 30), actor="fay")
        .resolve("fixed", "restarted the spooler", at=t(0, 11, 0), actor="fay")
        .reopen(at=t(0, 14, 0), actor="eve", reason="stuck again after lunch")
        .resolve("fixed", "cleared a corrupt job and patched the driver", at=t(1, 11, 0),
                 actor="fay")
        .close(at=t(2, 9, 0), actor="eve")
    )  # fmt: skip
    laptop = (
        log(PRACTICE, id="INC-1004", title="Laptop battery swelling", caller="gus",
            impact="low", urgency="high", at=t(1, 14, 0), actor=desk)
        .assign(Assignment("desk-side", "fay"), at=t(1, 14, 0), actor=desk)
        .start_work(at=t(1, 14, 30), actor="fay")
        .hold("awaiting_vendor", at=t(1, 15, 0), actor="fay",
              note="replacement battery ordered from the vendor")
    )  # fmt: skip
    return [mail, vpn, printer, laptop]


def _changes() -> list[Change]:
    t = _at
    certificate = (
        Change.submit(CHANGE, id="CHG-2001", title="Rotate the VPN certificate",
                      change_type="standard", requested_by="cy", at=t(0, 16, 0),
                      backout_plan="reinstall the previous certificate",
                      planned_window=PlannedWindow(t(1, 18, 0), t(1, 20, 0)))
        .schedule(at=t(0, 16, 5), actor="cy")
        .implement(at=t(1, 18, 5), actor="cy")
        .review(at=t(1, 18, 40), actor="cy", outcome="successful")
        .close(at=t(2, 9, 0), actor="cy")
    )  # fmt: skip
    policy = ApprovalPolicy.of(
        assess=ApprovalRule.any_one({"mail-lead"}),
        authorize=ApprovalRule.quorum({"cab-ann", "cab-bob", "cab-cy"}, 2),
    )
    relay = (
        Change.submit(CHANGE, id="CHG-2002", title="Upgrade the mail relay",
                      change_type="normal", requested_by="bob", at=t(0, 13, 0),
                      backout_plan="restore the relay's snapshot",
                      planned_window=PlannedWindow(t(2, 19, 0), t(2, 21, 0)),
                      approval_policy=policy)
        .assess(at=t(0, 13, 5), actor="bob")
        .approve(at=t(0, 14, 0), actor="mail-lead", comment="tested on staging")
        .approve(at=t(1, 10, 0), actor="cab-ann")
        .approve(at=t(1, 10, 15), actor="cab-cy")
        .implement(at=t(2, 19, 0), actor="bob")
        .review(at=t(2, 20, 30), actor="bob", outcome="backed_out",
                reason="queues grew after the upgrade")
        .close(at=t(3, 9, 0), actor="cab-ann")
    )  # fmt: skip
    return [certificate, relay]


def _requests() -> list[ServiceRequest]:
    t = _at
    laptop = (
        ServiceRequest.submit(SERVICE_REQUEST, id="REQ-3001", title="Laptop for a new starter",
                              requester="hal", catalog_item="standard laptop",
                              requires_approval=True, at=t(0, 9, 45))
        .request_approval(at=t(0, 9, 45), actor="hal")
        .approve(at=t(0, 11, 0), actor="ivy", comment="budget approved")
        .start_fulfilment(at=t(1, 9, 0), actor="fay")
        .fulfil("imaged and handed over", at=t(2, 10, 0), actor="fay")
        .close("complete", at=t(2, 10, 30), actor="hal")
    )  # fmt: skip
    return [laptop]


def week() -> Tickets:
    """The week's tickets, as they stand at :data:`END`."""
    return _incidents(), _changes(), _requests()


# -- the store step -----------------------------------------------------------------------


def through_store(tickets: Tickets, path: Path) -> tuple[Tickets, str]:
    """Save every ticket to a new SQLite store at ``path`` and load them all back, as the
    tickets the rest of the demo shows; and a line saying what went through."""
    incidents, changes, requests = tickets
    saved = save_tickets(path, [*incidents, *changes, *requests], practices=(PRACTICE,))
    loaded = load_tickets(path, practices=(PRACTICE,))
    back: Tickets = (
        [t for t in loaded if isinstance(t, Incident)],
        [t for t in loaded if isinstance(t, Change)],
        [t for t in loaded if isinstance(t, ServiceRequest)],
    )
    if back != tickets:
        raise StorageError(f"the store at {path} gave back other tickets than it was given")
    records = sum(len(t.history) for t in loaded)
    return back, f"{saved} tickets and {records} history records saved and loaded back"


# -- printing -----------------------------------------------------------------------------


def _value(value: object) -> str:
    if isinstance(value, Assignment):
        return str(value)
    shown = getattr(value, "value", None)
    if isinstance(shown, str):
        return shown
    level = getattr(value, "level", None)
    if isinstance(level, int):
        return str(level)
    return str(value)


#: Fields a history line shows when a transition changes them.
_SHOWN = ("assignment", "hold_reason", "priority", "reopen_count", "outcome")


def _detail(record: TransitionRecord) -> str:
    parts = [
        f"{c.field}={_value(c.new)}"
        for c in record.changes
        if c.field in _SHOWN and c.new is not None
    ]
    resolution = record.changed("resolution")
    if resolution is not None and resolution.new is not None:
        parts.append(f"resolution={_value(getattr(resolution.new, 'code', ''))}")
    if record.reason and record.transition not in ("hold", "approve"):
        parts.append(f'"{record.reason}"')
    return "; ".join(parts)


def history_text(ticket: Ticket) -> str:
    """A ticket's audit trail as a table."""
    rows = [
        [
            f"{r.at:%a %H:%M}",
            r.transition,
            r.source,
            r.target,
            r.actor,
            _detail(r),
        ]
        for r in ticket.history
    ]
    return table(["at (UTC)", "transition", "from", "to", "by", "changes"], rows)


def _when(value: datetime | None) -> str:
    return "-" if value is None else f"{value:%a %H:%M}"


def _day(value: datetime) -> str:
    return f"{value:%a %d %b %H:%M}"


def sla_text(incidents: Sequence[Incident], now: datetime) -> str:
    """Each incident's SLA targets at ``now``: target, due, business time used, verdict."""
    rows = []
    for incident in incidents:
        status = incident.sla_status(now)
        for name in ("response", "resolution"):
            cycle = status.target(name).current
            if cycle is None:
                continue
            if cycle.breached:
                assert cycle.breached_at is not None
                verdict = f"BREACHED at {_day(cycle.breached_at)}"
            elif cycle.phase.value == "stopped":
                verdict = "met"
            else:
                verdict = f"{cycle.phase.value}, {duration(cycle.remaining.total_seconds())} left"
            rows.append(
                [
                    incident.id,
                    f"P{incident.priority.level}",
                    name,
                    duration(cycle.target.total_seconds()),
                    _day(cycle.due_at),
                    duration(cycle.business_elapsed.total_seconds()),
                    duration(cycle.business_paused.total_seconds()),
                    verdict,
                ]
            )
    headers = ["ticket", "prio", "target", "length", "due", "used", "paused", "status"]
    return table(headers, rows)


def _mean(value: timedelta | None) -> str:
    return duration(None if value is None else value.total_seconds())


def kpi_text(incidents: Sequence[Incident], changes: Sequence[Change], now: datetime) -> str:
    """MTTR (wall and business, net of holds), MTTA, reopen rate, SLA compliance, change
    success."""
    wall = TimeToResolve()(incidents).overall
    business = TimeToResolve(clock=OFFICE, exclude_paused=True)(incidents).overall
    acknowledged = TimeToAcknowledge()(incidents).overall
    business_ack = TimeToAcknowledge(clock=OFFICE)(incidents).overall
    reopen = ReopenRate()(incidents).overall
    sla = SlaCompliance(targets=["response", "resolution"])(sla_outcomes(incidents, now)).overall
    success = ChangeSuccessRate()(changes).overall
    rows = [
        ["MTTR (mean time to resolve)", _mean(wall.mean), _mean(business.mean),
         f"{wall.count} resolved"],
        ["MTTA (mean time to acknowledge)", _mean(acknowledged.mean),
         _mean(business_ack.mean), f"{acknowledged.count} acknowledged"],
        ["reopen rate", rate(reopen.hits, reopen.population, reopen.rate), "", ""],
        *(
            [f"SLA {name} compliance", rate(t.compliance.hits, t.compliance.population,
                                           t.compliance.rate), "",
             f"{t.breached} breached, {t.in_progress} running"]
            for name, t in sla.targets.items()
        ),
        ["change success rate", rate(success.hits, success.population, success.rate), "", ""],
    ]  # fmt: skip
    return table(["measure", "wall clock", "business hours", "of"], rows)


def demo_text(store_dir: Path | None = None) -> str:
    """The demo's whole output (the store in a temporary directory unless one is given)."""
    with tempfile.TemporaryDirectory(prefix="itilkit-demo-") as scratch:
        path = Path(store_dir or scratch) / "itilkit-demo.sqlite"
        (incidents, changes, requests), stored = through_store(week(), path)
    clock = FixedClock(END)
    now = clock.now()
    out: list[str] = []
    write: Callable[..., Any] = out.append
    assert PRACTICE.sla is not None
    write("itilkit demo: a service desk's week on the embedded defaults")
    write(f"  calendar  {OFFICE.zone}, Mon-Fri 09:00-12:30 and 13:30-17:30")
    write(f"  practices {PRACTICE.ref} (SLA policy {PRACTICE.sla.name!r}), {CHANGE.ref}, "
          f"{SERVICE_REQUEST.ref}")  # fmt: skip
    write(f"  store     SQLite in a temporary file: {stored}")
    write(f"  now       {now:%A %d %B %Y %H:%M} UTC (a fixed clock)")
    tickets: list[Ticket] = [*incidents, *changes, *requests]
    for ticket in tickets:
        write("")
        write(f"{ticket.id}  {ticket.title}  [{ticket.practice.ref}, now {ticket.state}]")
        write(history_text(ticket))
    write("")
    write("SLA clocks of the incidents (business time on the office calendar):")
    write(sla_text(incidents, now))
    write("")
    write("KPIs:")
    write(kpi_text(incidents, changes, now))
    return "\n".join(out) + "\n"
