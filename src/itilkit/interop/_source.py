"""Reading an export file: opening it, its header, its rows, and what went wrong where.

A :class:`Reading` is what every reader returns: iterate it for records (each
iteration reads the file afresh, streaming), then ask its :attr:`~Reading.report`
what was read and which rows were malformed, each with its line number and
reason. A malformed row is never dropped silently: it is reported and the
read carries on, or, in strict mode, :class:`~itilkit.errors.MalformedRowError`
stops the read at the first one.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import lzma
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import attrs

from itilkit._enums import Vocabulary
from itilkit._fields import check_fields
from itilkit._repr import shown
from itilkit.errors import (
    ExportFormatError,
    ExportReadError,
    InvalidInputError,
    InvalidTypeError,
    MalformedRowError,
)

__all__ = ["ProblemKind", "ReadProgress", "ReadReport", "Reading", "RowProblem"]

R = TypeVar("R")
T = TypeVar("T")
#: The progress hook is called after every this many rows, and once at the end.
PROGRESS_EVERY = 16_384


class ProblemKind(Vocabulary):
    """Why a row was not read into a record.

    .. versionadded:: 0.2
    """

    FIELD_COUNT = "field_count"
    MISSING_VALUE = "missing_value"
    BAD_VALUE = "bad_value"
    UNKNOWN_STATE = "unknown_state"
    IMPOSSIBLE_ORDER = "impossible_order"
    DUPLICATE = "duplicate"
    NOT_CONTIGUOUS = "not_contiguous"
    #: the record was read, but the practice refuses it as an entity (an import)
    REFUSED = "refused"


@attrs.frozen
class RowProblem:
    """A row left out: its line number in the file (the header is line 1), ticket and reason."""

    __attrs_post_init__ = check_fields

    row: int
    ticket: str | None
    kind: ProblemKind
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "row": self.row,
            "ticket": self.ticket,
            "kind": self.kind.value,
            "reason": self.reason,
        }


@attrs.frozen
class ReadReport:
    """What a read found: rows read, records made, and every row left out with its reason.

    ``notes`` counts findings that are not errors (for example gaps in
    ServiceNow's update counter). ``complete`` is False while the read is
    still under way or when it stopped early.

    .. versionadded:: 0.2
    """

    __attrs_post_init__ = check_fields

    path: str
    kind: str
    rows: int
    records: int
    blank_rows: int
    problems: tuple[RowProblem, ...]
    notes: Mapping[str, int] = attrs.field(hash=False)
    complete: bool

    @property
    def malformed(self) -> int:
        """Rows left out as malformed."""
        return len(self.problems)

    def counts(self) -> dict[str, int]:
        """Malformed rows by :class:`ProblemKind`, most frequent first."""
        return dict(Counter(p.kind.value for p in self.problems).most_common())

    def to_dict(self, *, problems: bool = True) -> dict[str, Any]:
        """Plain values; each problem listed unless ``problems=False``."""
        data: dict[str, Any] = {
            "path": self.path,
            "kind": self.kind,
            "rows": self.rows,
            "records": self.records,
            "blank_rows": self.blank_rows,
            "malformed": self.malformed,
            "malformed_by_kind": self.counts(),
            "notes": dict(self.notes),
            "complete": self.complete,
        }
        if problems:
            data["problems"] = [p.to_dict() for p in self.problems]
        return data


@attrs.frozen
class ReadProgress:
    """How far a read has come: rows, bytes of the file consumed, its size, done or not."""

    __attrs_post_init__ = check_fields

    rows: int
    bytes_read: int
    bytes_total: int | None
    done: bool

    @property
    def fraction(self) -> float | None:
        """Bytes read over the file's size (None when the size is unknown)."""
        if not self.bytes_total:
            return None
        return min(1.0, self.bytes_read / self.bytes_total)


class Rows:
    """One pass over an export: its rows, with the bookkeeping of the report."""

    def __init__(
        self,
        path: Path,
        kind: str,
        *,
        delimiter: str,
        encoding: str,
        strict: bool,
        progress: Callable[[ReadProgress], None] | None,
    ) -> None:
        self.path = path
        self.label = str(path)
        self.kind = kind
        self.strict = strict
        self.progress = progress
        self.rows = self.records = self.blank = 0
        self.problems: list[RowProblem] = []
        self.notes = Counter[str]()
        self.complete = False
        self.raw = _open_binary(path, self.label)
        try:
            self.size: int | None = os.fstat(self.raw.fileno()).st_size
        except (OSError, AttributeError, io.UnsupportedOperation):
            self.size = None
        try:
            text = io.TextIOWrapper(_decompressed(self.raw, path), encoding=encoding, newline="")
            self.reader = csv.reader(text, delimiter=delimiter)
            self.header = [
                name.strip() for name in self._guard(lambda: next(self.reader, None)) or []
            ]
        except BaseException:
            self.raw.close()
            raise
        self.width = len(self.header)

    def columns(self, required: Sequence[str], optional: Sequence[str]) -> dict[str, int]:
        """The index of each column present; raise if a required one is absent."""
        index: dict[str, int] = {}
        for i, name in enumerate(self.header):
            if name:
                index.setdefault(name, i)
        missing = [name for name in required if name not in index]
        if missing:
            self.close()
            raise ExportFormatError(self.label, self.kind, missing, [n for n in self.header if n])
        return {name: index[name] for name in (*required, *optional) if name in index}

    def _guard(self, step: Callable[[], Any]) -> Any:
        try:
            return step()
        except (OSError, EOFError, lzma.LZMAError, UnicodeDecodeError, csv.Error) as error:
            line = getattr(self.reader, "line_num", 0) if hasattr(self, "reader") else 0
            raise ExportReadError(self.label, f"{error} (after line {line})") from error

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """Each row with ``width`` fields, as (line number, fields); blank rows are counted."""
        reader, width, progress = self.reader, self.width, self.progress
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (OSError, EOFError, lzma.LZMAError, UnicodeDecodeError, csv.Error) as error:
                raise ExportReadError(
                    self.label, f"{error} (after line {reader.line_num})"
                ) from error
            self.rows += 1
            if progress is not None and not self.rows % PROGRESS_EVERY:
                progress(self._progress(False))
            if (not row or not row[0]) and not any(row):
                self.blank += 1
            elif len(row) != width:
                self.problem(
                    reader.line_num,
                    None,
                    ProblemKind.FIELD_COUNT,
                    f"the row has {len(row)} fields, the header {width}",
                )
            else:
                yield reader.line_num, row

    def _progress(self, done: bool) -> ReadProgress:
        try:
            at = self.raw.tell()
        except (OSError, ValueError):
            at = 0
        return ReadProgress(self.rows, at, self.size, done)

    def problem(self, row: int, ticket: str | None, kind: ProblemKind, reason: str) -> None:
        """Report a malformed row; in strict mode stop the read with it."""
        self.problems.append(RowProblem(row, ticket, kind, reason))
        if self.strict:
            raise MalformedRowError(self.label, row, ticket, reason)

    def finish(self) -> None:
        """The read got to the end of the file."""
        self.complete = True
        if self.progress is not None:
            self.progress(self._progress(True))

    def close(self) -> None:
        """Close the file."""
        self.raw.close()

    def report(self) -> ReadReport:
        """The report as it stands."""
        return ReadReport(
            self.label,
            self.kind,
            self.rows,
            self.records,
            self.blank,
            tuple(self.problems),
            dict(self.notes),
            self.complete,
        )


def grouped(
    rows: Rows, items: Iterable[tuple[str, int, T]], *, contiguous: bool, what: str
) -> Iterator[tuple[str, list[T]]]:
    """Group ``(key, line, item)`` by key: as they come when the file keeps each key's
    rows together (a key seen again later is reported and its rows left out), or,
    with ``contiguous=False``, every group held until the end, in first-seen order.
    """
    if not contiguous:
        groups: dict[str, list[T]] = {}
        for key, _, item in items:
            group = groups.get(key)
            if group is None:
                group = groups[key] = []
            group.append(item)
        yield from groups.items()
        return
    finished: set[str] = set()
    current: str | None = None
    group = []
    for key, line, item in items:
        if key != current:
            if current is not None:
                finished.add(current)
                yield current, group
            current, group = key, []
            if key in finished:
                current = None
        if current is None:
            rows.problem(
                line,
                key,
                ProblemKind.NOT_CONTIGUOUS,
                f"{what} {key} appears again after its rows ended; the rows of one {what} "
                "must be contiguous (read with contiguous=False to allow any order)",
            )
            continue
        group.append(item)
    if current is not None:
        yield current, group


def _check_encoding(encoding: object) -> None:
    if not isinstance(encoding, str):
        raise InvalidTypeError("encoding", "the name of a text encoding, such as 'utf-8'", encoding)
    try:
        codecs.lookup(encoding)
    except (LookupError, ValueError):  # unknown, or not a name at all (NUL, surrogates)
        raise InvalidInputError(
            f"unknown encoding {shown(encoding)}; use a codec name such as 'utf-8' or 'cp1252'"
        ) from None


def _open_binary(path: Path, label: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as error:
        raise ExportReadError(label, error.strerror or str(error)) from error
    except ValueError as error:  # a NUL in the name
        raise ExportReadError(label[:80], str(error)) from error


def _decompressed(raw: IO[bytes], path: Path) -> IO[bytes]:
    suffix = path.suffix.lower()
    if suffix == ".xz":
        return lzma.open(raw)
    if suffix == ".gz":
        return gzip.open(raw)  # type: ignore[return-value]
    return raw


class Reading(Generic[R]):
    """An export being read: iterate for its records, then read :attr:`report`.

    Every iteration opens the file afresh and streams it, so a large file is
    never held in memory; :attr:`report` describes the latest iteration (as
    far as it has come).

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        kind: str,
        records: Callable[[Rows], Iterator[R]],
        *,
        delimiter: str,
        encoding: str,
        strict: bool,
        progress: Callable[[ReadProgress], None] | None,
    ) -> None:
        if not isinstance(path, str | os.PathLike):
            raise InvalidTypeError("path", "a str or a path", path)
        text = os.fspath(path)
        if not isinstance(text, str):
            raise InvalidTypeError("path", "a str or a path of str", path)
        if "\0" in text:
            raise InvalidInputError("path must not contain NUL characters")
        _check_encoding(encoding)
        if progress is not None and not callable(progress):
            raise InvalidInputError(f"progress must be callable or None, got {shown(progress)}")
        if not isinstance(kind, str):
            raise InvalidTypeError("kind", "a str", kind)
        if not callable(records):
            raise InvalidTypeError("records", "a callable making records of rows", records)
        if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
            raise InvalidInputError(
                f"delimiter must be one character (not a quote or a line end), got "
                f"{shown(delimiter)}"
            )
        self.path = Path(path)
        self.kind = kind
        self._records = records
        self._options = {"delimiter": delimiter, "encoding": encoding}
        self._strict = bool(strict)
        self._progress = progress
        self._rows: Rows | None = None

    def __repr__(self) -> str:
        return f"Reading({str(self.path)!r}, {self.kind!r})"

    def __iter__(self) -> Iterator[R]:
        rows = Rows(
            self.path,
            self.kind,
            delimiter=self._options["delimiter"],
            encoding=self._options["encoding"],
            strict=self._strict,
            progress=self._progress,
        )
        self._rows = rows
        try:
            for record in self._records(rows):
                rows.records += 1
                yield record
            rows.finish()
        finally:
            rows.close()

    @property
    def report(self) -> ReadReport:
        """What the latest iteration read; before any, an empty, incomplete report."""
        if self._rows is None:
            return ReadReport(str(self.path), self.kind, 0, 0, 0, (), {}, False)
        return self._rows.report()
