"""Samples of itilkit.codec: the codec, its kinds and catalog, documents of each kind.

Documents under test are the golden values' documents; the extra hostile values
for ``document``, ``text`` and ``data`` are such documents with some keys
replaced by hostile values (so that a document gets past the envelope checks).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec import Catalog, Codec, EntityIndex, Kind, entity_index
from itilkit.practices import Incident
from tests.boundary.hostile import hostile
from tests.boundary.samples import Samples
from tests.codec.samples import GOLDEN, INCIDENT_SAMPLE, POLICY, RECORD
from tests.codec.samples import SAMPLES as VALUES

_POLICY_TOML = (Path(GOLDEN) / "config" / "sla-policy.toml").read_text(encoding="utf-8")
_DOCUMENTS = [codec.encode(value) for value in VALUES.values()]
_FOLDER = Path(tempfile.mkdtemp(prefix="itilkit-boundary-codec-"))


def _policy_file() -> Path:
    """A policy document file (in a folder of the test run's own)."""
    file = _FOLDER / "policy.json"
    if not file.exists():
        file.write_text(codec.dumps(POLICY), encoding="utf-8")
    return file


@st.composite
def spoiled_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document of some kind with a few keys (envelope included) made hostile."""
    document = dict(draw(st.sampled_from(_DOCUMENTS)))
    for key in draw(st.lists(st.sampled_from(sorted(document)), min_size=1, max_size=3)):
        document[key] = draw(hostile())
    return document


def _text(document: dict[str, Any]) -> str:
    """The document as JSON text, hostile values as their ``str`` (``{}`` if that fails too)."""
    try:
        return json.dumps(document, default=str)
    except Exception:  # a hostile value's str or offset may raise anything
        return "{}"


SAMPLES = Samples(
    instances={
        Codec: [Codec, lambda: Codec().with_practices()],
        Catalog: [Catalog.default, Catalog],
        Kind: [lambda: Kind("sla-policy", type(POLICY), config=True)],
        EntityIndex: [lambda: entity_index(INCIDENT_SAMPLE)],
    },
    arguments={
        "value": lambda: POLICY,
        "document": lambda: codec.encode(POLICY),
        "cls": lambda: type(POLICY),
        "text": lambda: codec.dumps(POLICY),
        "loads_toml.text": lambda: _POLICY_TOML,
        "Codec.loads_toml.text": lambda: _POLICY_TOML,
        "path": _policy_file,
        "kind": lambda: "sla-policy",
        "name_or_type": lambda: "sla-policy",
        "data": lambda: codec.default_codec().unstructure(POLICY),
        "Kind.name": lambda: "host-policy",
        "Kind.type": lambda: type(POLICY),
        "ticket": lambda: INCIDENT_SAMPLE,
        "entity_type": lambda: Incident,
        "record": lambda: INCIDENT_SAMPLE.history[-1],
        "Codec.structure_record.data": lambda: codec.default_codec().unstructure_record(
            Incident, INCIDENT_SAMPLE.history[-1]
        ),
        "converter": lambda: codec.make_converter(),
        "EntityIndex.state": lambda: "new",
        "EntityIndex.practice": lambda: "incident@1",
        "EntityIndex.opened_at": lambda: RECORD.at,
        "EntityIndex.updated_at": lambda: RECORD.at,
    },
    hostile={
        "document": spoiled_documents(),
        "text": spoiled_documents().map(_text),
        "data": spoiled_documents(),
    },
)
