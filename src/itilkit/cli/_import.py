"""``itilkit import``: exports in, practice entities out (and into a store), with a report.

Each file is told by its header: a ServiceNow incident event log becomes
incidents of :data:`~itilkit.interop.SERVICENOW_INCIDENT`, an HP SM incident export
incidents of :data:`~itilkit.interop.HPSM_INCIDENT`, an HP SM change export
changes of :data:`~itilkit.interop.HPSM_CHANGE`, unless ``--practice`` gives a
practice of that kind of ticket. The summary says what was
read, what was built, which rows were malformed and which records the practice
refused, each kind of reason with its count and first examples (line and
ticket).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from itilkit.cli._format import count, table
from itilkit.errors import InvalidInputError
from itilkit.interop import (
    HPSM_CHANGE,
    HPSM_INCIDENT,
    SERVICENOW_INCIDENT,
    SERVICENOW_STATES,
    Imported,
    ImportReport,
    ReadProgress,
    ServiceNowMapping,
    import_hpsm_changes,
    import_hpsm_incidents,
    import_servicenow_incidents,
)
from itilkit.practices import Practice, TicketKind
from itilkit.reports import ExportKind, detect_export

__all__ = ["IMPORT_KIND", "import_data", "import_practices", "import_text", "importer"]

#: The JSON form of ``itilkit import --json``.
IMPORT_KIND = "itilkit-import"
#: Refusal reasons listed per file, and examples per reason.
TOP, EXAMPLES = 10, 3


def import_practices(practices: Iterable[Practice]) -> dict[TicketKind, Practice]:
    """``--practice``'s practices by the kind of ticket each makes: one incident practice
    (for ServiceNow and HP SM incidents) and one change practice at most."""
    chosen: dict[TicketKind, Practice] = {}
    for practice in practices:
        if practice.kind not in (TicketKind.INCIDENT, TicketKind.CHANGE):
            raise InvalidInputError(
                f"--practice {practice.ref} is a {practice.kind.value} practice; import makes "
                "incidents and changes"
            )
        if practice.kind in chosen:
            raise InvalidInputError(
                f"--practice: two {practice.kind.value} practices ({chosen[practice.kind].ref} "
                f"and {practice.ref}); give one of each kind"
            )
        chosen[practice.kind] = practice
    return chosen


def importer(
    path: Path,
    *,
    source: str | None,
    tz: str,
    mapping: Mapping[str, str],
    strict: bool,
    progress: Callable[[ReadProgress], None] | None,
    practices: Mapping[TicketKind, Practice] | None = None,
) -> tuple[Imported[Any], Practice]:
    """The import of ``path``, by the kind its header names, and its practice: the one
    of ``practices`` for that kind of ticket, or the importer's preset."""
    kind = detect_export(path)
    if source is not None and kind.source != source:
        raise InvalidInputError(f"{path} is not a {source} export (its header says {kind.value})")
    given = practices or {}
    incidents = given.get(TicketKind.INCIDENT)
    if kind is ExportKind.SERVICENOW:
        chosen = ServiceNowMapping(states={**SERVICENOW_STATES, **mapping})
        practice = incidents or SERVICENOW_INCIDENT
        imported = import_servicenow_incidents(
            path, tz=tz, mapping=chosen, strict=strict, progress=progress, practice=practice
        )
        return imported, practice
    if mapping:
        raise InvalidInputError("--map is for ServiceNow logs; HP SM exports have no states")
    if kind is ExportKind.HPSM_INCIDENTS:
        practice = incidents or HPSM_INCIDENT
        return import_hpsm_incidents(
            path, tz=tz, strict=strict, progress=progress, practice=practice
        ), practice
    if kind is ExportKind.HPSM_CHANGES:
        practice = given.get(TicketKind.CHANGE) or HPSM_CHANGE
        return import_hpsm_changes(
            path, tz=tz, strict=strict, progress=progress, practice=practice
        ), practice
    raise InvalidInputError(
        f"{path} is an {kind.value} export; import makes entities of ServiceNow incident logs "
        "and HP SM incident and change exports (report reads interactions)"
    )


def import_data(
    reports: Sequence[tuple[ImportReport, str]], store: str | None, saved: int | None
) -> dict[str, Any]:
    """The import's JSON form: each file's read and build, refusals by reason."""
    files = []
    for report, practice in reports:
        data = report.to_dict(problems=False)
        data["practice"] = practice
        data["refused_by_reason"] = report.refused_by_reason(EXAMPLES)
        files.append(data)
    return {
        "kind": IMPORT_KIND,
        "schema_version": 1,
        "files": files,
        "store": store,
        "saved": saved,
    }


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def import_text(data: Mapping[str, Any]) -> str:
    """The import's summary as terminal text."""
    rows = []
    for f in data["files"]:
        read = f["read"]
        rows.append(
            [
                _name(read["path"]),
                count(read["rows"]),
                count(read["records"]),
                count(read["malformed"]),
                count(f["refused"]),
                count(f["entities"]),
                f["practice"],
            ]
        )
    headers = ["file", "rows", "records", "malformed rows", "refused", "entities", "practice"]
    lines = ["Import", table(headers, rows)]
    for f in data["files"]:
        lines.extend(_details(f))
    if data["store"] is not None:
        lines.append(f"saved {count(data['saved'])} tickets to {data['store']}")
    return "\n".join(lines) + "\n"


def _details(f: Mapping[str, Any]) -> Iterator[str]:
    read = f["read"]
    name = _name(read["path"])
    if read["malformed_by_kind"]:
        kinds = ", ".join(f"{k} {count(n)}" for k, n in read["malformed_by_kind"].items())
        yield f"  {name}: malformed rows by kind: {kinds}"
    reasons = f["refused_by_reason"]
    if reasons:
        yield f"  {name}: refused by practice {f['practice']}:"
    for group in reasons[:TOP]:
        shown = ", ".join(
            f"line {e['row']}" + (f" ({e['ticket']})" if e["ticket"] else "")
            for e in group["examples"]
        )
        yield f"    {count(group['count'])}  {group['reason']} (e.g. {shown})"
    if len(reasons) > TOP:
        rest = sum(g["count"] for g in reasons[TOP:])
        yield f"    {count(rest)}  for {len(reasons) - TOP} other reasons (see --json)"
    for note, n in [*read["notes"].items(), *f["notes"].items()]:
        yield f"  {name}: {note}: {count(n)}"
    if not read["complete"]:
        yield f"  {name}: the import stopped before the end of the file"
