"""The CMDB codecs beyond the contract: what they refuse, the ids and payloads they write."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

from itilkit.codec import Codec
from itilkit.errors import CorruptRecordError, InvalidDocumentError, InvalidInputError
from itilkit.practices import (
    INCIDENT,
    CIStatus,
    CmdbGraph,
    ConfigurationItem,
    Incident,
    Relationship,
)
from itilkit.storage import (
    CI_STATUS_CATEGORIES,
    ConfigurationItemDocuments,
    EntityDocuments,
    InMemoryRecordStore,
    RecordWrite,
    RelationshipDocuments,
    Repository,
    SQLiteRecordStore,
    cmdb_documents,
    load_cmdb,
)
from itilkit.testing import sample_cmdb, sample_item
from itilkit.testing._tickets import T0


def test_each_codec_refuses_what_it_does_not_store() -> None:
    """A ticket, a relationship for a CI (and back), history: InvalidInputError."""
    items, relationships = cmdb_documents()
    ticket: Any = Incident.log(INCIDENT, id="INC-1", title="t", caller="c", impact=1,
                               urgency=1, at=T0, actor="a")  # fmt: skip
    link = Relationship("a", "uses", "b")
    for codec, wrong in ((items, ticket), (items, link), (relationships, sample_item(0))):
        with pytest.raises(InvalidInputError, match="repository stores"):
            codec.encode(wrong)
        with pytest.raises(InvalidInputError, match="repository stores"):
            codec.record_id(wrong)
    with pytest.raises(InvalidInputError, match="history_from must be 0"):
        items.encode(sample_item(0), history_from=1)
    with pytest.raises(InvalidInputError, match="history_from must be 0"):
        relationships.encode(link, history_from=True)
    for codec in (items, relationships):
        with pytest.raises(InvalidDocumentError, match="no history records"):
            codec.decode_history("{}", schema_version=1)
    with pytest.raises(InvalidInputError, match=r"must be an itilkit\.codec\.Codec"):
        ConfigurationItemDocuments("default")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="ConfigurationItemDocuments"):
        EntityDocuments(ConfigurationItem)  # type: ignore[type-var]
    with pytest.raises(InvalidInputError, match="must be a RecordStore"):
        load_cmdb("store.db")  # type: ignore[arg-type]


def test_the_payload_is_the_codec_document() -> None:
    """A CI's payload is its codec document; a relationship's, its cmdb-document form."""
    codec = Codec()
    item = sample_item(3)
    encoded = ConfigurationItemDocuments(codec).encode(item)
    assert codec.decode(json.loads(encoded.payload), ConfigurationItem) == item
    graph = sample_cmdb(4)
    rows = [json.loads(RelationshipDocuments(codec).encode(r).payload) for r in graph.relationships]
    assert rows == codec.encode(graph)["relationships"]


@pytest.mark.parametrize(
    ("source", "target"),
    [("a b", "c"), ("a", "b c"), ('a"],["x', "'; DROP TABLE itilkit_records; --"), ("ü", "é")],
)
def test_relationship_ids_are_unambiguous_and_verbatim(
    tmp_path: Any, source: str, target: str
) -> None:
    """Ids with spaces, quotes, brackets or SQL in them: each relationship is its own
    record, and the graph reads back with the ids exactly as given."""
    graph = CmdbGraph(
        [ConfigurationItem(source, "one", "server"), ConfigurationItem(target, "two", "server")],
        [Relationship(source, "uses", target), Relationship(target, "uses", source)],
    )
    store = SQLiteRecordStore(tmp_path / "cmdb.db")
    items, relationships = cmdb_documents()
    for item in graph.items:
        Repository(store, items).add(item)
    for relationship in graph.relationships:
        Repository(store, relationships).add(relationship)
        assert json.loads(relationships.record_id(relationship)) == [
            relationship.source, "uses", relationship.target
        ]  # fmt: skip
    assert load_cmdb(store) == graph
    store.close()


def test_a_relationship_id_past_the_id_limit_is_refused() -> None:
    """Source and target ids too long together for a record id: InvalidInputError."""
    long = "x" * 300
    with pytest.raises(InvalidInputError, match="at most 512"):
        RelationshipDocuments().record_id(Relationship(long, "uses", long))


def test_a_corrupt_stored_ci_fails_the_graph_read_naming_it() -> None:
    """A stored CI the codec cannot read: CorruptRecordError with its id."""
    store = InMemoryRecordStore()
    repository = Repository(store, ConfigurationItemDocuments())
    repository.add(sample_item(0))
    stored = store.load("configuration-item", "CI-000")
    broken = attrs.evolve(stored, version=2, payload='{"kind": "configuration-item"}')
    store.write([RecordWrite(broken)])
    with pytest.raises(CorruptRecordError) as raised:
        load_cmdb(store)
    assert raised.value.record_id == "CI-000"


def test_every_ci_status_has_a_category() -> None:
    """The status-to-category table covers the vocabulary (a new status must be placed)."""
    assert set(CI_STATUS_CATEGORIES) == {s.value for s in CIStatus}
    with pytest.raises(TypeError):
        CI_STATUS_CATEGORIES["planned"] = None  # type: ignore[index]
