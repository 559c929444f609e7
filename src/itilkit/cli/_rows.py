"""The rows of the report's tables, from its JSON form: one source for the terminal
table and the HTML page, so both always show the same figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from itilkit.cli._format import count, duration, fraction, percent, rate

__all__ = [
    "BREAKDOWN_HEADERS",
    "DURATION_HEADERS",
    "SOURCES",
    "STEP_HEADERS",
    "breakdown_rows",
    "duration_rows",
    "rate_keys",
    "rate_rows",
    "step_rows",
]

#: What each report source is, as a title says it.
SOURCES = {
    "servicenow": "ServiceNow incident event log",
    "hpsm": "HP Service Manager exports",
    "store": "tickets of a store",
}
DURATION_HEADERS = ["priority", "resolved", "median", "mean", "p90"]
STEP_HEADERS = ["disallowed step", "tickets", "times", "examples"]
#: The columns after a conformance breakdown's first (its attribute's value).
BREAKDOWN_HEADERS = [
    "tickets",
    "conform",
    "truncated",
    "deviate",
    "rate",
    "fitness",
    "top deviation",
]


def _duration_row(label: str, stats: Mapping[str, Any]) -> list[str]:
    return [
        label,
        count(stats["count"]),
        duration(stats["median"]),
        duration(stats["mean"]),
        duration(stats.get("p90")),
    ]


def duration_rows(result: Mapping[str, Any]) -> list[list[str]]:
    """A duration result's groups, then ``all``."""
    rows = [_duration_row(str(g["value"]), g) for g in result["groups"]]
    return [*rows, _duration_row("all", result["overall"])]


def rate_keys(results: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """The group values of several rate results, in their first-seen order."""
    keys: list[Any] = []
    for result in results.values():
        keys.extend(g["value"] for g in result["groups"] if g["value"] not in keys)
    return keys


def rate_rows(results: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """A row per group value (then ``all``), a column per rate result."""
    rows = []
    for key in [*rate_keys(results), "all"]:
        row = [str(key)]
        for result in results.values():
            found = (
                result["overall"]
                if key == "all"
                else next((g for g in result["groups"] if g["value"] == key), None)
            )
            row.append("-" if found is None else rate(found["hits"], found["population"],
                                                      found["rate"]))  # fmt: skip
        rows.append(row)
    return rows


def step_rows(steps: Sequence[Mapping[str, Any]], arrow: str = "->") -> list[list[str]]:
    """Disallowed steps: the step, tickets, occurrences, three examples."""
    return [
        [
            f"{s['source']} {arrow} {s['target']}",
            count(s["tickets"]),
            count(s["occurrences"]),
            ", ".join(s["examples"][:3]),
        ]
        for s in steps
    ]


def breakdown_rows(groups: Sequence[Mapping[str, Any]], arrow: str = "->") -> list[list[str]]:
    """Conformance breakdown groups: the value, the verdicts' counts, the conformance rate,
    the mean fitness and the commonest disallowed step."""
    rows = []
    for g in groups:
        top = g["top_deviations"]
        step = "-"
        if top:
            step = f"{top[0]['source']} {arrow} {top[0]['target']} ({count(top[0]['occurrences'])})"
        rows.append(
            [
                "(none)" if g["value"] is None else str(g["value"]),
                count(g["tickets"]),
                count(g["conforming"]),
                count(g["truncated"]),
                count(g["deviating"]),
                percent(g["rate"]),
                fraction(g["mean_fitness"]),
                step,
            ]
        )
    return rows
