"""Tickets as documents: every type round-trips with its history, loading checks the
ticket under the practice it names, and hostile documents raise only InvalidDocumentError."""

from __future__ import annotations

import copy
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec import ENTITY_TYPES, Codec
from itilkit.errors import InvalidDocumentError, UnencodableValueError
from itilkit.practices import (
    DEFAULT_PRACTICES,
    INCIDENT,
    Incident,
    PracticeRegistry,
    Problem,
    ProblemResolutionCode,
    ResolutionCode,
    Ticket,
)
from itilkit.testing import SAMPLE_PRACTICES, sample_ticket, strategies
from tests.codec.hostile import json_values, leaves, replaced
from tests.codec.samples import INCIDENT_SAMPLE, PROBLEM_SAMPLE

DESK = Codec(practices=SAMPLE_PRACTICES)
TICKETS: dict[str, st.SearchStrategy[Any]] = {
    "incident": strategies.incidents(),
    "problem": strategies.problems(),
    "known-error": strategies.known_errors(),
    "service-request": strategies.service_requests(),
    "change": strategies.changes(),
}
ENTITIES: dict[str, st.SearchStrategy[Any]] = {
    **TICKETS,
    "configuration-item": strategies.configuration_items(),
    "cmdb": strategies.cmdb_graphs(),
}


@pytest.mark.parametrize("kind", list(ENTITIES))
def test_entities_round_trip(kind: str) -> None:
    """decode(encode(x)) == x through JSON text, the practice is the registry's own, and the
    text is stable."""

    @given(ENTITIES[kind])
    def check(value: Any) -> None:
        text = DESK.dumps(value)
        back = DESK.loads(text, type(value))
        assert back == value
        assert DESK.dumps(back) == text
        if isinstance(value, Ticket):
            assert back.history == value.history
            assert back.practice is SAMPLE_PRACTICES.resolve(value.practice.ref)

    check()


@given(strategies.ticket_histories())
def test_history_records_round_trip_alone_with_typed_changes(case: Any) -> None:
    """Each record of a real history reads back equal on its own, typed by its ticket type."""
    entity_type, history = case
    for record in history:
        data = DESK.unstructure_record(entity_type, record)
        assert DESK.structure_record(entity_type, json.loads(json.dumps(data))) == record


def test_changes_are_written_in_their_fields_own_form() -> None:
    """A changed assignment is an object, a changed priority a level, a time ISO 8601."""
    document = codec.encode(INCIDENT_SAMPLE)
    changes = {c["field"]: c for r in document["history"] for c in r.get("changes", [])}
    assert changes["assignment"]["new"] == {"group": "email", "assignee": "cy"}
    assert changes["priority"] == {"field": "priority", "old": 2, "new": 3}
    assert changes["acknowledged_at"]["new"] == "2026-03-02T09:05:00+00:00"
    assert changes["resolutions"]["new"][0]["code"] == "workaround"
    assert document["practice"] == {"name": "incident", "version": 1}


def test_resolution_codes_of_either_enum_read_back() -> None:
    """Resolution.code is a union of two enums, read by value into the right one."""
    incident = codec.decode(codec.encode(INCIDENT_SAMPLE), Incident)
    assert type(incident.resolutions[0].code) is ResolutionCode
    problem = codec.decode(codec.encode(PROBLEM_SAMPLE), Problem)
    assert problem.resolution is not None
    assert type(problem.resolution.code) is ProblemResolutionCode
    bad = codec.encode(PROBLEM_SAMPLE)
    bad["resolution"]["code"] = "mended"
    assert _problems(bad) == [
        (
            "resolution.code",
            "string 'mended' is not one of 'fixed', 'workaround', 'not_reproducible', "
            "'resolved_by_caller', 'other', 'fix_applied', 'risk_accepted'",
        )
    ]


def _problems(document: Any, using: Codec | None = None) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDocumentError) as caught:
        (using or codec.default_codec()).decode(document)
    return list(caught.value.problems)


def test_every_problem_has_its_path() -> None:
    """A naive time deep in the history, a wrong-typed change and an unknown key: all listed."""
    document = codec.encode(INCIDENT_SAMPLE)
    document["history"][3]["at"] = "2026-03-02T09:50:00"
    document["history"][4]["changes"][1]["old"] = "high"
    document["colour"] = "red"
    found = _problems(document)
    assert [path for path, _ in found] == [
        "history[3].at",
        "history[4].changes[1].old",
        '["colour"]',
    ]
    assert "naive datetime" in found[0][1]
    assert "expected an integer" in found[1][1]


def test_the_practice_is_resolved_in_the_codecs_registry() -> None:
    """A practice the registry lacks is a problem at ``practice``; a vendor's own is found."""
    acme = INCIDENT.derive(name="acme-incident", version=3)
    ticket = Incident.log(acme, id="INC-9", title="x", caller="ann", impact=1, urgency=1,
                          at=INCIDENT_SAMPLE.opened_at, actor="desk")  # fmt: skip
    document = Codec(practices=DEFAULT_PRACTICES.with_practices(acme)).encode(ticket)
    assert document["practice"] == {"name": "acme-incident", "version": 3}
    [(path, message)] = _problems(document)
    assert path == "practice"
    assert "no practice 'acme-incident' version 3 in the registry" in message
    loaded = Codec(practices=PracticeRegistry([acme])).decode(document, Incident)
    assert loaded == ticket
    assert loaded.practice is acme


def test_loading_checks_the_history_replays_under_the_practice() -> None:
    """A state the history does not reach, or a field its history contradicts, is refused
    with every broken rule listed."""
    document = codec.encode(INCIDENT_SAMPLE)
    document["state"], document["category"] = "new", "new"
    document["reassignment_count"] = 0
    found = [message for _, message in _problems(document)]
    assert "the history replays to state 'in_progress', not 'new'" in found
    assert any("reassignment_count is 0" in message for message in found)
    reordered = codec.encode(INCIDENT_SAMPLE)
    reordered["history"][1], reordered["history"][2] = (
        reordered["history"][2], reordered["history"][1])  # fmt: skip
    assert any("does not follow state" in m for _, m in _problems(reordered))


def test_a_ticket_document_of_another_practice_kind_is_refused() -> None:
    """An incident naming the problem practice: a problem, not a crash."""
    document = codec.encode(INCIDENT_SAMPLE)
    document["practice"] = {"name": "problem", "version": 1}
    assert any("is for problems, not incidents" in m for _, m in _problems(document))


def test_a_ticket_of_an_unknown_practice_is_not_encodable_by_name_only() -> None:
    """Encoding never looks the practice up: any ticket is written with its name."""
    assert codec.encode(INCIDENT_SAMPLE)["practice"]["name"] == "incident"
    with pytest.raises(UnencodableValueError):
        codec.encode(object())


# -- hostile documents ------------------------------------------------------------------


def _refusal(decode: Any, *args: Any) -> tuple[tuple[str, str], ...] | None:
    """The problems ``decode(*args)`` raises, or None when it decodes."""
    try:
        decode(*args)
    except InvalidDocumentError as error:
        return error.problems
    return None


def _decodes_or_refuses(document: Any) -> None:
    problems = _refusal(DESK.decode, document)
    assert problems is None or (problems and all(isinstance(p, str) and m for p, m in problems))


@settings(max_examples=200)
@given(st.sampled_from(list(ENTITIES)), st.dictionaries(st.text(max_size=10), json_values))
def test_random_payloads_under_every_entity_kind(kind: str, payload: dict[str, Any]) -> None:
    """A random object under an entity envelope is refused, never anything else."""
    _decodes_or_refuses({**payload, "kind": kind, "schema_version": 1})


@pytest.mark.parametrize("kind", list(ENTITIES))
def test_wrong_typed_leaves_of_entities(kind: str) -> None:
    """Any leaf of a real entity document replaced by another JSON value: read or refused."""

    @given(ENTITIES[kind], st.data())
    def check(value: Any, data: st.DataObject) -> None:
        document = DESK.encode(value)
        path = data.draw(st.sampled_from(leaves(document)))
        _decodes_or_refuses(replaced(copy.deepcopy(document), path, data.draw(json_values)))

    check()


@pytest.mark.parametrize("kind", list(ENTITIES))
def test_truncated_entity_documents(kind: str) -> None:
    """Every prefix of a real entity document is refused with a problem."""

    @given(ENTITIES[kind], st.data())
    def check(value: Any, data: st.DataObject) -> None:
        text = DESK.dumps(value, indent=None)
        cut = data.draw(st.integers(0, len(text) - 1))
        with pytest.raises(InvalidDocumentError):
            DESK.loads(text[:cut])

    check()


@given(strategies.ticket_histories(), st.data())
def test_hostile_history_records(case: Any, data: st.DataObject) -> None:
    """A stored history record with a wrong-typed leaf: read or refused, never a crash."""
    entity_type, history = case
    if not history:
        return
    record = DESK.unstructure_record(entity_type, data.draw(st.sampled_from(history)))
    path = data.draw(st.sampled_from(leaves(record)))
    wrong = replaced(record, path, data.draw(json_values))
    assert _refusal(DESK.structure_record, entity_type, wrong) != ()


def test_a_fresh_codec_shared_by_threads_agrees_with_one_thread() -> None:
    """Eight threads filling a new codec's hooks at once read and write what one thread does."""
    tickets = [sample_ticket(t, n) for t in ENTITY_TYPES for n in range(6)]
    expected = [DESK.dumps(t) for t in tickets]
    shared = Codec(practices=SAMPLE_PRACTICES)
    start = threading.Barrier(8)

    def work(offset: int) -> list[str]:
        start.wait()
        order = tickets[offset:] + tickets[:offset]
        texts = [shared.dumps(shared.loads(DESK.dumps(t), type(t))) for t in order]
        for t in order:
            for record in t.history:
                data = shared.unstructure_record(type(t), record)
                assert shared.structure_record(type(t), data) == record
        return texts[len(tickets) - offset :] + texts[: len(tickets) - offset]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(0, 8 * 3, 3)))
    assert all(result == expected for result in results)
