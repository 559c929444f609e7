"""The known error: a documented workaround for a problem whose cause is not yet removed.

The entity, its default lifecycle (draft, published, retired) and the
:data:`KNOWN_ERROR` preset practice. Known errors are recorded from a problem
(:meth:`~itilkit.practices.Problem.record_known_error`), with the known-error
practice the problem's practice names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs

from itilkit._repr import shown
from itilkit._validators import aware, is_text, optional, text
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.lifecycle import LifecycleDefinition, State, Transition
from itilkit.practices._practice import Practice, TicketKind, field_edits
from itilkit.practices._ticket import Ticket

__all__ = ["KNOWN_ERROR", "KnownError"]


@attrs.frozen(kw_only=True, slots=False)
class KnownError(Ticket):
    """A known error (see :class:`~itilkit.practices.Ticket` for the shared fields).

    Retiring it closes it (``closed_at``, also readable as ``retired_at``).

    Attributes:
        problem_id: the problem it documents.
        symptom: how it shows itself to users.
        workaround: what the service desk does meanwhile.
        root_cause: the cause, when known.
        published_at: when the workaround was first published.
    """

    KIND: ClassVar[TicketKind] = TicketKind.KNOWN_ERROR
    FIRST_ACTIVE: ClassVar[str | None] = "published_at"

    problem_id: str = attrs.field(validator=text())
    symptom: str = attrs.field(validator=text())
    workaround: str = attrs.field(validator=text())
    root_cause: str | None = attrs.field(default=None, validator=optional(text()))
    published_at: datetime | None = attrs.field(default=None, validator=optional(aware()))

    @classmethod
    def record(
        cls,
        practice: Practice,
        /,
        *,
        id: str,
        problem_id: str,
        title: str,
        symptom: str,
        workaround: str,
        at: datetime,
        actor: str,
        root_cause: str | None = None,
    ) -> KnownError:
        """Record a known error as a draft."""
        return cls(
            **cls._opening(practice, at, actor),
            id=id,
            problem_id=problem_id,
            title=title,
            symptom=symptom,
            workaround=workaround,
            root_cause=root_cause,
        )

    @property
    def retired_at(self) -> datetime | None:
        """When it was retired (its ``closed_at``)."""
        return self.closed_at

    def revise(
        self,
        *,
        at: datetime,
        actor: str,
        symptom: str | None = None,
        workaround: str | None = None,
        root_cause: str | None = None,
    ) -> KnownError:
        """Update the symptom, workaround or root cause (recorded in the history)."""
        given = {"symptom": symptom, "workaround": workaround, "root_cause": root_cause}
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        if not changes:
            raise InvalidInputError("revise needs at least one of symptom, workaround, root_cause")
        for name, value in changes.items():
            if not is_text(value):
                raise InvalidInputError(f"{name} must be a non-empty string, got {shown(value)}")
        return self._run("revise", at, actor, changes)

    def publish(self, *, at: datetime, actor: str) -> KnownError:
        """Make the workaround available to the service desk."""
        return self._run("publish", at, actor, {})

    def retire(self, *, at: datetime, actor: str, reason: str | None = None) -> KnownError:
        """Withdraw it (the problem was fixed, or the workaround no longer applies)."""
        return self._run("retire", at, actor, {}, reason)


KNOWN_ERROR_DEFINITION = LifecycleDefinition(
    "known_error",
    [
        State("draft", StateCategory.NEW, initial=True, description="being written"),
        State(
            "published",
            StateCategory.ACTIVE,
            description="workaround available to the service desk",
        ),
        State("retired", StateCategory.CLOSED, required_fields={"closed_at"}),
    ],
    [
        *field_edits("revise", ("draft", "published")),
        Transition("publish", "draft", "published"),
        Transition("retire", ("draft", "published"), "retired"),
    ],
)

#: The default known-error practice.
KNOWN_ERROR = Practice(
    name="known_error",
    kind=TicketKind.KNOWN_ERROR,
    definition=KNOWN_ERROR_DEFINITION,
    commands={"revise": "revise", "publish": "publish", "retire": "retire"},
    state_fields={"closed_at"},
    description="ITIL known errors: draft, published, retired",
)
