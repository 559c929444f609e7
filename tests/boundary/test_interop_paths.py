"""Hostile paths and files given to the export readers: typed errors, never a bare OSError.

A reader opens its file when iterated, so these iterate. A path that cannot
be a file name (NUL, the wrong type) and an unknown encoding are refused when
the reading is made (ValueError or TypeError kinds); a file that cannot be
opened, read, decompressed or decoded is an ``ExportReadError`` (an OSError).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from itilkit.errors import ExportReadError, InvalidInputError, InvalidTypeError, ItilkitError
from itilkit.interop import (
    read_hpsm_changes,
    read_hpsm_incidents,
    read_hpsm_interactions,
    read_servicenow_incidents,
)

READERS: list[Callable[..., Any]] = [
    read_servicenow_incidents,
    read_hpsm_incidents,
    read_hpsm_interactions,
    read_hpsm_changes,
]


def _files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "a directory").mkdir()
    found = {
        "missing": tmp_path / "missing.csv",
        "a directory": tmp_path / "a directory",
        "name too long": tmp_path / ("x" * 5000),
        "not UTF-8": tmp_path / "latin.csv",
        "not gzip": tmp_path / "fake.csv.gz",
        "not xz": tmp_path / "fake.csv.xz",
    }
    found["not UTF-8"].write_bytes(b"\xff\xfe\xfa\x00\x81,\n\x80")
    found["not gzip"].write_bytes(b"plain text, no gzip")
    found["not xz"].write_bytes(b"plain text, no xz")
    return found


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize(
    "case", ["missing", "a directory", "name too long", "not UTF-8", "not gzip", "not xz"]
)
def test_unreadable_files_are_export_read_errors(
    reader: Callable[..., Any], case: str, tmp_path: Path
) -> None:
    """Each is an ExportReadError, also an OSError, naming the file."""
    path = _files(tmp_path)[case]
    with pytest.raises(ExportReadError) as caught:
        list(reader(path, tz="UTC"))
    assert isinstance(caught.value, OSError)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("a\x00b.csv", InvalidInputError),
        (b"/tmp/x.csv", InvalidTypeError),
        (io.StringIO("number\n"), InvalidTypeError),
        (None, InvalidTypeError),
    ],
)
def test_paths_that_cannot_name_a_file_are_refused_at_once(
    reader: Callable[..., Any], path: object, error: type[ItilkitError]
) -> None:
    """A NUL in the name was a bare ValueError from open(); the wrong type is a TypeError."""
    with pytest.raises(error):
        reader(path, tz="UTC")


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize(
    ("encoding", "error"),
    [("bogus", InvalidInputError), ("utf\x008", InvalidInputError), (5, InvalidTypeError)],
)
def test_unknown_encodings_are_refused_at_once(
    reader: Callable[..., Any], encoding: object, error: type[ItilkitError], tmp_path: Path
) -> None:
    """An unknown encoding was a LookupError (a TypeError for an int) once the file opened."""
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(error):
        reader(path, tz="UTC", encoding=encoding)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize("tz", ["x" * 300, "America", "\udcff", "Nowhere/Land"])
def test_zone_names_that_are_no_zone_are_refused(reader: Callable[..., Any], tz: str) -> None:
    """A 300-character zone name was an OSError (file name too long) from zoneinfo."""
    with pytest.raises(InvalidInputError, match="IANA zone name"):
        reader("export.csv", tz=tz)
