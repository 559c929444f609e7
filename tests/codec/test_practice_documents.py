"""Practices as configuration: a derivation of a base practice, read whole or refused with
every problem; and practices written in full (their rules), read back equal."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec import Codec
from itilkit.errors import InvalidDocumentError, UnencodableValueError
from itilkit.lifecycle import State, Transition
from itilkit.practices import (
    DEFAULT_PRACTICES,
    INCIDENT,
    KNOWN_ERROR,
    PRIORITY_3X3,
    PROBLEM,
    Incident,
    Practice,
    ReopenPolicy,
)
from itilkit.sla import BusinessCalendar
from itilkit.testing import SAMPLE_PRACTICES
from tests.codec.hostile import json_values, leaves, replaced
from tests.codec.samples import GOLDEN
from tests.practices.strategies import derivations

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _expected() -> Practice:
    """The golden practice, derived in Python."""
    policy = codec.load(GOLDEN / "config" / "practice.toml", Practice).sla
    return INCIDENT.derive(
        name="acme-incident",
        description="Acme's service desk",
        rename_states={"on_hold": "waiting"},
        add_states=[State("triage", "new")],
        add_transitions=[Transition("triage", ["new"], "triage")],
        matrix=PRIORITY_3X3,
        sla=policy,
        reopen=ReopenPolicy.allow_within(timedelta(days=7)),
    )


@pytest.mark.parametrize("name", ["practice.json", "config/practice.toml"])
def test_a_practice_file_reads_as_its_derivation(name: str) -> None:
    """The JSON and TOML files give the practice Practice.derive gives."""
    practice = codec.load(GOLDEN / name, Practice)
    assert practice == _expected()
    assert practice.sla is not None
    assert isinstance(practice.sla.calendar, BusinessCalendar)
    assert practice.sla.calendar.zone == "Europe/London"
    assert "triage" in practice.definition.state_names


def test_a_loaded_practice_runs_its_commands() -> None:
    """Tickets made with the loaded practice follow its lifecycle and SLA, and round-trip
    through a codec whose registry holds it."""
    practice = codec.load(GOLDEN / "practice.json", Practice)
    ticket = Incident.log(practice, id="INC-1", title="x", caller="ann", impact=1, urgency=1,
                          at=MONDAY, actor="desk")  # fmt: skip
    triaged = ticket.fire("triage", at=MONDAY + timedelta(minutes=5), actor="desk")
    assert triaged.state == "triage"
    due = triaged.sla_status(MONDAY).target("resolution").current
    assert due is not None
    assert due.due_at == MONDAY + timedelta(hours=4)
    mine = codec.default_codec().with_practices(practice)
    assert mine.loads(mine.dumps(triaged)) == triaged


def test_every_problem_of_a_practice_document_is_listed() -> None:
    """A misspelt key, an unknown matrix and a bad duration: all at their paths."""
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode({"kind": "practice", "schema_version": 1, "base": "incident",
                      "name": "x", "matrix": "priority-9x9", "colour": 1,
                      "reopen": {"mode": "allow_within", "window": "a week"}})  # fmt: skip
    paths = [path for path, _ in caught.value.problems]
    assert paths == ["matrix", "reopen.window", '["colour"]']


def test_the_base_is_found_in_the_codecs_registry() -> None:
    """An unknown base is a problem at ``base``; a vendor's own base is found in its codec."""
    document = {"kind": "practice", "schema_version": 1, "base": "acme-incident", "name": "b"}
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(document)
    [(path, message)] = caught.value.problems
    assert path == "base"
    assert "no practice 'acme-incident' version 1" in message
    acme = INCIDENT.derive(name="acme-incident")
    derived = Codec(practices=DEFAULT_PRACTICES.with_practices(acme)).decode(document, Practice)
    assert derived.ref.name == "b"
    assert derived.definition.states == acme.definition.states


def test_a_derivation_the_practice_refuses_lists_its_problems() -> None:
    """Practice.derive's own checks (a state renamed that does not exist) are problems."""
    with pytest.raises(InvalidDocumentError, match="cannot rename unknown state 'paused'"):
        codec.decode({"kind": "practice", "schema_version": 1, "base": "incident",
                      "name": "x", "rename_states": {"paused": "waiting"}})  # fmt: skip


@pytest.mark.parametrize(
    "practice",
    [*DEFAULT_PRACTICES.practices.values(), *SAMPLE_PRACTICES.practices.values()],
    ids=str,
)
def test_a_practice_is_written_in_full_and_reads_back_equal(practice: Practice) -> None:
    """A registered practice's rules as JSON, read back with the same guards."""
    mine = Codec(practices=DEFAULT_PRACTICES.with_practices(*SAMPLE_PRACTICES.practices.values()))
    document = json.loads(mine.dumps(practice))
    assert document["guards_from"]["name"] == practice.name
    back = mine.decode(document, Practice)
    assert back == practice
    assert back.guards.guards == practice.guards.guards
    assert back.sla == practice.sla
    assert mine.dumps(back) == mine.dumps(practice)


@given(st.sampled_from(list(DEFAULT_PRACTICES.practices.values())).flatmap(derivations))
def test_a_vendor_derivation_is_written_and_read_back(practice: Practice) -> None:
    """Renamed, added and guarded at random: the rules round-trip once the codec knows them;
    before, only a derivation using its base's guards alone can be written."""
    if "vendor_rule" in practice.guards.guards:  # a guard callable of its own
        with pytest.raises(UnencodableValueError, match="not those of any practice"):
            codec.dumps(practice)
    else:
        assert codec.loads(codec.dumps(practice)) == practice
    mine = codec.default_codec().with_practices(practice)
    back = mine.loads(mine.dumps(practice), Practice)
    assert back == practice
    assert back.guards.guards == practice.guards.guards


def test_the_written_rules_are_frozen() -> None:
    """The incident preset's rules document is golden: a format change fails here."""
    text = (GOLDEN / "practice-rules.json").read_text()
    assert codec.dumps(INCIDENT) + "\n" == text
    assert codec.loads(text) == INCIDENT


def test_rules_naming_an_unknown_practice_are_refused() -> None:
    """guards_from and known_errors are looked up in the registry; each miss is a problem."""
    document = json.loads(codec.dumps(PROBLEM))
    document["guards_from"] = {"name": "acme"}
    document["known_errors"] = {"name": "acme-ke", "version": 2}
    with pytest.raises(InvalidDocumentError) as refused:
        codec.decode(document)
    paths = [path for path, _ in refused.value.problems]
    assert paths == ["guards_from", "known_errors"]


def test_a_guard_the_rules_name_must_be_among_those_they_borrow() -> None:
    """Rules whose lifecycle names a guard the guards_from practice lacks are refused."""
    document = json.loads(codec.dumps(INCIDENT))
    document["guards_from"] = {"name": "known_error"}
    with pytest.raises(InvalidDocumentError, match="not registered"):
        codec.decode(document)


def test_the_schema_describes_the_derivation_and_the_rules() -> None:
    """The practice schema is one of a derivation or the rules, each with its keys."""
    derivation, rules = codec.json_schema("practice")["oneOf"]
    assert {"base", "name", "sla", "matrix", "reopen"} <= set(derivation["properties"])
    assert derivation["required"] == ["base", "kind", "name", "schema_version"]
    assert {"guards_from", "lifecycle", "commands", "entity"} <= set(rules["properties"])
    assert {"guards_from", "lifecycle", "entity", "kind"} <= set(rules["required"])


@given(st.data())
def test_wrong_typed_leaves_of_a_practice_document(data: st.DataObject) -> None:
    """Any leaf of the golden practice replaced by another JSON value: read or refused."""
    document = json.loads((GOLDEN / "practice.json").read_text())
    path = data.draw(st.sampled_from(leaves(document)))
    with contextlib.suppress(InvalidDocumentError):  # anything else fails the test
        codec.decode(replaced(document, path, data.draw(json_values)))


def test_a_problem_practice_names_its_known_error_practice() -> None:
    """``known_errors`` is looked up in the registry; an unknown one is a problem there."""
    acme_errors = KNOWN_ERROR.derive(name="acme-known-error")
    mine = Codec(practices=DEFAULT_PRACTICES.with_practices(acme_errors))
    document = {"kind": "practice", "schema_version": 1, "base": "problem",
                "name": "acme-problem", "known_errors": "acme-known-error"}  # fmt: skip
    assert mine.decode(document, Practice).known_errors is acme_errors
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(document)
    assert [path for path, _ in caught.value.problems] == ["known_errors"]
