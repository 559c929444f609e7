"""The report as one self-contained HTML page: charts as inline SVG, no script, no network.

The page is drawn from the report's JSON form. Its Content-Security-Policy
forbids scripts and every fetch, so what a browser shows is what the file holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from itilkit.cli._format import count, duration, fraction, percent
from itilkit.cli._rows import (
    BREAKDOWN_HEADERS,
    DURATION_HEADERS,
    SOURCES,
    STEP_HEADERS,
    breakdown_rows,
    duration_rows,
    rate_keys,
    rate_rows,
    step_rows,
)
from itilkit.cli._svg import bar_chart, line_chart, stacked_bar

__all__ = ["report_html"]

_STYLE = """
body { font-family: system-ui, sans-serif; color: #222; margin: 0 auto; max-width: 980px;
       padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-top: 2em; }
h3 { margin-bottom: 0.3em; }
.meta { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 1.5em; color: #0072B2; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f2f5f8; }
figure { margin: 12px 0 20px; }
figcaption { color: #555; font-size: 0.9em; }
.note { color: #555; font-size: 0.92em; }
code { background: #f2f5f8; padding: 0 3px; }
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _cards(items: Sequence[tuple[str, str]]) -> str:
    cards = "".join(
        f'<div class="card"><b>{escape(value)}</b>{escape(label)}</div>' for label, value in items
    )
    return f'<div class="cards">{cards}</div>'


def _unit(seconds: Sequence[float]) -> tuple[float, str]:
    """The unit a set of durations reads best in: minutes, hours or days."""
    top = max(seconds, default=0.0)
    if top < 2 * 3600:
        return 60.0, "minutes"
    return (3600.0, "hours") if top < 96 * 3600 else (86400.0, "days")


def _pct(value: float) -> str:
    return f"{value:.0f} %"


def _durations(title: str, result: Mapping[str, Any], clock: str) -> str:
    groups = [g for g in result["groups"] if g["count"]]
    if not groups:
        return f"<p class='note'>{escape(title)}: no resolved tickets.</p>"
    seconds = [g[k] for g in groups for k in ("median", "p90") if g.get(k) is not None]
    scale, unit = _unit(seconds)
    names = [str(g["value"]) for g in groups]

    def series(key: str) -> list[float | None]:
        return [None if g.get(key) is None else g[key] / scale for g in groups]

    svg = bar_chart(
        title,
        names,
        [("median", series("median")), ("90th percentile", series("p90"))],
        y_label=f"{clock} ({unit})",
        x_label="priority",
        fmt=lambda v: f"{v:.1f}" if v < 10 else f"{v:.0f}",
    )
    excluded = "; ".join(f"{k}: {count(t['count'])}" for k, t in result["excluded"].items())
    caption = f"Opened to resolved, {clock}. Left out: {excluded or 'none'}."
    return _figure(svg, caption) + _table(DURATION_HEADERS, duration_rows(result))


def _rates(title: str, results: Mapping[str, Mapping[str, Any]], x_label: str) -> str:
    keys = rate_keys(results)
    series: list[Any] = []
    for name, result in results.items():
        by = {g["value"]: g["rate"] for g in result["groups"]}
        series.append((name, [None if by.get(k) is None else 100 * by[k] for k in keys]))
    names = [str(k) for k in keys]
    svg = bar_chart(title, names, series, y_label="share (%)", x_label=x_label, fmt=_pct, top=100.0)
    return _figure(svg, title) + _table([x_label, *results], rate_rows(results))


def _quality(files: Sequence[Mapping[str, Any]]) -> str:
    parts = ["<h2 id='quality'>Data quality</h2>"]
    rows = [
        [
            f["path"].rsplit("/", 1)[-1],
            count(f["rows"]),
            count(f["records"]),
            count(f["blank_rows"]),
            count(f["malformed"]),
        ]
        for f in files
    ]
    parts.append(_table(["file", "rows", "records", "blank rows", "malformed rows"], rows))
    for f in files:
        name = escape(f["path"].rsplit("/", 1)[-1])
        if f["malformed_by_kind"]:
            parts.append(f"<h3>{name}: malformed rows by kind</h3>")
            for kind, n in f["malformed_by_kind"].items():
                examples = f["examples"].get(kind, [])
                rows = [[str(p["row"]), p["ticket"] or "-", p["reason"]] for p in examples]
                parts.append(f"<p><code>{escape(kind)}</code>: {count(n)} rows; for example</p>")
                parts.append(_table(["line", "ticket", "reason"], rows))
        else:
            parts.append(f"<p class='note'>{name}: every row was read.</p>")
        if f["notes"]:
            notes = [[note, count(n)] for note, n in f["notes"].items()]
            parts.append(_table(["finding (not an error)", "count"], notes))
    return "".join(parts)


def _sla(data: Mapping[str, Any]) -> str:
    targets = list(data["overall"]["targets"])
    policy = data["policy"].get("name", "?")
    parts = [
        "<h2 id='sla'>SLA compliance</h2>",
        f"<p class='meta'>Policy <b>{escape(policy)}</b> applied to every incident's history "
        f"by itilkit's SLA engine, as of {escape(data['now'])}. Compliance = met / (met + "
        "breached).</p>",
        _cards(
            [
                (f"{t} compliance", percent(data["overall"]["targets"][t]["compliance"]))
                for t in targets
            ]
            + [
                ("tickets measured", count(data["measured"])),
                ("tickets excluded", count(len(data["excluded"]))),
            ]
        ),
    ]

    def series_of(groups: Sequence[Mapping[str, Any]]) -> list[Any]:
        return [
            (
                name,
                [
                    None
                    if g["targets"][name]["compliance"] is None
                    else 100 * g["targets"][name]["compliance"]
                    for g in groups
                ],
            )
            for name in targets
        ]

    groups = data["by_priority"]
    parts.append(
        _figure(
            bar_chart(
                "SLA compliance by priority",
                [str(g["value"]) for g in groups],
                series_of(groups),
                y_label="compliance (%)",
                x_label="priority",
                fmt=_pct,
                top=100.0,
            ),
            "Share of completed SLA clocks that were met, per target.",
        )
    )
    months = data["by_month"]
    if len(months) > 1:
        parts.append(
            _figure(
                line_chart(
                    "SLA compliance by month opened",
                    [str(g["value"])[:7] for g in months],
                    series_of(months),
                    y_label="compliance (%)",
                    x_label="month opened",
                    fmt=_pct,
                    top=100.0,
                ),
                "Compliance of the tickets opened in each month.",
            )
        )
    if data["by_group"] is not None:
        busiest = sorted(data["by_group"], key=lambda g: -g["tickets"]["population"])[:15]
        parts.append(
            _figure(
                bar_chart(
                    "SLA compliance of the 15 busiest groups",
                    [str(g["value"]).replace("Group ", "G") for g in busiest],
                    series_of(busiest),
                    y_label="compliance (%)",
                    x_label="assignment group",
                    fmt=_pct,
                    top=100.0,
                    width=900,
                ),
                "The groups with most measured tickets; 'G56' is 'Group 56'.",
            )
        )
    if data["excluded"]:
        rows = [[e["ticket"], e["error"], e["reason"]] for e in data["excluded"][:20]]
        parts.append(
            f"<h3>Tickets excluded from the SLA figures ({count(len(data['excluded']))})</h3>"
        )
        parts.append(_table(["ticket", "error", "reason"], rows))
    return "".join(parts)


def _backlog(data: Mapping[str, Any]) -> str:
    points = data["points"]
    if not points:
        return ""
    labels = [p["start"] for p in points]
    series: list[Any] = [
        ("open at the end", [float(p["open"]) for p in points]),
        ("opened", [float(p["opened"]) for p in points]),
        ("ended", [float(p["ended"]) for p in points]),
    ]
    period = data["period"]
    svg = line_chart(
        f"Backlog per {period}",
        labels,
        series,
        y_label="tickets",
        x_label=f"{period} starting",
        fmt=lambda v: f"{v:,.0f}",
    )
    caption = (
        f"Tickets opened and ended (resolved or closed) in each {period}, and still open at "
        f"its end; every {period} is shown, empty ones as zero."
    )
    return "<h2 id='backlog'>Backlog over time</h2>" + _figure(svg, caption)


def _conformance(data: Mapping[str, Any]) -> str:
    parts = [
        "<h2 id='conformance'>Conformance to the lifecycle</h2>",
        f"<p class='meta'>Histories replayed through lifecycle <b>{escape(data['definition'])}"
        f"</b> (<code>{escape(data['definition_hash'])}</code>).</p>",
        _figure(
            stacked_bar(
                "Tickets by verdict",
                [
                    ("conform", data["conforming"]),
                    ("truncated prefix", data["truncated"]),
                    ("deviate", data["deviating"]),
                ],
            ),
            f"Log fitness {fraction(data['fitness']['log_fitness'])}; "
            f"{count(data['start_violations'])} tickets start outside the initial state.",
        ),
    ]
    if data["disallowed"]:
        rows = step_rows(data["disallowed"], "→")
        parts.append("<h3>Moves the lifecycle does not allow</h3>")
        parts.append(_table(["step", *STEP_HEADERS[1:]], rows))
    rows = [
        [" → ".join(v["states"]), count(v["tickets"]), percent(v["share"])]
        for v in data["variants"]
    ]
    parts.append("<h3>Commonest paths</h3>" + _table(["states", "tickets", "share"], rows))
    rows = breakdown_rows(data["by_priority"], "→")
    parts.append("<h3>By priority</h3>" + _table(["priority", *BREAKDOWN_HEADERS], rows))
    return "".join(parts)


def _section(title: str, anchor: str, body: str) -> str:
    return f"<h2 id='{anchor}'>{escape(title)}</h2>{body}"


def report_html(data: Mapping[str, Any]) -> str:
    """The report's JSON form as one self-contained HTML page."""
    source = SOURCES.get(data["source"], data["source"])
    files = ", ".join(f["path"].rsplit("/", 1)[-1] for f in data["files"])
    body: list[str] = [
        f"<h1>itilkit report: {escape(source)}</h1>",
        f"<p class='meta'>{escape(files)}; times read in {escape(data['zone'])}; "
        f"as of {escape(data['as_of'] or '-')}.</p>",
    ]
    cards: list[tuple[str, str]] = []
    incidents = data["incidents"]
    if incidents is not None:
        cards.append(("incidents", count(incidents["tickets"])))
        median = incidents["time_to_resolve"]["overall"]["median"]
        cards.append(("median time to resolve", duration(median)))
        cards.append(("reopen rate", percent(incidents["reopen_rate"]["overall"]["rate"])))
    if data["interactions"] is not None:
        fcr = data["interactions"]["first_contact_resolution"]["overall"]
        cards.append(("first-contact resolution", percent(fcr["rate"])))
    if data["changes"] is not None:
        cards.append(("changes", count(data["changes"]["changes"])))
    body.append(_cards(cards))
    if incidents is not None:
        sections = [
            _durations(
                "Time to resolve by priority", incidents["time_to_resolve"], "calendar time"
            ),
        ]
        if incidents["business_time_to_resolve"] is not None:
            sections.append(
                _durations(
                    "Time to resolve in business hours",
                    incidents["business_time_to_resolve"],
                    "business time",
                )
            )
        sections.append(
            _rates(
                "Reopen rate and first-assignment resolution",
                {
                    "reopen rate": incidents["reopen_rate"],
                    "first-assignment resolution": incidents["first_assignment_resolution"],
                },
                "priority",
            )
        )
        if incidents["export_sla"] is not None:
            made = incidents["export_sla"]
            results = {
                "made_sla (the export's flag)": {
                    "overall": made["overall"]["tickets"],
                    "groups": [{"value": g["value"], **g["tickets"]} for g in made["groups"]],
                }
            }
            sections.append(_rates("The export's own SLA flag", results, "priority"))
        body.append(_section("Incidents", "incidents", "".join(sections)))
    if data["sla"] is not None:
        body.append(_sla(data["sla"]))
    if data["backlog"] is not None:
        body.append(_backlog(data["backlog"]))
    if data["interactions"] is not None:
        fcr_result = data["interactions"]["first_contact_resolution"]
        body.append(
            _section(
                "Interactions",
                "interactions",
                _rates(
                    "First-contact resolution by priority",
                    {"first-contact resolution": fcr_result},
                    "priority",
                ),
            )
        )
    if data["changes"] is not None:
        changes = data["changes"]
        judged = data["source"] != "store"
        note = (
            "<p class='note'>The export records no change outcome: a change counts as "
            "successful when its actual end is not after its planned end.</p>"
            if judged
            else "<p class='note'>A change counts as successful when its review says so.</p>"
        )
        if changes.get("refused"):
            note += (
                f"<p class='note'>{count(changes['refused'])} changes the change practice "
                "refused are left out (the JSON lists each reason).</p>"
            )
        success = "implemented by the planned end" if judged else "successful"
        body.append(
            _section(
                "Changes",
                "changes",
                note
                + _rates(
                    "Changes implemented by their planned end, and emergency changes"
                    if judged
                    else "Successful changes, and emergency changes",
                    {
                        success: changes["success"],
                        "emergency ratio": changes["emergency_ratio"],
                    },
                    "risk assessment",
                ),
            )
        )
    if data["links"] is not None:
        rows = [
            [
                c["column"],
                f"{c['source']} → {c['target']}",
                count(c["links"]),
                count(c["several"]),
                count(c["resolved"]),
                count(c["dangling"]),
            ]
            for c in data["links"]["counts"]
        ]
        body.append(
            _section(
                "Links between the files",
                "links",
                _table(["link", "from → to", "set", "#MULTIVALUE", "resolved", "dangling"], rows),
            )
        )
    if data["conformance"] is not None:
        body.append(_conformance(data["conformance"]))
    if data["files"]:
        body.append(_quality(data["files"]))
    title = f"itilkit report: {source}"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
