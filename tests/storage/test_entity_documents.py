"""EntityDocuments beyond the contract: what it refuses, and the payload it writes."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec import Codec
from itilkit.errors import (
    InvalidDocumentError,
    InvalidInputError,
    UnencodableValueError,
    UnsupportedVersionError,
)
from itilkit.practices import INCIDENT, ConfigurationItem, Incident, Problem
from itilkit.storage import EntityDocuments, InMemoryRecordStore, Repository, entity_documents
from itilkit.testing import SAMPLE_PRACTICES, sample_ticket, strategies
from itilkit.testing._tickets import T0
from tests.codec.hostile import json_values

DESK = Codec(practices=SAMPLE_PRACTICES)


def test_only_ticket_types_are_stored() -> None:
    """A configuration item has no practice or times to list it by; other values neither."""
    wrongs: list[Any] = [ConfigurationItem, dict, "incident"]
    for wrong in wrongs:
        with pytest.raises(InvalidInputError, match="EntityDocuments stores one of"):
            EntityDocuments(wrong)
    with pytest.raises(InvalidInputError, match=r"must be an itilkit\.codec\.Codec"):
        EntityDocuments(Incident, codec="default")  # type: ignore[arg-type]


def test_a_repository_of_one_type_refuses_another() -> None:
    """Encoding a problem with the incidents' codec is refused before anything is written."""
    documents = EntityDocuments(Incident, DESK)
    problem: Any = sample_ticket(Problem, 1)
    with pytest.raises(InvalidInputError, match="stores Incident, not Problem"):
        documents.encode(problem)
    with pytest.raises(InvalidInputError, match="stores Incident, not Problem"):
        documents.record_id(problem)
    with pytest.raises(InvalidInputError, match="history_from must be an int"):
        documents.encode(sample_ticket(Incident, 1), history_from="1")  # type: ignore[arg-type]
    ticket = sample_ticket(Incident, 1)
    for beyond in (-1, len(ticket.history) + 1):
        with pytest.raises(InvalidInputError, match="history_from must be from 0 to"):
            documents.encode(ticket, history_from=beyond)


def test_the_payload_is_the_codec_document_and_each_record_stands_alone() -> None:
    """The payload decodes with the codec alone; the history rows are its history records."""
    ticket = sample_ticket(Incident, 5, steps=12)
    assert len(ticket.history) >= 3
    encoded = EntityDocuments(Incident, DESK).encode(ticket, history_from=1)
    document = json.loads(encoded.payload)
    assert DESK.decode(document) == ticket
    assert [json.loads(h.payload) for h in encoded.new_history] == document["history"][1:]
    assert [h.at for h in encoded.new_history] == [r.at for r in ticket.history[1:]]
    assert encoded.history_length == len(ticket.history)
    assert encoded.index.sla_due_at == codec.entity_index(ticket).sla_due_at


@pytest.mark.parametrize("payload", ["", "{", "[1]", '{"kind": "incident"}', "NaN", "1e999"])
def test_bad_payloads_are_invalid_documents(payload: str) -> None:
    """Whatever a stored payload holds, decoding raises InvalidDocumentError."""
    documents = EntityDocuments(Incident, DESK)
    with pytest.raises(InvalidDocumentError):
        documents.decode(payload, schema_version=1)
    with pytest.raises(InvalidDocumentError):
        documents.decode_history(payload, schema_version=1)


def _who_to_actor(data: Any) -> Any:
    """Version 1 of the made-up schema below named a record's actor ``who``."""
    return {("actor" if k == "who" else k): v for k, v in data.items()}


def _v1_incidents(data: Any) -> Any:
    return {**data, "history": [_who_to_actor(r) for r in data.get("history", [])]}


def _future(monkeypatch: pytest.MonkeyPatch, incident: codec.Kind) -> Codec:
    """A codec of a later itilkit release, whose incident kind is ``incident``."""
    kinds = tuple(incident if k.type is Incident else k for k in codec.KINDS)
    monkeypatch.setattr("itilkit.codec._documents.KINDS", kinds)
    return Codec(practices=SAMPLE_PRACTICES)


def _as_v1(record: dict[str, Any]) -> str:
    return json.dumps({("who" if k == "actor" else k): v for k, v in record.items()})


def test_stored_history_records_of_an_older_version_are_upcast(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A history row of version 1 reads through the kind's history upcasters."""
    ticket = sample_ticket(Incident, 7)
    rows = json.loads(EntityDocuments(Incident, DESK).encode(ticket).payload)["history"]
    assert len(rows) >= 2
    v2 = codec.Kind(
        "incident", Incident, 2, {1: _v1_incidents}, history_upcasters={1: _who_to_actor}
    )
    documents = EntityDocuments(Incident, _future(monkeypatch, v2))
    read = [documents.decode_history(_as_v1(row), schema_version=1) for row in rows]
    assert tuple(read) == ticket.history
    current = [documents.decode_history(json.dumps(row), schema_version=2) for row in rows]
    assert tuple(current) == ticket.history
    with pytest.raises(InvalidDocumentError):  # an old row read as if it were current
        documents.decode_history(_as_v1(rows[0]), schema_version=2)


def test_history_records_without_an_upcaster_or_newer_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No history upcaster for a version: InvalidDocumentError; newer: UnsupportedVersionError."""
    with pytest.raises(UnsupportedVersionError):
        EntityDocuments(Incident).decode_history("{}", schema_version=2)
    no_steps = _future(monkeypatch, codec.Kind("incident", Incident, 2, {1: _v1_incidents}))
    with pytest.raises(InvalidDocumentError, match="no history upcaster from version 1 to 2"):
        EntityDocuments(Incident, no_steps).decode_history("{}", schema_version=1)
    with pytest.raises(ValueError, match="history upcaster from version 2 has no next version"):
        codec.Kind("incident", Incident, 2, {1: _v1_incidents}, history_upcasters={2: dict})


def test_one_codec_per_ticket_type_for_a_unit_of_work() -> None:
    """entity_documents gives the five ticket kinds, sharing one codec."""
    made = entity_documents(DESK)
    assert [d.kind for d in made] == ["incident", "problem", "known-error", "service-request",
                                      "change"]  # fmt: skip
    assert all(d.codec is DESK for d in made)


def test_the_sla_due_time_moves_with_the_ticket() -> None:
    """The stored due time is the soonest running target's, and clears once resolved."""
    incidents = Repository(InMemoryRecordStore(), EntityDocuments(Incident, DESK))
    ticket = sample_ticket(Incident, 0, steps=0)
    incidents.add(ticket)
    store_due = incidents.list().items[0]
    assert store_due.entity == ticket
    status = ticket.sla_status(ticket.opened_at)
    dues = [t.current.due_at for t in status.targets if t.current is not None]
    page = incidents.breaching_within(timedelta(0), now=min(dues))
    assert [v.entity.id for v in page.items] == [ticket.id]
    resolved = ticket.resolve("fixed", "done", at=ticket.opened_at + timedelta(hours=1), actor="x")
    incidents.save(resolved, expected_version=1)
    assert incidents.breaching_within(timedelta(days=365), now=ticket.opened_at).items == ()


@given(st.one_of(st.text(max_size=40), json_values.map(json.dumps)))
def test_random_payloads_raise_only_invalid_document(payload: str) -> None:
    """Random text or JSON as a stored payload or history row: InvalidDocumentError only."""
    documents = EntityDocuments(Incident, DESK)
    with pytest.raises(InvalidDocumentError):
        documents.decode(payload, schema_version=1)
    with contextlib.suppress(InvalidDocumentError):
        documents.decode_history(payload, schema_version=1)


@given(strategies.incidents(), st.data())
def test_truncated_payloads_raise_only_invalid_document(
    incident: Incident, data: st.DataObject
) -> None:
    """Every prefix of a real stored payload and history row is refused."""
    encoded = EntityDocuments(Incident, DESK).encode(incident)
    documents = EntityDocuments(Incident, DESK)
    cut = data.draw(st.integers(0, len(encoded.payload) - 1))
    with pytest.raises(InvalidDocumentError):
        documents.decode(encoded.payload[:cut], schema_version=1)
    for row in encoded.new_history:
        with pytest.raises(InvalidDocumentError):
            documents.decode_history(row.payload[: len(row.payload) // 2], schema_version=1)


def test_a_ticket_whose_practice_the_codec_lacks_is_not_written() -> None:
    """A ticket the codec could not read back is refused before the store is touched."""
    acme = INCIDENT.derive(name="acme-incident")
    ticket = Incident.log(acme, id="INC-1", title="x", caller="ann", impact=1, urgency=1,
                          at=T0, actor="desk")  # fmt: skip
    store = InMemoryRecordStore()
    with pytest.raises(UnencodableValueError, match="acme-incident@1, which this codec"):
        Repository(store, EntityDocuments(Incident, DESK)).add(ticket)
    assert store.list("incident").items == ()
    mine = Repository(store, EntityDocuments(Incident, DESK.with_practices(acme)))
    assert mine.add(ticket).version == 1
