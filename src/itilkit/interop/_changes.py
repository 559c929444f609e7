"""HP SM changes as :class:`~itilkit.practices.Change` entities of a change practice.

HP Service Manager's change export (BPI Challenge 2014's ``Detail_Change``)
keeps, per change, its type (anonymised), an emergency flag, whether it
needed CAB approval, planned and actual times and its affected items, but no
approver, no backout plan, no approval time and no outcome. The importer
replays each change through the practice's lifecycle with what the export has,
and takes what the :class:`~itilkit.practices.Change` model requires and the
export lacks from :class:`HpsmChangeMapping`, whose every default is a
documented placeholder the caller can change, never a silent invention: each
placeholder used is counted in the import report's notes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError
from itilkit.interop._entities import (
    Imported,
    TicketRefusedError,
    _cancel_reason,
    _member,
    _reason,
    _text,
    mapping_choice,
    practice_check,
)
from itilkit.interop._hpsm import HpsmChange, check_hpsm_change, read_hpsm_changes
from itilkit.interop._source import ReadProgress
from itilkit.outcomes import ChangeOutcome
from itilkit.practices import (
    CHANGE,
    ApprovalPolicy,
    ApprovalRule,
    CancelReason,
    Change,
    ChangeType,
    PlannedWindow,
    Practice,
    TicketKind,
)

__all__ = [
    "HPSM_CHANGE",
    "HpsmChangeMapping",
    "hpsm_change_entity",
    "hpsm_change_outcome",
    "hpsm_change_type",
    "import_hpsm_changes",
]


def hpsm_change_outcome(change: HpsmChange) -> ChangeOutcome | None:
    """The outcome an HP SM change export allows: it has no success flag, so a change
    implemented by its planned end is ``successful`` and one that ended after it
    ``successful_with_issues`` (late); without both an actual and a planned end,
    None (not judged).

    .. versionadded:: 0.2
    """
    _expect_change(change)
    ended, planned = change.actual_end, change.planned_end
    if ended is None or planned is None:
        return None
    return ChangeOutcome.SUCCESSFUL if ended <= planned else ChangeOutcome.SUCCESSFUL_WITH_ISSUES


def hpsm_change_type(change: HpsmChange) -> str:
    """``emergency`` when flagged so, ``normal`` when it needs CAB approval,
    ``standard`` otherwise (the export's own change type is anonymised).

    .. versionadded:: 0.2
    """
    _expect_change(change)
    if change.emergency:
        return "emergency"
    return "normal" if change.cab_approval else "standard"


def _expect_change(change: object) -> None:
    if not isinstance(change, HpsmChange):
        raise InvalidInputError(f"change must be an HpsmChange, got {type(change).__name__}")


def _positive(value: object) -> timedelta | None:
    if value is None or (type(value) is timedelta and value > timedelta(0)):
        return value
    raise InvalidInputError(
        f"point_window must be a positive timedelta or None, got {shown(value)}"
    )


def _flag(value: object) -> bool:
    if type(value) is not bool:
        raise InvalidInputError(f"clamp_times must be True or False, got {shown(value)}")
    return value


def _rule(value: object) -> Callable[[HpsmChange], object]:
    if not callable(value):
        raise InvalidInputError(f"expected a callable taking an HpsmChange, got {shown(value)}")
    return value


#: HP SM's changes: the change preset with the warn window policy, since the export's
#: implementations often start outside their planned window (4,396 of the 15,027 of BPI
#: 2014 built and implemented): each is kept with its warning.
HPSM_CHANGE = CHANGE.derive(
    name="hpsm-change",
    window_policy="warn",
    description="HP Service Manager changes (implementations outside the window warn)",
)


@attrs.frozen(kw_only=True)
class HpsmChangeMapping:
    """How HP SM's changes become entities: what the export lacks, the caller's to change.

    Attributes:
        change_type: the :class:`~itilkit.practices.ChangeType` of a change (by
            default :func:`hpsm_change_type`: the emergency flag, then the CAB flag).
        outcome: the outcome recorded at review (by default
            :func:`hpsm_change_outcome`: on time against the planned end, or late);
            None refuses the change.
        cab: the approver recorded for a normal change at both gates (``assess``
            and ``authorize``): the export says CAB approval was needed and the
            change went ahead, and names nobody.
        emergency_authority: the approver recorded for an emergency change at
            ``authorize``.
        backout_plan: the plan text every change gets (the export has none; the
            model requires one before a change leaves ``new``).
        cancel_reason: the reason of a change closed without being implemented
            (no actual start or end), which is canceled from ``new``.
        unknown: the requester and actor of every step (the export names no
            people); never one of the approvers.
        point_window: how long a planned window lasts whose start equals its
            end (the export's times are to the minute; the model needs a window
            that ends after it starts); None refuses such changes.
        clamp_times: move an Actual Start before the record's Open Time up to
            it, and an Actual End after its Close Time down to it (work recorded
            after the fact: BPI 2014 has 1,659 such changes, most within a day),
            instead of refusing the change; off by default, since the entity's
            actual times then differ from the export's.

    Approvals and scheduling are recorded at the change's open time (the
    export keeps no approval time), each vote with a comment saying so.

    >>> mine = HpsmChangeMapping(cab="Rabobank CAB", backout_plan="see the release notes")

    .. versionadded:: 0.2
    """

    change_type: Callable[[HpsmChange], object] = attrs.field(
        default=hpsm_change_type, converter=_rule
    )
    outcome: Callable[[HpsmChange], object] = attrs.field(
        default=hpsm_change_outcome, converter=_rule
    )
    cab: str = attrs.field(default="CAB", converter=_text)
    emergency_authority: str = attrs.field(default="ECAB", converter=_text)
    backout_plan: str = attrs.field(
        default="placeholder set on import: HP SM exports no backout plan", converter=_text
    )
    cancel_reason: CancelReason = attrs.field(default=CancelReason.OTHER, converter=_cancel_reason)
    unknown: str = attrs.field(default="unknown", converter=_text)
    point_window: timedelta | None = attrs.field(default=timedelta(minutes=1), converter=_positive)
    clamp_times: bool = attrs.field(default=False, converter=_flag)

    def __attrs_post_init__(self) -> None:
        if self.unknown in (self.cab, self.emergency_authority):
            raise InvalidInputError(
                f"unknown {self.unknown!r} stands for the requester, who may not approve; "
                "choose names apart from cab and emergency_authority"
            )
        if self.cancel_reason is CancelReason.DUPLICATE:
            raise InvalidInputError("cancel_reason 'duplicate' needs the original; choose another")


_DEFAULT = HpsmChangeMapping()


_change_practice = practice_check(
    TicketKind.CHANGE,
    "a change practice (itilkit.interop.HPSM_CHANGE, itilkit.practices.CHANGE or one derived "
    "from them)",
)
_chosen = mapping_choice(HpsmChangeMapping, _DEFAULT, "an HpsmChangeMapping")


def hpsm_change_entity(
    change: HpsmChange,
    practice: Practice = HPSM_CHANGE,
    mapping: HpsmChangeMapping | None = None,
    *,
    notes: Counter[str] | None = None,
) -> Change:
    """The :class:`~itilkit.practices.Change` an HP SM change's record replays to.

    It is submitted at its open time by ``mapping.unknown`` with the type
    ``mapping.change_type`` gives, the planned window (Planned Start to
    Planned End), ``mapping.backout_plan``, the affected items' names as its
    configuration items and a description keeping what the model has no field
    for (the export's change type, risk assessment, origin and the counts of
    related incidents and interactions). An implemented change (Actual Start
    set) is then authorised on its path (a normal change approved by
    ``mapping.cab`` at ``assess`` and ``authorize``, an emergency one by
    ``mapping.emergency_authority``, a standard one scheduled), implemented at
    Actual Start, reviewed at Actual End with ``mapping.outcome`` and closed at
    its close time; a change closed without being implemented is canceled from
    ``new`` at its close time. The entity checks every rule as it goes.

    Raises:
        TicketRefusedError: the practice refuses the record (no planned
            window, an actual end without a start, times the lifecycle cannot
            take in order...), naming its first row.
        InvalidInputError: the arguments are not acceptable.

    .. versionadded:: 0.2
    """
    _expect_change(change)
    check_hpsm_change(change)
    _change_practice(practice)
    if notes is not None and not isinstance(notes, Counter):
        raise InvalidTypeError("notes", "a collections.Counter or None", notes)
    return _change_entity(change, practice, _chosen(mapping), notes)


def _change_entity(
    change: HpsmChange,
    practice: Practice,
    chosen: HpsmChangeMapping,
    notes: Counter[str] | None,
) -> Change:
    """:func:`hpsm_change_entity` of arguments already checked (the importer's)."""
    kept = Counter[str]()  # the notes of a refused change are not the import's
    try:
        entity = _replay(change, practice, chosen, kept)
    except ItilkitError as error:
        row = change.rows[0] if change.rows else 0
        raise TicketRefusedError(change.id, row, _reason(error)) from None
    if notes is not None:
        notes.update(kept)
    return entity


def _description(change: HpsmChange) -> str:
    parts = [
        f"HP SM change type {change.change_type!r}" if change.change_type else None,
        f"risk assessment {change.risk_assessment!r}" if change.risk_assessment else None,
        f"originated from {change.originated_from}" if change.originated_from else None,
        None
        if change.related_incidents is None
        else f"{change.related_incidents} related incident(s)",
        None
        if change.related_interactions is None
        else f"{change.related_interactions} related interaction(s)",
    ]
    return "; ".join(p for p in parts if p)


def _items(change: HpsmChange, notes: Counter[str]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for item in change.affected:
        if item.name is None:
            notes["affected items without a name, not kept"] += 1
        else:
            names[item.name] = None
    return tuple(names)


def _policy(kind: ChangeType, mapping: HpsmChangeMapping) -> ApprovalPolicy:
    if kind is ChangeType.NORMAL:
        cab = ApprovalRule.any_one([mapping.cab])
        return ApprovalPolicy.of(assess=cab, authorize=cab)
    if kind is ChangeType.EMERGENCY:
        return ApprovalPolicy.of(authorize=ApprovalRule.any_one([mapping.emergency_authority]))
    return ApprovalPolicy()


def _replay(
    change: HpsmChange, practice: Practice, mapping: HpsmChangeMapping, notes: Counter[str]
) -> Change:
    kind = _member(ChangeType, mapping.change_type(change))
    start, end = change.planned_start, change.planned_end
    if start is None or end is None:
        missing = "Planned Start" if start is None else "Planned End"
        raise InvalidInputError(f"{missing} is missing, and a change's plan needs its window")
    if start == end:
        if mapping.point_window is None:
            raise InvalidInputError("Planned Start equals Planned End: the window is empty")
        end = start + mapping.point_window
        notes["planned windows with start = end, widened by the mapping's point_window"] += 1
    opened, who = change.opened_at, mapping.unknown
    ticket = Change.submit(
        practice,
        id=change.id,
        title=change.change_type or change.id,
        description=_description(change),
        change_type=kind,
        requested_by=who,
        at=opened,
        backout_plan=mapping.backout_plan,
        planned_window=PlannedWindow(start, end),
        approval_policy=_policy(kind, mapping),
        configuration_items=_items(change, notes),
    )
    notes["backout plans set to the mapping's placeholder"] += 1
    if change.actual_start is None:
        if change.actual_end is not None:
            raise InvalidInputError("Actual End is set without an Actual Start")
        if change.closed_at is None:
            return ticket
        notes["changes closed without an actual start, canceled"] += 1
        return ticket.cancel(
            mapping.cancel_reason,
            at=change.closed_at,
            actor=who,
            notes="HP SM closed the change with no actual start or end",
        )
    if change.actual_end is None:
        raise InvalidInputError(
            "Actual Start is set without an Actual End: the change cannot be reviewed"
        )
    began, ended = _actual(change, mapping, notes)
    ticket = _authorised(ticket, kind, opened, mapping, notes)
    ticket = ticket.implement(at=began, actor=who)
    if ticket.window_warning is not None:
        notes["implementations outside the planned window, kept with a warning"] += 1
    outcome = mapping.outcome(change)
    if outcome is None:
        raise InvalidInputError("the mapping's outcome rule gives no outcome for this change")
    ticket = ticket.review(
        at=ended,
        actor=who,
        outcome=_member(ChangeOutcome, outcome),
        reason="outcome given by the import mapping (HP SM exports none)",
    )
    if change.closed_at is not None:
        ticket = ticket.close(at=change.closed_at, actor=who)
    return ticket


def _actual(
    change: HpsmChange, mapping: HpsmChangeMapping, notes: Counter[str]
) -> tuple[datetime, datetime]:
    """The implementation's start and end: the export's, or with ``clamp_times`` moved
    into the record's open-to-close span; else a typed error when they fall outside."""
    began, ended, closed = change.actual_start, change.actual_end, change.closed_at
    assert began is not None
    assert ended is not None
    opened = change.opened_at
    if mapping.clamp_times:
        moved = began < opened or (closed is not None and ended > closed)
        began = max(began, opened)
        ended = ended if closed is None else min(ended, closed)
        if moved:
            notes["actual times moved into the record's open-close span (clamp_times)"] += 1
        if ended < began:
            raise InvalidInputError("the actual times lie wholly outside the record's span")
    if began < opened:
        raise InvalidInputError("Actual Start is before the change record's Open Time")
    if closed is not None and closed < ended:
        raise InvalidInputError("the change record's Close Time is before its Actual End")
    return began, ended


_VOTE = "imported: HP SM names no approver and keeps no approval time"


def _authorised(
    ticket: Change,
    kind: ChangeType,
    at: datetime,
    mapping: HpsmChangeMapping,
    notes: Counter[str],
) -> Change:
    """The change moved from ``new`` to ``scheduled`` on its type's path, at ``at``."""
    who = mapping.unknown
    if kind is ChangeType.STANDARD:
        return ticket.schedule(at=at, actor=who)
    if kind is ChangeType.EMERGENCY:
        notes["emergency authorisations recorded for the mapping's authority"] += 1
        voted = ticket.authorize(at=at, actor=who)
        return voted.approve(at=at, actor=mapping.emergency_authority, comment=_VOTE)
    notes["CAB approvals recorded for the mapping's approver"] += 1
    assessed = ticket.assess(at=at, actor=who).approve(at=at, actor=mapping.cab, comment=_VOTE)
    return assessed.approve(at=at, actor=mapping.cab, comment=_VOTE)


def import_hpsm_changes(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    practice: Practice = HPSM_CHANGE,
    mapping: HpsmChangeMapping | None = None,
    strict: bool = False,
    contiguous: bool = True,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Imported[Change]:
    """Import an HP SM change export as :class:`~itilkit.practices.Change` entities of
    ``practice`` (see :func:`hpsm_change_entity`); read by :func:`read_hpsm_changes`
    (``tz``, ``contiguous``, ``encoding``, ``progress`` as there). ``strict`` stops at
    the first malformed row or refused change.

    .. versionadded:: 0.2
    """
    _change_practice(practice)
    chosen = _chosen(mapping)
    reading = read_hpsm_changes(
        path,
        tz=tz,
        contiguous=contiguous,
        strict=strict,
        encoding=encoding,
        progress=progress,
    )

    def build(change: HpsmChange, notes: Counter[str]) -> Change:
        return _change_entity(change, practice, chosen, notes)

    return Imported(reading, build, strict=strict)
