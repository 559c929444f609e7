"""Documents carry their kind and schema version; older versions are upcast, newer refused."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from itilkit import codec
from itilkit.codec import Codec, Kind
from itilkit.errors import InvalidDocumentError, InvalidInputError, UnsupportedVersionError
from itilkit.sla import BusinessCalendar


@attrs.frozen
class Memo:
    """A host's own value, at schema version 3: a title and a text."""

    title: str
    text: str


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 called the text ``body``."""
    return {"text" if name == "body" else name: value for name, value in data.items()}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added a title: the text's first line."""
    return {"title": data["text"].splitlines()[0], **data}


MEMOS = Codec(kinds=[Kind("memo", Memo, version=3, upcasters={1: _v1_to_v2, 2: _v2_to_v3})])


def test_a_document_names_its_kind_and_version() -> None:
    """The envelope comes first, then the value's own fields."""
    document = MEMOS.encode(Memo("hi", "hi\nthere"))
    assert document == {"kind": "memo", "schema_version": 3, "title": "hi", "text": "hi\nthere"}
    assert list(codec.encode(BusinessCalendar.always_open()))[:2] == ["kind", "schema_version"]


@pytest.mark.parametrize(
    "document",
    [
        {"kind": "memo", "schema_version": 1, "body": "hi\nthere"},
        {"kind": "memo", "schema_version": 2, "text": "hi\nthere"},
        {"kind": "memo", "schema_version": 3, "title": "hi", "text": "hi\nthere"},
    ],
)
def test_older_versions_are_upcast(document: dict[str, Any]) -> None:
    """Versions 1 and 2 go through each upcaster in turn and read as version 3."""
    assert MEMOS.decode(document, Memo) == Memo("hi", "hi\nthere")


def test_a_newer_version_is_refused() -> None:
    """A version this codec does not know is an error naming what it reads."""
    with pytest.raises(UnsupportedVersionError, match="reads 1 to 3") as caught:
        MEMOS.decode({"kind": "memo", "schema_version": 4, "title": "a", "text": "b"})
    assert caught.value.version == 4
    assert caught.value.latest == 3


def test_a_failing_upcaster_is_a_document_problem() -> None:
    """An old document the upcaster cannot read is refused, not crashed on."""
    with pytest.raises(InvalidDocumentError, match="cannot upcast from version 2 to 3"):
        MEMOS.decode({"kind": "memo", "schema_version": 2, "text": ""})


def test_upcast_data_is_still_checked() -> None:
    """After upcasting, the data is structured strictly like any other."""
    with pytest.raises(InvalidDocumentError) as caught:
        MEMOS.decode({"kind": "memo", "schema_version": 1, "body": "a", "extra": 1})
    assert [path for path, _ in caught.value.problems] == ['["extra"]']


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"schema_version": 1}, [("kind", "missing; kinds: ")]),
        ({"kind": "memos", "schema_version": 1}, [("kind", "string 'memos' is unknown")]),
        ({"kind": "memo"}, [("schema_version", "missing; a schema version is an integer")]),
        ({"kind": "memo", "schema_version": "1"}, [("schema_version", "string '1'")]),
        ({"kind": "memo", "schema_version": 0}, [("schema_version", "number 0")]),
        ({"kind": "memo", "schema_version": True}, [("schema_version", "boolean true")]),
        ({"kind": "memo", "schema_version": 3, "$schema": 1}, [("$schema", "expected a string")]),
    ],
)
def test_envelope_problems(document: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    """A missing or unknown kind, or a version that is not a positive integer, is named."""
    with pytest.raises(InvalidDocumentError) as caught:
        MEMOS.decode(document)
    assert len(caught.value.problems) == len(expected)
    for (path, message), (want_path, want) in zip(caught.value.problems, expected, strict=True):
        assert path == want_path
        assert want in message


def test_editors_schema_key_is_ignored() -> None:
    """``$schema`` points editors at the JSON Schema and is not part of the value."""
    document = {
        "kind": "memo",
        "schema_version": 3,
        "$schema": "memo.json",
        "title": "a",
        "text": "b",
    }
    assert MEMOS.decode(document) == Memo("a", "b")


def test_kinds_are_checked_when_declared() -> None:
    """A kind missing an upcaster, reusing a name or clashing with the envelope is refused."""
    with pytest.raises(InvalidInputError, match="no upcaster from version 2 to 3"):
        Kind("memo", Memo, version=3, upcasters={1: _v1_to_v2})

    @attrs.frozen
    class Clash:
        kind: str

    with pytest.raises(InvalidInputError, match="clashes with the envelope"):
        Kind("clash", Clash)
    with pytest.raises(InvalidInputError, match="two document kinds are named 'calendar'"):
        Codec(kinds=[Kind("calendar", Memo)])


def test_load_reads_json_and_toml_files(tmp_path: Any) -> None:
    """``load`` picks the format by suffix; other suffixes and missing files are problems."""
    (tmp_path / "memo.json").write_text('{"kind": "memo", "schema_version": 2, "text": "x"}')
    (tmp_path / "memo.toml").write_text('kind = "memo"\nschema_version = 2\ntext = "x"\n')
    assert (
        MEMOS.load(tmp_path / "memo.json") == MEMOS.load(tmp_path / "memo.toml") == Memo("x", "x")
    )
    for name in ("memo.yaml", "absent.json"):
        with pytest.raises(InvalidDocumentError):
            MEMOS.load(tmp_path / name)
