"""check_conformance on a small, hand-worked log: every measure against figures worked out by hand.

The log (lifecycle: tests/conformance/helpers.py, one observation an hour):

====  ==========================================  =========================================
A     new work done closed                        conforms
B     new waiting done closed                     new -> waiting refused (work skipped)
C     work done closed                            starts mid-lifecycle, not marked
D     work done closed (truncated)                a truncated prefix
E     new new zzz done                            a self-loop and an unknown state
F     new done work done work done closed         reopened twice, allowed
G     new done closed work                        closed -> work refused (a reopen)
====  ==========================================  =========================================
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from itilkit.conformance import ConformanceReport, Trace, Verdict, check_conformance
from itilkit.errors import InvalidInputError
from itilkit.sla import BusinessCalendar, WeeklySchedule

from .helpers import T0, ticket_lifecycle, trace

HOUR = timedelta(hours=1)


def log() -> list[Trace]:
    """The seven tickets of the module docstring."""
    return [
        trace("A", "new", "work", "done", "closed", attributes={"priority": "1"}),
        trace("B", "new", "waiting", "done", "closed", attributes={"priority": "1"}),
        trace("C", "work", "done", "closed", attributes={"priority": "2"}),
        trace("D", "work", "done", "closed", truncated=True),
        trace("E", "new", "new", "zzz", "done"),
        trace("F", "new", "done", "work", "done", "work", "done", "closed"),
        trace("G", "new", "done", "closed", "work"),
    ]


@pytest.fixture(scope="module")
def report() -> ConformanceReport:
    """The log checked against the ticket lifecycle."""
    return check_conformance(log(), ticket_lifecycle(), by=("priority",), examples=2)


def test_verdicts_and_counts(report: ConformanceReport) -> None:
    """Two conform, one is a truncated prefix, four deviate."""
    assert (report.tickets, report.events) == (7, 29)
    assert (report.conforming, report.truncated, report.deviating) == (2, 1, 4)
    assert report.conformance_rate == 2 / 7
    verdicts = {t.id: t.verdict for t in report.traces}
    assert verdicts == {
        "A": Verdict.CONFORMS,
        "B": Verdict.DEVIATES,
        "C": Verdict.DEVIATES,
        "D": Verdict.TRUNCATED,
        "E": Verdict.DEVIATES,
        "F": Verdict.CONFORMS,
        "G": Verdict.DEVIATES,
    }


def test_fitness_per_ticket_and_over_the_log(report: ConformanceReport) -> None:
    """fitness = 1 - cost / (events + 1): one move costs B 1/5, C 1/4, E 1/4, G 1/5."""
    fitness = {t.id: t.fitness for t in report.traces}
    assert fitness == {"A": 1.0, "B": 0.8, "C": 0.75, "D": 1.0, "E": 0.75, "F": 1.0, "G": 0.8}
    f = report.fitness
    assert (f.cost, f.bound, f.perfect) == (4, 35, 3)
    assert f.log_fitness == pytest.approx(1 - 4 / 35)
    assert f.mean == pytest.approx(6.1 / 7)
    assert f.median == 0.8
    assert f.perfect_share == 3 / 7
    assert (f.log_moves, f.model_moves) == (2, 2)


def test_disallowed_steps_with_times_and_examples(report: ConformanceReport) -> None:
    """Each refused step once, with when it was seen and in which ticket."""
    rows = [(s.source, s.target, s.occurrences, s.tickets, s.examples) for s in report.disallowed]
    assert rows == [("closed", "work", 1, 1, ("G",)), ("new", "waiting", 1, 1, ("B",))]
    assert report.disallowed_tickets == 2
    closed_work = report.disallowed[0]
    assert closed_work.first_at == closed_work.last_at == T0 + 3 * HOUR


def test_skipped_states(report: ConformanceReport) -> None:
    """B skipped work between new and waiting; C skipped new before its start."""
    rows = {(s.source, s.skipped, s.target): s.tickets for s in report.skipped}
    assert rows == {("new", ("work",), "waiting"): 1, (None, ("new",), "work"): 1}


def test_starts_and_ends(report: ConformanceReport) -> None:
    """C's start is a violation, D's a truncated prefix; E and G end open."""
    starts = report.starts
    assert starts.states == {"new": 5, "work": 2}
    assert starts.initial == 5
    assert (starts.truncated.tickets, starts.truncated.examples) == (1, ("D",))
    assert (starts.violations.tickets, starts.violations.examples) == (1, ("C",))
    ends = report.ends
    assert ends.states == {"closed": 5, "done": 1, "work": 1}
    assert (ends.terminal, ends.open, ends.violations.tickets) == (5, 2, 0)


def test_unknown_states_and_self_loops_apart_from_steps(report: ConformanceReport) -> None:
    """zzz is unknown; E's repeated new is a self-loop, not a deviation."""
    assert [(u.state, u.occurrences, u.examples) for u in report.unknown_states] == [
        ("zzz", 1, ("E",))
    ]
    loops = report.self_loops
    assert (loops.occurrences, loops.tickets, loops.examples) == (1, 1, ("E",))


def test_reopens(report: ConformanceReport) -> None:
    """F reopens twice along the allowed done -> work; G once, from closed, refused."""
    r = report.reopens
    assert (r.occurrences, r.tickets, r.repeated, r.allowed, r.disallowed) == (3, 2, 1, 2, 1)
    assert r.rate == 2 / 7
    assert r.allowed_steps == (("done", "work"),)
    assert r.examples == ("F", "G")


def test_variants_most_frequent_first(report: ConformanceReport) -> None:
    """C and D share a sequence; ties list in sequence order."""
    top = report.variants[0]
    assert (top.states, top.tickets, top.conforming) == (("work", "done", "closed"), 2, 0)
    assert top.fitness == pytest.approx((0.75 + 1.0) / 2)
    assert top.share == 2 / 7
    assert report.variant_count == 6
    assert [v.tickets for v in report.variants] == [2, 1, 1, 1, 1, 1]


def test_time_impact(report: ConformanceReport) -> None:
    """Resolution times (to the last entry into done or closed); G ends reopened: unmeasured."""
    impact = report.time_impact
    assert (impact.conforming.count, impact.conforming.median) == (2, 3.5 * HOUR)
    assert impact.conforming.p90 == 4.7 * HOUR
    assert (impact.deviating.count, impact.deviating.median) == (3, 2 * HOUR)
    assert impact.deviating.p90 == 2.8 * HOUR
    assert (impact.truncated.count, impact.truncated.median) == (1, HOUR)
    assert impact.ratio == pytest.approx(2 / 3.5)
    assert impact.unmeasured == 1
    assert report.business_time_impact is None


def test_model_use(report: ConformanceReport) -> None:
    """Six of the ten allowed steps were taken; the note self-loop is no step."""
    used = {(e.source, e.target): e.tickets for e in report.edges if e.occurrences}
    assert used == {
        ("new", "work"): 1,
        ("work", "done"): 4,
        ("done", "closed"): 6,
        ("waiting", "done"): 1,
        ("new", "done"): 2,
        ("done", "work"): 1,
    }
    dead = {(e.source, e.target) for e in report.dead_edges}
    assert dead == {
        ("work", "waiting"),
        ("waiting", "work"),
        ("new", "dropped"),
        ("work", "dropped"),
    }
    assert report.used_share == 0.6
    assert next(
        e for e in report.edges if e.source == "waiting" and e.target == "done"
    ).transitions == ("resolve",)


def test_breakdowns(report: ConformanceReport) -> None:
    """Per priority: tickets, verdicts, rate, mean fitness and top deviations; absent as None."""
    groups = {g.value: g for g in report.breakdowns["priority"]}
    assert list(groups) == [None, "1", "2"]
    one = groups["1"]
    assert (one.tickets, one.conforming, one.deviating, one.rate) == (2, 1, 1, 0.5)
    assert one.mean_fitness == pytest.approx(0.9)
    assert one.top_deviations == (("new", "waiting", 1),)
    assert groups[None].tickets == 4


def test_month_breakdown_from_the_start() -> None:
    """ "month" groups by the month the ticket started in, in its own offset."""
    traces = [trace("A", "new", "done"), trace("B", "new", "done", opened_at=T0 - 40 * 24 * HOUR)]
    months = check_conformance(traces, ticket_lifecycle()).breakdowns["month"]
    assert [(g.value, g.tickets) for g in months] == [("2026-01", 1), ("2026-03", 1)]


def test_prefix_starts_makes_every_mid_lifecycle_start_a_prefix() -> None:
    """With prefix_starts, C is a truncated prefix too, and its fitness 1."""
    report = check_conformance(log(), ticket_lifecycle(), prefix_starts=True)
    assert (report.conforming, report.truncated, report.deviating) == (2, 2, 3)
    assert report.starts.violations.tickets == 0
    assert report.starts.truncated.examples == ("C", "D")
    assert not any(s.source is None for s in report.skipped)


def test_require_final_makes_open_ends_violations() -> None:
    """E and G must still reach a terminal state: skipped closing steps are charged."""
    report = check_conformance(log(), ticket_lifecycle(), require_final=True)
    assert report.ends.violations.examples == ("E", "G")
    fitness = {t.id: t.fitness for t in report.traces}
    # bound = events + 2 (new, dropped); E needs done -> closed after its log move
    assert fitness["E"] == 1 - 2 / 5
    assert fitness["A"] == 1.0
    assert {s.target for s in report.skipped} == {"waiting", "work", None}


def test_business_time_impact_with_a_calendar() -> None:
    """With a calendar, resolution times are also measured in business time."""
    calendar = BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "09:00-10:00"}))
    report = check_conformance(log(), ticket_lifecycle(), calendar=calendar)
    business = report.business_time_impact
    assert business is not None
    # Monday 2 March 2026 09:00 UTC: an hour of business time that day, at most
    assert business.conforming.median == HOUR
    assert business.deviating.count == 3


def test_exclusions_and_empty_input() -> None:
    """Empty traces and repeated ids are excluded with examples; no traces, no figures."""
    traces = [Trace("X", []), trace("A", "new"), trace("A", "new", "work")]
    report = check_conformance(traces, ticket_lifecycle())
    assert {k: (v.tickets, v.examples) for k, v in report.excluded.items()} == {
        "no observations": (1, ("X",)),
        "duplicate id": (1, ("A",)),
    }
    assert report.tickets == 1
    empty = check_conformance([], ticket_lifecycle())
    assert (empty.tickets, empty.conformance_rate, empty.fitness.mean) == (0, None, None)
    assert empty.used_share == 0.0
    json.dumps(empty.to_dict())


def test_dict_form_is_json_with_stable_keys(report: ConformanceReport) -> None:
    """to_dict dumps to JSON as it is; its keys are the documented ones."""
    data = report.to_dict()
    assert list(data) == [
        "definition",
        "mapping",
        "options",
        "tickets",
        "events",
        "excluded",
        "verdicts",
        "conformance_rate",
        "fitness",
        "disallowed_tickets",
        "disallowed",
        "skipped",
        "starts",
        "ends",
        "unknown_states",
        "self_loops",
        "reopens",
        "variants",
        "time_impact",
        "breakdowns",
        "edges",
    ]
    assert json.loads(json.dumps(data)) == data
    assert data["disallowed"][0] == {
        "source": "closed",
        "target": "work",
        "occurrences": 1,
        "tickets": 1,
        "first_at": "2026-03-02T12:00:00+00:00",
        "last_at": "2026-03-02T12:00:00+00:00",
        "examples": ["G"],
    }
    assert data["time_impact"]["calendar"]["conforming"]["median"] == 3.5 * 3600
    with_traces = report.to_dict(traces=True)
    assert with_traces["traces"][1] == {"id": "B", "verdict": "deviates", "fitness": 0.8, "cost": 1}


def test_definition_hash_follows_content() -> None:
    """The same definition hashes alike; any change to it changes the hash."""
    a = check_conformance([], ticket_lifecycle()).definition_hash
    assert a == check_conformance([], ticket_lifecycle()).definition_hash
    assert a != check_conformance([], ticket_lifecycle(hold_from_new=True)).definition_hash
    assert len(a) == 16


def test_generators_are_read_once() -> None:
    """traces may be any iterable, read in one pass."""
    report = check_conformance((t for t in log()), ticket_lifecycle())
    assert report.tickets == 7


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"definition": "ticket"}, "LifecycleDefinition"),
        ({"traces": [("A", [])]}, "item 0 is tuple"),
        ({"traces": trace("A", "new")}, "iterable of Trace"),
        ({"by": ("priority", "priority")}, "distinct attributes"),
        ({"by": ("",)}, "distinct attributes"),
        ({"top": -1}, "top must be an int"),
        ({"examples": True}, "examples must be an int"),
        ({"calendar": "UTC"}, "elapsed"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, object], message: str) -> None:
    """Every argument is checked, with a message saying what is allowed."""
    call: dict[str, object] = {"traces": log(), "definition": ticket_lifecycle(), **arguments}
    with pytest.raises(InvalidInputError, match=message):
        check_conformance(**call)  # type: ignore[arg-type]


def test_require_final_needs_a_terminal_state() -> None:
    """A lifecycle without terminal states cannot require final ends."""
    from itilkit.lifecycle import LifecycleDefinition, State, Transition

    loop = LifecycleDefinition(
        "loop",
        [State("a", "new", initial=True), State("b", "active")],
        [Transition("go", "a", "b")],
    )
    with pytest.raises(InvalidInputError, match="has none"):
        check_conformance([], loop, require_final=True)
