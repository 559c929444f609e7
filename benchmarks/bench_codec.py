"""The codec: an incident with an 8-record history through itilkit.codec, beside the
hand-written attrs.asdict + json path and pickle; then 100,000 incidents as JSON lines.

Run: ``.venv/bin/python -m benchmarks.bench_codec`` (``--lines N`` for fewer incidents).
Prints Markdown tables for docs/performance.md.

Every decoder builds a checked ``Incident`` (its constructor runs the invariant check:
the history replays under the practice), so the rows differ only in how the data is
written and read: itilkit's strict converter (every type checked, typed history
changes, the practice resolved by name), a hand codec of the kind a user writes
without one (``attrs.asdict`` with a value serializer, ``json``, and 30 lines reading
each field back by hand, trusting the data), and ``pickle`` of the fields (the
practice, which pickle cannot hold, named by its ref). "no constructor" rows rebuild
the object without the invariant check, the floor of each format.
"""

from __future__ import annotations

import argparse
import enum
import io
import json
import pickle
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from benchmarks._harness import Case, measure, table
from benchmarks._tickets import sample_incident
from itilkit import codec
from itilkit.categories import StateCategory
from itilkit.lifecycle import FieldChange, TransitionRecord
from itilkit.practices import (
    DEFAULT_PRACTICES,
    Assignment,
    HoldReason,
    Impact,
    Incident,
    Note,
    PracticeRef,
    Priority,
    Resolution,
    ResolutionCode,
    Urgency,
)

_FIELDS = [f.name for f in attrs.fields(Incident) if f.name != "practice"]


# -- the hand codec: attrs.asdict + json ------------------------------------------------


def _serialise(_instance: object, _field: object, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def hand_dumps(incident: Incident) -> str:
    """The incident as JSON through attrs.asdict (the practice by its ref)."""
    data = attrs.asdict(
        incident, filter=lambda a, _: a.name != "practice", value_serializer=_serialise
    )
    data["practice"] = [incident.practice.ref.name, incident.practice.ref.version]
    return json.dumps(data)


def _at(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _resolution(d: dict[str, Any] | None) -> Resolution | None:
    if d is None:
        return None
    return Resolution(datetime.fromisoformat(d["at"]), d["actor"], ResolutionCode(d["code"]),
                      d["notes"])  # fmt: skip


_BY_FIELD: dict[str, Callable[[Any], Any]] = {
    "assignment": lambda d: None if d is None else Assignment(**d),
    "assigned_at": _at, "acknowledged_at": _at, "closed_at": _at,
    "hold_reason": lambda v: None if v is None else HoldReason(v),
    "impact": lambda d: Impact(d["level"]), "urgency": lambda d: Urgency(d["level"]),
    "priority": lambda d: Priority(d["level"]), "resolution": _resolution,
    "resolutions": lambda ds: tuple(_resolution(d) for d in ds),
    "notes": lambda ds: tuple(Note(datetime.fromisoformat(d["at"]), d["author"], d["text"],
                                   d["public"]) for d in ds),
}  # fmt: skip


def _record(d: dict[str, Any]) -> TransitionRecord:
    same: Callable[[Any], Any] = lambda v: v  # noqa: E731
    changes = tuple(
        FieldChange(c["field"], _BY_FIELD.get(c["field"], same)(c["old"]),
                    _BY_FIELD.get(c["field"], same)(c["new"])) for c in d["changes"]
    )  # fmt: skip
    return TransitionRecord(d["transition"], d["source"], d["target"],
                            datetime.fromisoformat(d["at"]), d["actor"], d["reason"], changes,
                            StateCategory(d["source_category"]),
                            StateCategory(d["target_category"]))  # fmt: skip


def hand_fields(text: str) -> dict[str, Any]:
    """The incident's fields read back by hand from hand_dumps' JSON, trusting the data."""
    data = json.loads(text)
    name, version = data.pop("practice")
    fields = {k: _BY_FIELD.get(k, lambda v: v)(v) for k, v in data.items()}
    fields["opened_at"] = datetime.fromisoformat(fields["opened_at"])
    fields["history"] = tuple(_record(r) for r in data["history"])
    fields["practice"] = DEFAULT_PRACTICES.get(name, version)
    return fields


def hand_loads(text: str) -> Incident:
    """hand_fields through the constructor (the invariant check runs)."""
    return Incident(**hand_fields(text))


# -- pickle ------------------------------------------------------------------------------


def pickle_dumps(incident: Incident) -> bytes:
    """The incident's fields and its practice's ref."""
    ref = incident.practice.ref
    return pickle.dumps(((ref.name, ref.version), {n: getattr(incident, n) for n in _FIELDS}))


def pickle_fields(data: bytes) -> dict[str, Any]:
    ref, fields = pickle.loads(data)
    fields["practice"] = DEFAULT_PRACTICES.resolve(PracticeRef(*ref))
    return fields  # type: ignore[no-any-return]


def pickle_loads(data: bytes) -> Incident:
    return Incident(**pickle_fields(data))


def _bare(fields: dict[str, Any]) -> Incident:
    """An Incident from its fields without the constructor (no check at all)."""
    made = object.__new__(Incident)
    object.__setattr__(made, "__dict__", fields)
    return made


def one_incident() -> str:
    """Encode plus decode of one incident with an 8-record history, every path."""
    incident = sample_incident()
    itilkit = codec.default_codec()
    data, text = itilkit.encode(incident), itilkit.dumps(incident, indent=None)
    hand, pickled = hand_dumps(incident), pickle_dumps(incident)
    assert itilkit.decode(data) == incident
    assert itilkit.loads(text) == incident
    assert hand_loads(hand) == incident
    assert pickle_loads(pickled) == incident
    assert _bare(hand_fields(hand)) == incident
    cases = [
        Case("itilkit.codec: encode + decode (data, no JSON text)",
             lambda: itilkit.decode(itilkit.encode(incident))),
        Case("itilkit.codec: dumps + loads (JSON text)",
             lambda: itilkit.loads(itilkit.dumps(incident, indent=None))),
        Case("itilkit.codec: encode only", lambda: itilkit.encode(incident)),
        Case("itilkit.codec: decode only", lambda: itilkit.decode(data)),
        Case("attrs.asdict + json, hand decoder: dumps + loads",
             lambda: hand_loads(hand_dumps(incident))),
        Case("attrs.asdict + json, hand decoder, no constructor",
             lambda: _bare(hand_fields(hand_dumps(incident)))),
        Case("pickle of the fields: dumps + loads", lambda: pickle_loads(pickle_dumps(incident))),
        Case("pickle of the fields, no constructor",
             lambda: _bare(pickle_fields(pickle_dumps(incident)))),
        Case("Incident(**fields): the constructor and its invariant check alone",
             lambda: Incident(**pickle_fields(pickled))),
        Case("floor: json.loads of the document's text, nothing built",
             lambda: json.loads(text)),
        Case("floor: json.dumps of the document's data", lambda: json.dumps(data)),
        Case("floor: pickle dumps + loads of the history alone, no check",
             lambda: pickle.loads(pickle.dumps(incident.history))),
    ]  # fmt: skip
    sizes = (
        f"Sizes: itilkit JSON {len(text):,} bytes, hand JSON {len(hand):,} bytes, "
        f"pickle {len(pickled):,} bytes.\n"
    )
    return (
        table(
            "One incident with an 8-record history, encode + decode (per incident)",
            measure(cases, repeats=7),
            cases[1].name,
        )
        + "\n"
        + sizes
    )


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _through_lines(
    incidents: list[Incident], dumps: Callable[[Incident], str], loads: Callable[[str], Incident]
) -> tuple[float, float, int]:
    """Seconds to write the incidents as JSON lines, to read them back, and the bytes."""
    buffer = io.StringIO()
    write = _timed(lambda: buffer.writelines(dumps(i) + "\n" for i in incidents))
    lines = buffer.getvalue().splitlines()
    back: list[Incident] = []
    read = _timed(lambda: back.extend(loads(line) for line in lines))
    assert back == incidents
    return write, read, len(buffer.getvalue())


def json_lines(count: int) -> str:
    """``count`` distinct incidents written to JSON lines and read back, every path."""
    incidents = [sample_incident(n) for n in range(count)]
    itilkit = codec.default_codec()
    rows = []
    paths: list[tuple[str, Callable[[Incident], str], Callable[[str], Incident]]] = [
        ("itilkit.codec (dumps / loads)", lambda i: itilkit.dumps(i, indent=None),
         lambda line: itilkit.loads(line, Incident)),
        ("attrs.asdict + json, hand decoder", hand_dumps, hand_loads),
    ]  # fmt: skip
    for name, dumps, loads in paths:
        rows.append((name, *_through_lines(incidents, dumps, loads)))
    blobs: list[bytes] = []
    write = _timed(lambda: blobs.extend(pickle_dumps(i) for i in incidents))
    back: list[Incident] = []
    read = _timed(lambda: back.extend(pickle_loads(b) for b in blobs))
    assert back == incidents
    rows.append(
        ("pickle of the fields (one pickle per incident)", write, read, sum(map(len, blobs)))
    )
    lines = [
        f"### {count:,} incidents (8-record histories) as JSON lines, written then read back",
        "",
        "| path | write | read | write + read per incident | size |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, write, read, size in rows:
        per = (write + read) / count * 1e6
        lines.append(f"| {name} | {write:.2f} s | {read:.2f} s | {per:,.1f} µs | "
                     f"{size / 1e6:,.1f} MB |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="incidents as JSON lines")
    options = parser.parse_args()
    import platform

    import cattrs

    print(f"Python {platform.python_version()}; cattrs {_version(cattrs)}\n")
    print(one_incident())
    print(json_lines(options.lines))
    sys.stdout.flush()


def _version(module: Any) -> str:
    from importlib.metadata import version

    return version(module.__name__)


if __name__ == "__main__":
    main()
