"""The ``itilkit`` command: its arguments, its subcommands and how it fails.

Data goes to stdout (or ``--output FILE``), messages and progress to stderr.
Exit codes: 0 done; 1 the run failed (a file missing or unreadable, a file of
the wrong kind, a bad calendar or lifecycle document, ...): one line on
stderr says what and where, never a traceback; 2 the command line is wrong
(argparse's usage errors); 3 ``conformance --fail-under`` found the
conformance rate below the threshold; 130 interrupted.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from itilkit._repr import shown
from itilkit._version import __version__
from itilkit.cli._demo import PRACTICE as DEMO_PRACTICE
from itilkit.cli._demo import demo_text
from itilkit.cli._format import table
from itilkit.cli._html import report_html
from itilkit.cli._import import import_data, import_practices, import_text, importer
from itilkit.cli._progress import ProgressLine
from itilkit.cli._store import command_practices, is_store, load_tickets, save_tickets
from itilkit.cli._text import comparison_text, conformance_text, report_text
from itilkit.codec import Catalog, Codec, dumps, load
from itilkit.conformance import check_conformance, compare_conformance
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError, StorageError
from itilkit.interop import SERVICENOW_STATES, read_servicenow_incidents, servicenow_trace
from itilkit.lifecycle import LifecycleDefinition, to_mermaid
from itilkit.metrics import Period
from itilkit.practices import Practice, Ticket
from itilkit.reports import (
    ExportKind,
    KpiReport,
    build_report,
    build_ticket_report,
    detect_export,
    named_lifecycle,
    read_data,
)
from itilkit.sla import BusinessCalendar, SlaPolicy

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BELOW_THRESHOLD, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: The JSON form of ``itilkit conformance --json``.
CONFORMANCE_KIND = "itilkit-conformance"


class UsageError(Exception):
    """The command line is not one the command takes."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors raised (one line, exit 2) instead of printed."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _path(text: str) -> Path:
    if not text or "\x00" in text or not Path(text).name:
        raise argparse.ArgumentTypeError(f"not a file name: {shown(text)}")
    return Path(text)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"not a fraction from 0 to 1: {text!r:.40}")
    return value


def _mapping(text: str) -> tuple[str, str]:
    source, equals, target = text.partition("=")
    if not equals or not source.strip() or not target.strip():
        raise argparse.ArgumentTypeError(f"not STATE=NAME: {text!r:.60}")
    return source.strip(), target.strip()


def _parser() -> _Parser:
    parser = _Parser(
        prog="itilkit",
        description="itilkit: ITSM exports in, reports out.",
        epilog="Exit codes: 0 done, 1 failed, 2 bad command line, 3 below --fail-under.",
    )
    parser.add_argument("--version", action="version", version=f"itilkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser(
        "report",
        help="KPIs, SLA compliance, backlog, conformance and data quality of an export",
        description="Read a ServiceNow incident event log, or HP Service Manager incident, "
        "interaction and change exports, or the tickets of a store, and report what they hold.",
    )
    report.add_argument(
        "files",
        nargs="+",
        type=_path,
        metavar="FILE",
        help="a ServiceNow event log, or HP SM exports (.csv, .csv.xz, .csv.gz), or a store "
        "written by 'itilkit import --store'",
    )
    _source_option(report)
    _calendar_option(report, "default: itilkit's default SLA policy on a 24x7 clock")
    _zone_option(report)
    report.add_argument(
        "--period",
        choices=[p.value for p in Period],
        help="the backlog's period (default: by the data's span)",
    )
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="the report as JSON")
    form.add_argument("--html", action="store_true", help="the report as an HTML page")
    _practice_option(
        report,
        "a practice document (see docs/codec.md) the tickets of a store may name, besides "
        "the presets and the importers'",
    )
    _common(report)
    report.set_defaults(run=_report)

    conformance = commands.add_parser(
        "conformance",
        help="how a ServiceNow log's histories follow a lifecycle",
        description="Replay each incident's history through a lifecycle and report how "
        "the histories fit it.",
    )
    conformance.add_argument(
        "file", type=_path, metavar="FILE", help="a ServiceNow incident event log"
    )
    conformance.add_argument(
        "--definition",
        metavar="NAME|FILE",
        default="incident",
        help="a default lifecycle's name or a lifecycle document (default: incident)",
    )
    conformance.add_argument(
        "--compare",
        metavar="NAME|FILE",
        help="a second lifecycle, reported side by side with the first",
    )
    _map_option(conformance)
    _calendar_option(
        conformance, "the time impact of deviating also in business time on its calendar"
    )
    _zone_option(conformance)
    conformance.add_argument(
        "--prefix-starts",
        action="store_true",
        help="count every start outside the initial state as a truncated prefix",
    )
    conformance.add_argument(
        "--require-final", action="store_true", help="a history must end in a terminal state"
    )
    conformance.add_argument("--json", action="store_true", help="the report as JSON")
    conformance.add_argument(
        "--traces", action="store_true", help="with --json, each ticket's verdict and fitness too"
    )
    conformance.add_argument(
        "--fail-under",
        type=_fraction,
        metavar="RATE",
        help="exit with 3 when the conformance rate is below RATE (0-1)",
    )
    _common(conformance)
    conformance.set_defaults(run=_conformance)

    importing = commands.add_parser(
        "import",
        help="turn exports into practice entities (and save them to a store)",
        description="Replay a ServiceNow incident event log, an HP SM incident export or an HP "
        "SM change export into entities of a practice (SERVICENOW_INCIDENT; HPSM_INCIDENT and "
        "HPSM_CHANGE for HP SM), reporting the rows "
        "that are malformed and the records the practice refuses, each with its line.",
    )
    importing.add_argument(
        "files",
        nargs="+",
        type=_path,
        metavar="FILE",
        help="ServiceNow logs, HP SM incident or change exports",
    )
    _source_option(importing)
    _zone_option(importing)
    _map_option(importing)
    importing.add_argument(
        "--strict", action="store_true", help="stop at the first malformed row or refused record"
    )
    importing.add_argument(
        "--store", type=_path, metavar="PATH", help="save the tickets to a SQLite store"
    )
    importing.add_argument("--json", action="store_true", help="the summary as JSON")
    _practice_option(
        importing,
        "a practice document (see docs/codec.md) to make the tickets of its kind with, in "
        "place of the importer's preset: one incident and one change practice at most",
    )
    _common(importing)
    importing.set_defaults(run=_import)

    demo = commands.add_parser(
        "demo",
        help="a worked scenario on the embedded defaults",
        description="A service desk's week on the embedded defaults (SQLite store, office "
        "calendar, default practices and SLA policy), on a fixed clock: histories, SLA clocks "
        "with their breach times, and KPIs.",
    )
    demo.add_argument(
        "-o", "--output", type=_path, metavar="FILE", help="write to FILE instead of stdout"
    )
    demo.set_defaults(run=_demo)

    lifecycle = commands.add_parser("lifecycle", help="the default lifecycles and definitions")
    actions = lifecycle.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="a lifecycle's states and transitions",
        description="Show a default lifecycle (by name) or a lifecycle document.",
    )
    show.add_argument(
        "name",
        metavar="NAME|FILE",
        help="incident, problem, known_error, service_request, change, or a file",
    )
    shape = show.add_mutually_exclusive_group()
    shape.add_argument("--mermaid", action="store_true", help="a Mermaid state diagram")
    shape.add_argument("--json", action="store_true", help="the lifecycle document")
    show.add_argument(
        "-o", "--output", type=_path, metavar="FILE", help="write to FILE instead of stdout"
    )
    show.set_defaults(run=_lifecycle_show)
    listing = actions.add_parser("list", help="the default lifecycles' names")
    listing.set_defaults(run=_lifecycle_list)
    return parser


def _practice_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument(
        "--practice",
        type=_path,
        action="append",
        default=[],
        metavar="FILE",
        help=f"{help} (repeatable)",
    )


def _practices(paths: Sequence[Path]) -> tuple[Practice, ...]:
    """The practice documents of ``--practice``; each may derive from a practice the
    command knows (the presets, the importers', the demo's)."""
    codec = Codec(practices=command_practices((DEMO_PRACTICE,)))
    return tuple(codec.load(path, Practice) for path in paths)


def _source_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        choices=("servicenow", "hpsm"),
        help="insist on a source (default: as each file's header says)",
    )


def _calendar_option(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--calendar",
        type=_path,
        metavar="FILE",
        help=f"a calendar or SLA-policy document (.json or .toml); {default}",
    )


def _zone_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        default="UTC",
        metavar="ZONE",
        help="the zone of the export's local times (default: UTC)",
    )


def _map_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--map",
        type=_mapping,
        action="append",
        default=[],
        metavar="STATE=NAME",
        help="map a ServiceNow state onto a lifecycle state (repeatable)",
    )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=_path, metavar="FILE", help="write to FILE instead of stdout"
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress line on stderr (default: when stderr is a terminal)",
    )


def _progress(args: argparse.Namespace) -> ProgressLine | None:
    shown = args.progress if args.progress is not None else sys.stderr.isatty()
    return ProgressLine(sys.stderr) if shown else None


def _calendar(path: Path | None) -> SlaPolicy | BusinessCalendar | None:
    if path is None:
        return None
    value = load(path)
    if isinstance(value, SlaPolicy | BusinessCalendar):
        return value
    raise InvalidInputError(
        f"{path} holds a {type(value).__name__} document; --calendar takes a calendar or an "
        "sla-policy document"
    )


def _definition(spec: str) -> LifecycleDefinition:
    """A lifecycle document file, or a default lifecycle's name."""
    path = Path(spec)
    if path.suffix in (".json", ".toml") or _is_file(path):
        return load(path, LifecycleDefinition)
    return named_lifecycle(spec)


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name no file can have (too long...) is none."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _write(text: str, output: Path | None) -> None:
    """``text`` to stdout, or to ``output`` whole (a temporary file renamed), never half."""
    if output is None:
        stream = sys.stdout
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            stream.write(text)
        else:
            stream.flush()
            buffer.write(text.encode("utf-8", "backslashreplace"))
        stream.flush()
        return
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", errors="backslashreplace") as file:
            file.write(text)
    except OSError as error:
        raise OutputError(f"cannot write {output}: {error.strerror or error}") from None
    try:
        os.replace(temporary, output)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError(f"cannot write {output}: {error.strerror or error}") from None
    sys.stderr.write(f"itilkit: wrote {output}\n")


class OutputError(Exception):
    """The run failed for a reason already worded for the user."""


def _report(args: argparse.Namespace) -> int:
    sla = _calendar(args.calendar)
    practices = _practices(args.practice)
    if len(args.files) == 1 and is_store(args.files[0]):
        report = build_ticket_report(
            load_tickets(args.files[0], practices=(DEMO_PRACTICE, *practices)),
            tz=args.tz,
            sla=sla,
            period=args.period,
        )
    elif practices:
        raise InvalidInputError(
            "--practice reads the tickets of a store; a report on exports reads their rows"
        )
    else:
        report = _export_report(args, sla)
    data = report.to_dict()
    if args.json:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif args.html:
        text = report_html(data)
    else:
        text = report_text(data)
    _write(text, args.output)
    return EXIT_OK


def _export_report(args: argparse.Namespace, sla: SlaPolicy | BusinessCalendar | None) -> KpiReport:
    progress = _progress(args)
    try:
        return build_report(
            args.files, source=args.source, tz=args.tz, sla=sla, period=args.period,
            progress=progress,
        )  # fmt: skip
    finally:
        if progress is not None:
            progress.clear()


def _conformance(args: argparse.Namespace) -> int:
    sla = _calendar(args.calendar)
    calendar = sla.calendar if isinstance(sla, SlaPolicy) else sla
    first = _definition(args.definition)
    second = None if args.compare is None else _definition(args.compare)
    kind = detect_export(args.file)
    if kind is not ExportKind.SERVICENOW:
        raise InvalidInputError(
            f"{args.file} is an {kind.value} export, which holds no state history; conformance "
            "reads a ServiceNow incident event log"
        )
    mapping = {**SERVICENOW_STATES, **dict(args.map)}
    progress = _progress(args)
    hook: Callable[[Any], None] | None = None
    if progress is not None:
        name = args.file.name
        hook = lambda step: progress(name, step)  # noqa: E731
    reading = read_servicenow_incidents(args.file, tz=args.tz, progress=hook)
    try:
        traces = [servicenow_trace(incident, mapping) for incident in reading]
    finally:
        if progress is not None:
            progress.clear()
    options = {
        "prefix_starts": args.prefix_starts,
        "require_final": args.require_final,
        "calendar": calendar,
    }
    report = check_conformance(traces, first, mapping=mapping, **options)
    comparison = None
    if second is not None:
        other = check_conformance(traces, second, mapping=mapping, **options)
        comparison = compare_conformance(report, other)
    files = [read_data(reading.report)]
    if args.json:
        data = {
            "kind": CONFORMANCE_KIND,
            "schema_version": 1,
            "files": files,
            "conformance": report.to_dict(traces=args.traces),
            "comparison": None if comparison is None else comparison.to_dict(),
            "second": None if comparison is None else comparison.second.to_dict(),
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = conformance_text(report.to_dict(), files)
        if comparison is not None:
            text += "\n" + comparison_text(comparison.to_dict())
    _write(text, args.output)
    rate = report.conformance_rate
    if args.fail_under is not None and (rate is None or rate < args.fail_under):
        shown = "-" if rate is None else f"{rate:.4f}"
        sys.stderr.write(f"itilkit: conformance rate {shown} is below {args.fail_under}\n")
        return EXIT_BELOW_THRESHOLD
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    if args.store is not None and args.store.exists() and not is_store(args.store):
        raise InvalidInputError(f"{args.store} is not a SQLite store; choose a new file or a store")
    mapping = dict(args.map)
    practices = import_practices(_practices(args.practice))
    progress = _progress(args)
    imports = []
    for path in args.files:
        hook: Callable[[Any], None] | None = None
        if progress is not None:
            name = path.name
            hook = lambda step, name=name: progress(name, step)  # noqa: E731
        imports.append(importer(
            path, source=args.source, tz=args.tz, mapping=mapping, strict=args.strict,
            progress=hook, practices=practices,
        ))  # fmt: skip
    tickets: list[Ticket] = []
    reports = []
    try:
        for imported, practice in imports:
            if args.store is None:  # stream: nothing is kept but the report
                collections.deque(imported, maxlen=0)
            else:  # kept for the one unit of work that saves them all or none
                tickets.extend(imported)
            reports.append((imported.report, str(practice.ref)))
    finally:
        if progress is not None:
            progress.clear()
    saved = None
    if args.store is not None:
        if progress is not None:
            progress.show(f"saving {len(tickets):,} tickets to {args.store}")
        try:
            saved = save_tickets(args.store, tickets, practices.values())
        except StorageError as error:
            raise OutputError(
                f"cannot save to {args.store}: {_one_line(error)}; nothing was written"
            ) from error
        finally:
            if progress is not None:
                progress.clear()
    data = import_data(reports, None if args.store is None else str(args.store), saved)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n" if args.json else import_text(data)
    _write(text, args.output)
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    _write(demo_text(), args.output)
    return EXIT_OK


def _lifecycle_show(args: argparse.Namespace) -> int:
    definition = _definition(args.name)
    if args.mermaid:
        text = to_mermaid(definition)
    elif args.json:
        text = dumps(definition) + "\n"
    else:
        text = _lifecycle_text(definition)
    _write(text, args.output)
    return EXIT_OK


def _lifecycle_text(definition: LifecycleDefinition) -> str:
    states = [
        [
            s.name,
            s.category.value,
            "yes" if s.initial else "",
            "yes" if s.final else "",
            ", ".join(sorted(s.required_fields)),
        ]
        for s in definition.states
    ]
    moves = [
        [
            t.name,
            ", ".join(t.sources),
            t.target,
            ", ".join(t.guards),
            ", ".join(sorted(t.required_fields)),
        ]
        for t in definition.transitions
    ]
    return (
        f"Lifecycle {definition.name!r}: {len(definition.states)} states, "
        f"{len(definition.transitions)} transitions\n\n"
        + table(["state", "category", "initial", "final", "requires"], states)
        + "\n\n"
        + table(["transition", "from", "to", "guards", "requires"], moves)
        + "\n"
    )


def _lifecycle_list(args: argparse.Namespace) -> int:
    catalog = Catalog.default()
    lines = [
        f"{name.split(' (')[0]:<16} {name!r}: {len(d.states)} states, "
        f"{len(d.transitions)} transitions"
        for name, d in catalog.lifecycles.items()
    ]
    _write("\n".join(lines) + "\n", None)
    return EXIT_OK


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    head, rest = lines[0], [line.removeprefix("- ") for line in lines[1:]]
    return head if not rest else f"{head}: {'; '.join(rest)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``itilkit`` command with ``argv`` (default: the process's) and return its
    exit code; every failure is one line on stderr.

    Raises:
        InvalidTypeError: ``argv`` is not None or a sequence of strings (a caller's
            bug, not a command line).
    """
    if argv is not None and (
        isinstance(argv, str | bytes)
        or not isinstance(argv, Sequence)
        or not all(isinstance(word, str) for word in argv)
    ):
        raise InvalidTypeError("argv", "None or a sequence of strings", argv)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        code: int = args.run(args)
        return code
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else EXIT_OK
    except UsageError as error:
        sys.stderr.write(f"itilkit: error: {_one_line(error)}\n")
        return EXIT_USAGE
    except (ItilkitError, OutputError) as error:
        sys.stderr.write(f"itilkit: error: {_one_line(error)}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("itilkit: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # stdout closed early (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as error:
        if os.environ.get("ITILKIT_DEBUG"):
            raise
        sys.stderr.write(
            f"itilkit: internal error: {type(error).__name__}: {_one_line(error)} (a bug: "
            "please report it; ITILKIT_DEBUG=1 shows the traceback)\n"
        )
        return EXIT_FAILED
