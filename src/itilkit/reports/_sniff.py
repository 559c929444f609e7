"""Which export a file is, told from its header line."""

from __future__ import annotations

import csv
import gzip
import lzma
import os
import zlib
from pathlib import Path

from itilkit._enums import Vocabulary
from itilkit.errors import ExportFormatError, ExportReadError, InvalidTypeError

__all__ = ["ExportKind", "detect_export"]

#: The header line is looked for in this many bytes at most.
_HEAD = 1 << 16


class ExportKind(Vocabulary):
    """The exports a report reads.

    .. versionadded:: 0.2
    """

    SERVICENOW = "servicenow"
    HPSM_INCIDENTS = "hpsm-incidents"
    HPSM_INTERACTIONS = "hpsm-interactions"
    HPSM_CHANGES = "hpsm-changes"

    @property
    def source(self) -> str:
        """``servicenow`` or ``hpsm``."""
        return "servicenow" if self is ExportKind.SERVICENOW else "hpsm"


#: The columns that tell each export apart, with the delimiter of its header.
_SIGNS: tuple[tuple[ExportKind, str, frozenset[str]], ...] = (
    (
        ExportKind.SERVICENOW,
        ",",
        frozenset({"number", "incident_state", "sys_mod_count", "sys_updated_at"}),
    ),
    (ExportKind.HPSM_INCIDENTS, ";", frozenset({"Incident ID", "Open Time"})),
    (ExportKind.HPSM_INTERACTIONS, ";", frozenset({"Interaction ID", "Open Time (First Touch)"})),
    (ExportKind.HPSM_CHANGES, ";", frozenset({"Change ID", "Change record Open Time"})),
)


def _head(path: Path) -> bytes:
    label = str(path)
    try:
        with open(path, "rb") as raw:
            suffix = path.suffix.lower()
            if suffix == ".xz":
                with lzma.open(raw) as stream:
                    return stream.read(_HEAD)
            if suffix == ".gz":
                with gzip.open(raw) as stream:
                    return stream.read(_HEAD)
            return raw.read(_HEAD)
    except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error) as error:
        detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise ExportReadError(label, detail) from error


def detect_export(path: str | os.PathLike[str]) -> ExportKind:
    """The kind of export ``path`` holds (``.csv``, ``.csv.xz`` or ``.csv.gz``), by its header.

    Raises:
        ExportReadError: the file cannot be read or decompressed.
        ExportFormatError: its header is none of the exports itilkit reads.

    .. versionadded:: 0.2
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidTypeError("path", "a file path", path)
    file = Path(path)
    head = _head(file)
    line = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip("\r")
    found: list[str] = []  # the header's names split by the delimiter that gives the most
    for kind, delimiter, columns in _SIGNS:
        try:
            split = [name.strip() for name in next(csv.reader([line], delimiter=delimiter), [])]
        except csv.Error:  # no CSV header line (a stray carriage return, a binary file)
            split = []
        if columns <= set(split):
            return kind
        if len(split) > len(found):
            found = split
    wanted = sorted({c for _, _, columns in _SIGNS for c in columns})
    raise ExportFormatError(
        str(file), "ServiceNow or HP SM", wanted, [n for n in dict.fromkeys(found) if n][:12]
    )
