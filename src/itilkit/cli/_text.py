"""The report and the conformance report as terminal text, drawn from their JSON form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from itilkit.cli._format import count, duration, fraction, percent, rate, table
from itilkit.cli._rows import (
    BREAKDOWN_HEADERS,
    DURATION_HEADERS,
    SOURCES,
    STEP_HEADERS,
    breakdown_rows,
    duration_rows,
    rate_rows,
    step_rows,
)

__all__ = ["conformance_text", "comparison_text", "report_text"]

#: Rows shown of long breakdowns (groups, months, periods) in the terminal.
TOP = 12


def _rate(data: Mapping[str, Any]) -> str:
    return rate(data["hits"], data["population"], data["rate"])


def _excluded(excluded: Mapping[str, Any], indent: str = "  ") -> list[str]:
    return [
        f"{indent}excluded, {reason}: {count(t['count'])}"
        + (f" (e.g. {', '.join(t['examples'][:3])})" if t["examples"] else "")
        for reason, t in excluded.items()
    ]


def _refused(changes: Mapping[str, Any]) -> list[str]:
    """The changes the change practice refused, by reason (an export's changes only)."""
    if not changes.get("refused"):
        return []
    lines = [f"  refused by the change practice: {count(changes['refused'])}"]
    lines += [
        f"  {count(group['count']):>7}  {group['reason']}"
        for group in changes["refused_by_reason"][:5]
    ]
    return lines


def _quality(files: Sequence[Mapping[str, Any]]) -> list[str]:
    if not files:
        return []
    rows = [
        [f["path"].rsplit("/", 1)[-1], count(f["rows"]), count(f["records"]), count(f["malformed"])]
        for f in files
    ]
    lines = ["Data quality", table(["file", "rows", "records", "malformed rows"], rows)]
    for f in files:
        name = f["path"].rsplit("/", 1)[-1]
        if f["malformed_by_kind"]:
            kinds = ", ".join(f"{k} {count(n)}" for k, n in f["malformed_by_kind"].items())
            lines.append(f"  {name}: malformed rows by kind: {kinds}")
            for problems in f["examples"].values():
                for p in problems[:2]:
                    ticket = f" ({p['ticket']})" if p["ticket"] else ""
                    lines.append(f"    line {p['row']}{ticket}: {p['reason']}")
        if f["blank_rows"]:
            lines.append(f"  {name}: {count(f['blank_rows'])} blank rows skipped")
        lines.extend(f"  {name}: {note}: {count(n)}" for note, n in f["notes"].items())
        if not f["complete"]:
            lines.append(f"  {name}: the read stopped before the end of the file")
    return lines


def _durations(title: str, result: Mapping[str, Any]) -> list[str]:
    rows = duration_rows(result)
    return [title, table(DURATION_HEADERS, rows), *_excluded(result["excluded"])]


def _rates(columns: Mapping[str, Mapping[str, Any]], first: str = "priority") -> str:
    return table([first, *columns], rate_rows(columns))


def _incidents(data: Mapping[str, Any]) -> list[str]:
    lines = [f"Incidents: {count(data['tickets'])}", ""]
    lines += _durations("Time to resolve (calendar time), by priority", data["time_to_resolve"])
    if data["business_time_to_resolve"] is not None:
        lines += [
            "",
            *_durations(
                "Time to resolve (business time on the calendar), by priority",
                data["business_time_to_resolve"],
            ),
        ]
    columns = {
        "reopen rate": data["reopen_rate"],
        "first-assignment resolution": data["first_assignment_resolution"],
    }
    lines += ["", "Rates over resolved incidents, by priority", _rates(columns)]
    if data["export_sla"] is not None:
        made = data["export_sla"]
        lines += ["", "The export's own SLA flag (made_sla), by priority"]
        rows = [[str(g["value"]), _rate(g["tickets"])] for g in made["groups"]] + [
            ["all", _rate(made["overall"]["tickets"])]
        ]
        lines.append(table(["priority", "made SLA"], rows))
    return lines


def _sla_rows(groups: Sequence[Mapping[str, Any]], targets: Sequence[str]) -> list[list[str]]:
    rows = []
    for g in groups:
        value = g["value"]
        cells = ["(none)" if value is None else str(value)]
        for name in targets:
            t = g["targets"][name]
            done = t["met"] + t["breached"]
            cells.append(f"{percent(t['compliance'])} of {count(done)}")
        rows.append(cells)
    return rows


def _sla(data: Mapping[str, Any]) -> list[str]:
    targets = list(data["overall"]["targets"])
    policy = data["policy"].get("name", "?")
    lines = [
        f"SLA: policy {policy!r} over the incidents' histories, as of {data['now']}",
        f"  tickets {count(data['tickets'])}, measured {count(data['measured'])}, "
        f"excluded {count(len(data['excluded']))}",
    ]
    lines.extend(
        f"    excluded {e['ticket']}: {e['error']}: {e['reason']}" for e in data["excluded"][:5]
    )
    rows = [
        [
            name,
            count(t["met"]),
            count(t["breached"]),
            count(t["in_progress"]),
            count(t["canceled"]),
            percent(t["compliance"]),
        ]
        for name, t in data["overall"]["targets"].items()
    ]
    headers = ["target", "met", "breached", "in progress", "canceled", "compliance"]
    lines += [table(headers, rows), ""]
    lines += [
        "Compliance by priority",
        table(["priority", *targets], _sla_rows(data["by_priority"], targets)),
    ]
    if data["by_group"] is not None:
        busiest = sorted(data["by_group"], key=lambda g: -g["tickets"]["population"])[:TOP]
        lines += [
            "",
            f"Compliance by group (the {len(busiest)} with most tickets)",
            table(["group", *targets], _sla_rows(busiest, targets)),
        ]
    months = [{**g, "value": str(g["value"])[:7]} for g in data["by_month"][-TOP:]]
    lines += [
        "",
        f"Compliance by month opened (last {len(months)})",
        table(["month", *targets], _sla_rows(months, targets)),
    ]
    return lines


def _backlog(data: Mapping[str, Any]) -> list[str]:
    points = data["points"]
    if not points:
        return ["Backlog: no tickets"]
    peak = max(points, key=lambda p: p["open"])
    shown = points[-TOP:]
    rows = [[p["start"], count(p["opened"]), count(p["ended"]), count(p["open"])] for p in shown]
    return [
        f"Backlog per {data['period']}: {len(points)} periods, peak {count(peak['open'])} open "
        f"at the end of the {data['period']} of {peak['start']}",
        table([data["period"], "opened", "ended", "open at end"], rows),
    ]


def _conformance_summary(data: Mapping[str, Any]) -> list[str]:
    lines = [
        f"Conformance to lifecycle {data['definition']!r} ({data['definition_hash']})",
        f"  tickets {count(data['tickets'])}: conform {count(data['conforming'])}, "
        f"truncated {count(data['truncated'])}, deviate {count(data['deviating'])} "
        f"(conformance rate {percent(data['conformance_rate'])}, "
        f"log fitness {fraction(data['fitness']['log_fitness'])})",
        f"  start outside the initial state: {count(data['start_violations'])}; "
        f"disallowed steps in {count(data['disallowed_tickets'])} tickets",
    ]
    if data["disallowed"]:
        rows = step_rows(data["disallowed"])
        lines.append(table(STEP_HEADERS, rows))
    lines += ["", "Conformance by priority", _breakdown("priority", data["by_priority"])]
    return lines


def _breakdown(name: str, groups: Sequence[Mapping[str, Any]]) -> str:
    return table([name, *BREAKDOWN_HEADERS], breakdown_rows(groups))


def _breakdowns(breakdowns: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    """Each breakdown as a table: the last months in order, any other attribute's busiest
    values; the groups left out counted."""
    lines = []
    for name, groups in breakdowns.items():
        if name == "month":
            months: Sequence[Mapping[str, Any]] = sorted(
                groups, key=lambda g: (g["value"] is None, g["value"] or "")
            )
            shown, rest, which = months[-TOP:], months[:-TOP], "earlier"
            title = f"Conformance by month started{f' (the last {TOP})' if rest else ''}"
        else:
            shown, rest, which = groups[:TOP], groups[TOP:], "more"
            title = f"Conformance by {name}{f' (the {TOP} with most tickets)' if rest else ''}"
        lines += ["", title, _breakdown(name, shown)]
        if rest:
            tickets = sum(g["tickets"] for g in rest)
            lines.append(f"  and {count(len(rest))} {which}, with {count(tickets)} tickets")
    return lines


def _impact(clock: str, impact: Mapping[str, Any]) -> list[str]:
    rows = [
        [
            name,
            count(impact[name]["count"]),
            duration(impact[name]["median"]),
            duration(impact[name]["p90"]),
        ]
        for name in ("conforming", "truncated", "deviating")
    ]
    ratio = impact["ratio"]
    return [
        "",
        f"Time to resolve by verdict, {clock}"
        + ("" if ratio is None else f" (deviating / conforming median: {ratio:.2f})"),
        table(["verdict", "tickets", "median", "p90"], rows),
    ]


def report_text(data: Mapping[str, Any]) -> str:
    """The report's JSON form as terminal text."""
    lines = [
        f"itilkit report: {SOURCES.get(data['source'], data['source'])}, times in "
        f"{data['zone']}, as of {data['as_of'] or '-'}",
        *(["", *_quality(data["files"])] if data["files"] else []),
    ]
    if data["links"] is not None:
        rows = [
            [
                c["column"],
                f"{c['source']} -> {c['target']}",
                count(c["links"]),
                count(c["several"]),
                count(c["resolved"]),
                count(c["dangling"]),
            ]
            for c in data["links"]["counts"]
        ]
        headers = ["link", "from -> to", "set", "#MULTIVALUE", "resolved", "dangling"]
        lines += ["", "Links between the files", table(headers, rows)]
    if data["incidents"] is not None:
        lines += ["", *_incidents(data["incidents"])]
    if data["sla"] is not None:
        lines += ["", *_sla(data["sla"])]
    if data["backlog"] is not None:
        lines += ["", *_backlog(data["backlog"])]
    if data["interactions"] is not None:
        fcr = data["interactions"]["first_contact_resolution"]
        lines += [
            "",
            f"Interactions: {count(data['interactions']['interactions'])}",
            "First-contact resolution (the export's flag), by priority",
            _rates({"first-contact resolution": fcr}),
            *_excluded(fcr["excluded"]),
        ]
    if data["changes"] is not None:
        changes = data["changes"]
        columns = {
            "implemented by the planned end"
            if data["source"] != "store"
            else "successful": changes["success"],
            "emergency ratio": changes["emergency_ratio"],
        }
        lines += [
            "",
            f"Changes: {count(changes['changes'])}",
            _rates(columns, "risk assessment"),
            *_excluded(changes["success"]["excluded"]),
            *_refused(changes),
        ]
    if data["conformance"] is not None:
        lines += ["", *_conformance_summary(data["conformance"])]
    return "\n".join(lines) + "\n"


def conformance_text(data: Mapping[str, Any], files: Sequence[Mapping[str, Any]] = ()) -> str:
    """A conformance report's ``to_dict()`` as terminal text, after the data quality of
    the ``files`` it read (as the report's JSON form lists them)."""
    verdicts = data["verdicts"]
    fitness = data["fitness"]
    lines = [
        *([*_quality(files), ""] if files else []),
        f"Conformance to lifecycle {data['definition']['name']!r} ({data['definition']['hash']})",
        f"  tickets {count(data['tickets'])}, events {count(data['events'])}",
        f"  conform {count(verdicts['conforms'])}, truncated {count(verdicts['truncated'])}, "
        f"deviate {count(verdicts['deviates'])}: conformance rate "
        f"{percent(data['conformance_rate'])}",
        f"  fitness: mean {fraction(fitness['mean'])}, median {fraction(fitness['median'])}, "
        f"log {fraction(fitness['log_fitness'])}",
    ]
    for reason, seen in data["excluded"].items():
        lines.append(f"  excluded, {reason}: {count(seen['tickets'])}")
    if data["disallowed"]:
        rows = step_rows(data["disallowed"])
        lines += ["", table(STEP_HEADERS, rows)]
    if data["skipped"]:
        rows = [
            [
                f"{s['source'] or '(start)'} -> [{', '.join(s['skipped'])}] -> "
                f"{s['target'] or '(end)'}",
                count(s["tickets"]),
                ", ".join(s["examples"][:3]),
            ]
            for s in data["skipped"][:TOP]
        ]
        lines += ["", table(["skipped states", "tickets", "examples"], rows)]
    starts = data["starts"]
    lines += [
        "",
        "Starts: " + ", ".join(f"{k} {count(v)}" for k, v in starts["states"].items()),
        f"  truncated prefixes {count(starts['truncated']['tickets'])}, "
        f"start violations {count(starts['violations']['tickets'])}",
    ]
    reopens = data["reopens"]
    lines.append(
        f"Reopens: {count(reopens['occurrences'])} in {count(reopens['tickets'])} tickets "
        f"({percent(reopens['rate'])}), {count(reopens['disallowed'])} not allowed"
    )
    lines.append(f"Self-loops (no-op updates): {count(data['self_loops']['occurrences'])}")
    if data["unknown_states"]:
        lines.append(
            "Unknown states: "
            + ", ".join(f"{u['state']} {count(u['occurrences'])}" for u in data["unknown_states"])
        )
    rows = [
        [
            " > ".join(v["states"]),
            count(v["tickets"]),
            percent(v["share"]),
            "yes" if v["conforming"] == v["tickets"] else "no",
        ]
        for v in data["variants"]["top"]
    ]
    lines += [
        "",
        f"Variants: {count(data['variants']['distinct'])} distinct",
        table(["states", "tickets", "share", "conforms"], rows),
    ]
    impact = data["time_impact"]
    lines += _impact("calendar time", impact["calendar"])
    if impact["business"] is not None:
        lines += _impact("business time on the calendar", impact["business"])
    lines += _breakdowns(data["breakdowns"])
    dead = data["edges"]["dead"]
    lines += [
        "",
        f"Allowed steps never taken: {len(dead)} (steps used: "
        f"{percent(data['edges']['used_share'])})",
    ]
    lines.extend(f"  {e['source']} -> {e['target']}" for e in dead[:TOP])
    return "\n".join(lines) + "\n"


def comparison_text(data: Mapping[str, Any]) -> str:
    """A comparison's ``to_dict()`` as terminal text: the two summaries side by side."""
    first, second = data["first"], data["second"]
    keys = [
        ("tickets", count),
        ("conforming", count),
        ("truncated", count),
        ("deviating", count),
        ("conformance_rate", percent),
        ("disallowed_tickets", count),
        ("start_violations", count),
        ("dead_edges", count),
        ("used_share", percent),
    ]
    rows = [[key, fmt(first[key]), fmt(second[key])] for key, fmt in keys]
    rows.append(
        [
            "log_fitness",
            fraction(first["fitness"]["log_fitness"]),
            fraction(second["fitness"]["log_fitness"]),
        ]
    )
    lines = [
        "Two lifecycles over the same histories",
        table(["", first["definition"], second["definition"]], rows),
    ]
    for what in ("removed", "added"):
        steps = data["deviations"][what]
        if steps:
            rows = [
                [f"{s['source']} -> {s['target']}", count(s["first"]), count(s["second"])]
                for s in steps
            ]
            lines += [
                "",
                f"Deviations {what} by the second",
                table(["step", "first", "second"], rows),
            ]
    if data["flips"]:
        rows = [
            [f"{f['before']} -> {f['after']}", count(f["tickets"]), ", ".join(f["examples"][:3])]
            for f in data["flips"]
        ]
        lines += ["", table(["verdict change", "tickets", "examples"], rows)]
    return "\n".join(lines) + "\n"
