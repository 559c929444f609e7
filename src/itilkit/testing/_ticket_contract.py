"""The repository contract for itilkit's own tickets, stored through the real codec.

Subclass :class:`TicketRepositoryContract` once per ticket type and store:
every case of :class:`~itilkit.testing.RepositoryContract` runs on sample
tickets with real histories (:func:`~itilkit.testing.sample_ticket`), and the
cases here check what only real tickets have: the stored index fields are
the ticket's own, its audit history is its history, and a practice the
registry lacks is refused when loading.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from itilkit.categories import StateCategory
from itilkit.codec import Codec
from itilkit.errors import CorruptRecordError
from itilkit.practices import PracticeRegistry, PrioritisedTicket, Ticket
from itilkit.storage import EntityCodec, EntityDocuments, RecordStore, Repository
from itilkit.testing._repository_contract import RepositoryContract
from itilkit.testing._tickets import SAMPLE_PRACTICES, sample_ticket, walk, walk_commands

__all__ = ["TicketRepositoryContract"]


class TicketRepositoryContract(RepositoryContract):
    """Abstract cases for ``Repository(make_store(), EntityDocuments(ENTITY_TYPE, ...))``.

    Set :attr:`ENTITY_TYPE` and implement :meth:`make_store`. Tickets name
    the practices of :data:`PRACTICES` (the presets and the desk practices
    with an SLA by default).
    """

    #: The ticket type under test: Incident, Problem, KnownError, ServiceRequest or Change.
    ENTITY_TYPE: ClassVar[type[Ticket]]
    #: The practices the codec resolves.
    PRACTICES: ClassVar[PracticeRegistry] = SAMPLE_PRACTICES

    def make_codec(self) -> EntityCodec[Any, Any]:
        return EntityDocuments(self.ENTITY_TYPE, Codec(practices=self.PRACTICES))

    def new_entity(self, number: int) -> Any:
        return sample_ticket(self.ENTITY_TYPE, number)

    def changed(self, entity: Any) -> Any:
        """The first command of a walk that adds a history record."""
        for command in range(walk_commands(self.ENTITY_TYPE)):
            for choice in range(3):
                later = walk(entity, [(command, choice + 1, 5)])
                if len(later.history) > len(entity.history):
                    return later
        raise AssertionError(f"no command changes {entity.label} in state {entity.state!r}")

    def test_breaching_within_lists_open_tickets_soonest_due_first(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Open tickets due by now + window (already breached included), soonest first."""
        if self.new_entity(0).practice.sla is None:
            pytest.skip(f"the sample {self.ENTITY_TYPE.__name__} practice has no SLA policy")
        super().test_breaching_within_lists_open_tickets_soonest_due_first(repository, codec)

    def test_open_in_group_lists_open_tickets_by_priority(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Each group's open tickets, highest priority first, oldest first within it."""
        if "assign" not in self.new_entity(0).practice.commands:
            pytest.skip(f"a {self.ENTITY_TYPE.__name__} is never assigned to a group")
        super().test_open_in_group_lists_open_tickets_by_priority(repository, codec)

    def test_stored_index_fields_are_the_tickets_own(
        self, store: RecordStore, repository: Repository[Any, Any]
    ) -> None:
        """State, category, priority, group, practice and times are read off the ticket."""
        for number in range(self.ENTITIES):
            ticket = self.new_entity(number)
            repository.add(ticket)
            index = store.load(repository.kind, ticket.id).index
            assert (index.state, index.category) == (ticket.state, ticket.category)
            priority = ticket.priority.level if isinstance(ticket, PrioritisedTicket) else None
            assert index.priority == priority
            group = None if ticket.assignment is None else ticket.assignment.group
            assert index.assignment_group == group
            assert index.practice == str(ticket.practice.ref)
            assert index.opened_at == ticket.opened_at
            assert index.updated_at >= ticket.last_event_at
            running = ticket.category in (StateCategory.NEW, StateCategory.ACTIVE)
            if ticket.practice.sla is None or not ticket.category.is_open:
                assert index.sla_due_at is None
            elif running:  # the resolution clock at least runs
                assert index.sla_due_at is not None

    def test_history_is_the_tickets_history(self, repository: Repository[Any, Any]) -> None:
        """The audit history reads back as the ticket's own records, typed changes and all."""
        for number in range(self.ENTITIES):
            ticket = self.new_entity(number)
            repository.add(ticket)
            assert repository.history(ticket.id) == ticket.history
            loaded = repository.get(ticket.id).entity
            assert loaded == ticket
            assert loaded.practice is self.PRACTICES.resolve(ticket.practice.ref)

    def test_a_practice_the_registry_lacks_is_refused_on_load(
        self, store: RecordStore, repository: Repository[Any, Any]
    ) -> None:
        """Stored under one registry, read under one without its practice: CorruptRecordError."""
        ticket = self.new_entity(0)
        repository.add(ticket)
        ref = ticket.practice.ref
        kept = [p for p in self.PRACTICES if p.ref != ref and p.known_errors is not ticket.practice]
        bare = PracticeRegistry(kept)  # a problem practice would bring its known errors'
        assert ref not in bare
        other = Repository(store, EntityDocuments(self.ENTITY_TYPE, Codec(practices=bare)))
        with pytest.raises(CorruptRecordError, match=ticket.practice.ref.name):
            other.get(ticket.id)
