"""Reason and outcome codes, and the small records the ticket commands write.

Codes are string enums so they serialise by value; every constructor and
entity field that takes one also accepts its string value and refuses
anything else with the allowed values listed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import ClassVar, TypeVar

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import aware, of_type, optional, text
from itilkit.errors import InvalidInputError

__all__ = [
    "Assignment",
    "CancelReason",
    "Cancellation",
    "Fulfilment",
    "HoldReason",
    "Note",
    "OutcomeCode",
    "ProblemResolutionCode",
    "Resolution",
    "ResolutionCode",
]


class HoldReason(Vocabulary):
    """Why work on a ticket waits on someone outside the team."""

    #: Waiting for the caller or requester (e.g. for information or a test).
    AWAITING_CALLER = "awaiting_caller"
    AWAITING_VENDOR = "awaiting_vendor"
    AWAITING_CHANGE = "awaiting_change"
    AWAITING_PROBLEM = "awaiting_problem"
    #: Service requests: waiting for stock or delivery.
    AWAITING_STOCK = "awaiting_stock"
    OTHER = "other"


class ResolutionCode(Vocabulary):
    """How an incident was resolved."""

    FIXED = "fixed"
    WORKAROUND = "workaround"
    NOT_REPRODUCIBLE = "not_reproducible"
    RESOLVED_BY_CALLER = "resolved_by_caller"
    OTHER = "other"


class ProblemResolutionCode(Vocabulary):
    """How a problem was resolved."""

    #: A fix removed the root cause.
    FIX_APPLIED = "fix_applied"
    #: The cause stays; the risk was accepted (a workaround may remain).
    RISK_ACCEPTED = "risk_accepted"


class CancelReason(Vocabulary):
    """Why a ticket was canceled rather than worked to the end."""

    #: Another ticket covers it; ``duplicate_of`` names that ticket.
    DUPLICATE = "duplicate"
    NOT_AN_INCIDENT = "not_an_incident"
    #: The requester or caller withdrew it.
    WITHDRAWN = "withdrawn"
    UNNECESSARY = "unnecessary"
    OTHER = "other"


class OutcomeCode(Vocabulary):
    """How a service request ended (the outcome on its final state)."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    SKIPPED = "skipped"
    CANCELED = "canceled"
    REJECTED = "rejected"


E = TypeVar("E", bound=StrEnum)


def to_enum(cls: type[E], value: object) -> E:
    """``value`` as a member of ``cls`` (from a member or its value); else a typed error."""
    if isinstance(value, cls):
        return value
    if type(value) is str:
        found = cls._value2member_map_.get(value)
        if found is not None:
            return found  # type: ignore[return-value]
    allowed = ", ".join(member.value for member in cls)
    raise InvalidInputError(f"{shown(value)} is not a {cls.__name__}; allowed: {allowed}")


def cancel_reason(value: object) -> CancelReason:
    """``value`` as a :class:`CancelReason` (an attrs converter)."""
    return to_enum(CancelReason, value)


def hold_reason_or_none(value: object) -> HoldReason | None:
    """``value`` as a :class:`HoldReason`, or None (an attrs converter)."""
    return None if value is None else to_enum(HoldReason, value)


def outcome_code_or_none(value: object) -> OutcomeCode | None:
    """``value`` as an :class:`OutcomeCode`, or None (an attrs converter)."""
    return None if value is None else to_enum(OutcomeCode, value)


@attrs.frozen
class Note:
    """A work note or a public comment on a ticket."""

    at: datetime = attrs.field(validator=aware())
    author: str = attrs.field(validator=text())
    text: str = attrs.field(validator=text())
    public: bool = attrs.field(default=False, validator=of_type(bool))


@attrs.frozen
class Assignment:
    """Who works on a ticket: a group, a person, or both."""

    group: str | None = attrs.field(default=None, validator=optional(text()))
    assignee: str | None = attrs.field(default=None, validator=optional(text()))

    #: An assignment of values already checked as construction checks them (the codec's).
    _from_checked: ClassVar[Callable[[str | None, str | None], Assignment]]

    def __attrs_post_init__(self) -> None:
        if self.group is None and self.assignee is None:
            raise InvalidInputError("an assignment needs a group, an assignee, or both")

    def __str__(self) -> str:
        return "/".join(part for part in (self.group, self.assignee) if part)


class ReassignmentRule(Vocabulary):
    """Which changes of assignment a practice counts as reassignments."""

    #: every change of group or person after the first assignment (the default)
    ANY_CHANGE = "any_change"
    #: a change of group (given, changed or taken away); another person, within
    #: the same group or without one, is not counted. This is how ServiceNow's
    #: ``reassignment_count`` counts.
    GROUP = "group"


def reassigns(old: object, new: object, rule: ReassignmentRule) -> bool:
    """Whether assignment ``new`` reassigns a ticket assigned ``old``, under ``rule``.

    Values that are not assignments count when they differ (a comparison that
    fails counts as a difference). ``rule`` may be given by value (``"group"``).
    """
    if type(rule) is not ReassignmentRule:
        rule = to_enum(ReassignmentRule, rule)
    if rule is ReassignmentRule.GROUP and type(old) is Assignment and type(new) is Assignment:
        return new.group != old.group
    try:
        return bool(old != new)
    except Exception:  # a value whose comparison fails
        return True


@attrs.frozen
class Resolution:
    """One resolution of a ticket; a reopened ticket keeps every earlier one."""

    at: datetime = attrs.field(validator=aware())
    actor: str = attrs.field(validator=text())
    code: ResolutionCode | ProblemResolutionCode = attrs.field(
        validator=of_type(ResolutionCode, ProblemResolutionCode)
    )
    notes: str = attrs.field(validator=text())

    #: A resolution of values already checked as construction checks them (the codec's).
    _from_checked: ClassVar[
        Callable[[datetime, str, ResolutionCode | ProblemResolutionCode, str], Resolution]
    ]


_new = object.__new__
_set = object.__setattr__


def new_resolution(
    at: datetime, actor: str, code: ResolutionCode | ProblemResolutionCode, notes: str
) -> Resolution:
    """``Resolution(at, actor, code, notes)`` with its checks inline for the usual values.

    The same checks as the validators (an aware datetime, non-blank strings, a
    resolution code), without the generic ``__init__``; anything else goes
    through the class, whose validators say what is wrong.
    """
    if (
        type(at) is datetime
        and type(actor) is str
        and type(notes) is str
        and (type(code) is ResolutionCode or type(code) is ProblemResolutionCode)
        and actor
        and notes
        and not actor.isspace()
        and not notes.isspace()
    ):
        try:
            aware = at.utcoffset() is not None
        except Exception:  # a tzinfo that misbehaves: the validator says so
            aware = False
        if aware:
            return _resolution(at, actor, code, notes)
    return Resolution(at, actor, code, notes)


def _assignment(group: str | None, assignee: str | None) -> Assignment:
    made = _new(Assignment)
    _set(made, "group", group)
    _set(made, "assignee", assignee)
    return made


def _resolution(
    at: datetime, actor: str, code: ResolutionCode | ProblemResolutionCode, notes: str
) -> Resolution:
    made = _new(Resolution)
    _set(made, "at", at)
    _set(made, "actor", actor)
    _set(made, "code", code)
    _set(made, "notes", notes)
    return made


Assignment._from_checked = _assignment
Resolution._from_checked = _resolution


@attrs.frozen
class Fulfilment:
    """One fulfilment of a service request; a reopened request keeps every earlier one."""

    at: datetime = attrs.field(validator=aware())
    actor: str = attrs.field(validator=text())
    notes: str = attrs.field(validator=text())


@attrs.frozen
class Cancellation:
    """Why, when and by whom a ticket was canceled.

    ``duplicate_of`` is required when the reason is ``duplicate`` and refused
    otherwise.
    """

    at: datetime = attrs.field(validator=aware())
    actor: str = attrs.field(validator=text())
    reason: CancelReason = attrs.field(converter=cancel_reason)
    duplicate_of: str | None = attrs.field(default=None, validator=optional(text()))
    notes: str | None = attrs.field(default=None, validator=optional(text()))

    def __attrs_post_init__(self) -> None:
        if self.reason is CancelReason.DUPLICATE and self.duplicate_of is None:
            raise InvalidInputError("a cancel as duplicate needs duplicate_of: the original's id")
        if self.reason is not CancelReason.DUPLICATE and self.duplicate_of is not None:
            raise InvalidInputError(
                f"duplicate_of is only for reason 'duplicate', not {shown(self.reason.value)}"
            )
