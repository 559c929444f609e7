"""Wrong arguments to the codec's public names: typed errors, never a builtin one or a hang.

Each case was an escape the boundary test (``tests/boundary``) found.
"""

from __future__ import annotations

from pathlib import Path

import cattrs
import pytest

from itilkit import codec
from itilkit.codec import Catalog, Codec, Kind
from itilkit.errors import InvalidDocumentError, InvalidTypeError, OutOfRangeError
from itilkit.sla import SlaPolicy
from tests.codec.samples import POLICY

_DEEP: list[object] = []
for _ in range(20_000):
    _DEEP = [_DEEP]


def test_catalog_entries_must_be_iterable() -> None:
    with pytest.raises(InvalidTypeError, match="iterable of LifecycleDefinition"):
        Catalog(lifecycles=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="iterable of LookupMatrix"):
        Catalog.default().extended(matrices=5)  # type: ignore[arg-type]


def test_a_catalog_takes_its_own_mappings() -> None:
    catalog = Catalog.default()
    assert Catalog(catalog.lifecycles, catalog.matrices) == catalog  # type: ignore[arg-type]


def test_codec_arguments_are_typed() -> None:
    with pytest.raises(InvalidTypeError, match="kinds must be an iterable of Kind"):
        Codec(kinds=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="catalog must be a Catalog"):
        Codec(catalog=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="practices must be a PracticeRegistry"):
        Codec(practices=_DEEP)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="practices must be Practice values"):
        Codec().with_practices(_DEEP)  # type: ignore[arg-type]


def test_a_huge_kind_version_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="no upcaster from version 1 to 2"):
        Kind("host-policy", SlaPolicy, version=10**100)


def test_a_deep_kind_name_is_refused_without_recursion() -> None:
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        Kind(_DEEP, SlaPolicy)  # type: ignore[arg-type]


def test_kind_lookup_of_an_unhashable_value() -> None:
    with pytest.raises(ValueError, match="no document kind"):
        codec.json_schema(bytearray(b"x"))  # type: ignore[arg-type]


def test_dumps_indent_is_bounded() -> None:
    with pytest.raises(OutOfRangeError, match="None or an integer from 0 to 16"):
        codec.dumps(POLICY, indent=10**100)
    assert codec.dumps(POLICY, indent=None).startswith('{"kind": "sla-policy"')


def test_decode_cls_must_be_a_class() -> None:
    with pytest.raises(InvalidTypeError, match="cls must be a class or None"):
        codec.decode(codec.encode(POLICY), True)  # type: ignore[call-overload]


def test_load_path_must_be_a_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidTypeError, match=r"path must be a str or os\.PathLike"):
        codec.load(None)  # type: ignore[call-overload]
    with pytest.raises(InvalidDocumentError, match="cannot read"):
        codec.load(str(tmp_path / "a\x00b.json"))


def test_configure_converter_arguments_are_typed() -> None:
    with pytest.raises(InvalidTypeError, match=r"converter must be a cattrs\.Converter"):
        codec.configure_converter(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="catalog must be a Catalog or None"):
        codec.configure_converter(cattrs.Converter(), catalog=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="detailed_validation must be a bool"):
        codec.make_converter(detailed_validation="yes")  # type: ignore[arg-type]
