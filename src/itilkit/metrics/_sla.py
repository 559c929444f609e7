"""SLA compliance over records that carry their SLA outcomes as plain fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal

import attrs

from itilkit._repr import shown
from itilkit._validators import non_negative, of_type
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.metrics._engine import Layout, Measure
from itilkit.metrics._fields import ABSENT, UNREADABLE, is_missing, problem_of
from itilkit.metrics._quality import Quality
from itilkit.metrics._stats import RateStats
from itilkit.outcomes import SlaOutcome

__all__ = ["SlaCompliance", "SlaStats", "SlaTargetStats"]


_ORDER = (SlaOutcome.MET, SlaOutcome.BREACHED, SlaOutcome.IN_PROGRESS, SlaOutcome.CANCELED)


@attrs.frozen
class SlaTargetStats:
    """Outcome counts of one target; ``compliance`` = met / (met + breached)."""

    met: int = attrs.field(validator=non_negative())
    breached: int = attrs.field(validator=non_negative())
    in_progress: int = attrs.field(validator=non_negative())
    canceled: int = attrs.field(validator=non_negative())

    @property
    def compliance(self) -> RateStats:
        """Met out of completed (met or breached); in-progress and canceled left out."""
        return RateStats(self.met, self.met + self.breached)

    def _row(self) -> dict[str, Any]:
        """Plain counts and the compliance rate."""
        return {**attrs.asdict(self), "compliance": self.compliance.rate}


def _target_stats(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(t, SlaTargetStats) for t in value.values()
    ):
        raise InvalidTypeError("targets", "a mapping of target names to SlaTargetStats", value)


@attrs.frozen
class SlaStats:
    """Per-target counts, and ``records``: records with every completed target met."""

    targets: Mapping[str, SlaTargetStats] = attrs.field(hash=False, validator=_target_stats)
    records: RateStats = attrs.field(validator=of_type(RateStats))

    def _row(self) -> dict[str, Any]:
        """Flat: ``<target>_<count>`` columns, then the per-record rate."""
        flat: dict[str, Any] = {}
        for name, target in self.targets.items():
            flat.update({f"{name}_{k}": v for k, v in target._row().items()})
        flat.update({f"records_{k}": v for k, v in self.records._row().items()})
        return flat


_TARGETS_HELP = (
    "targets is a list of SLA target names, or maps each name to the host field holding "
    "its outcome, e.g. {'response': 'response_sla', 'resolution': 'made_sla'}"
)


def _as_dict(value: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    if isinstance(value, Mapping):
        try:
            return dict(value)
        except Exception:  # a key that cannot be hashed again, a mapping that fails
            raise InvalidInputError(f"{_TARGETS_HELP}; got {shown(value)}") from None
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError("targets", "a list of target names or a mapping", value)
    names = list(value)
    if not all(isinstance(name, str) for name in names):  # before hashing any of them
        raise InvalidInputError(f"{_TARGETS_HELP}; got {shown(names)}")
    return {name: name for name in names}


def _check_targets(_: object, __: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    if not value or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items()
    ):
        raise InvalidInputError(f"{_TARGETS_HELP}; got {shown(value)}")


def _check_flags(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if value not in ("breached", "met") or not isinstance(value, str):
        raise InvalidInputError(
            f"flags says what a bool outcome means: 'breached' or 'met', got {shown(value)}"
        )


@attrs.frozen(kw_only=True)
class SlaCompliance(Measure[dict[str, list[int]], SlaStats]):
    """SLA compliance per target and per record.

    ``targets`` maps each target name to the field holding its outcome; a
    list of names reads each under its own name, as in the records
    :func:`itilkit.practices.sla_outcomes` makes from entities. Each target
    field holds a :class:`SlaOutcome` (or its value), a bool, or ``None`` (no
    such SLA on the record). A bool means "breached" unless
    ``flags="met"`` (ServiceNow's ``made_sla`` is a met flag). Canceled
    records are excluded; a record with a malformed outcome is excluded whole.
    Per record: a record counts in ``records`` when at least one target
    completed (met or breached), and is a hit when none was breached.
    """

    name: ClassVar[str] = "sla_compliance"
    reads: ClassVar[tuple[str, ...]] = ("category",)

    targets: Mapping[str, str] = attrs.field(
        converter=_as_dict, validator=_check_targets, hash=False
    )
    flags: Literal["breached", "met"] = attrs.field(default="breached", validator=_check_flags)

    def _extra_fields(self) -> tuple[tuple[str, str], ...]:
        """One host field per target."""
        return tuple((f"sla:{name}", field) for name, field in self.targets.items())

    def _new_state(self) -> dict[str, list[int]]:
        """Zero counts per target, and for records."""
        state = {name: [0, 0, 0, 0] for name in self.targets}
        state[""] = [0, 0]
        return state

    def _add(self, state: dict[str, list[int]], item: dict[str, int]) -> None:
        """Count one record's outcomes (``item`` maps target to outcome position)."""
        for name, position in item.items():
            state[name][position] += 1
        completed = [p for p in item.values() if p < 2]
        if completed:
            state[""][1] += 1
            if 1 not in completed:
                state[""][0] += 1

    def _merge_states(
        self, a: dict[str, list[int]], b: dict[str, list[int]]
    ) -> dict[str, list[int]]:
        """Counts added."""
        return {name: [x + y for x, y in zip(a[name], b[name], strict=True)] for name in a}

    def _merge_all(self, states: Iterable[dict[str, list[int]]]) -> dict[str, list[int]]:
        """All counts added."""
        merged = self._new_state()
        for state in states:
            merged = self._merge_states(merged, state)
        return merged

    def _stats(self, state: dict[str, list[int]]) -> SlaStats:
        """Per-target and per-record figures."""
        targets = {name: SlaTargetStats(*state[name]) for name in self.targets}
        return SlaStats(targets, RateStats(*state[""]))

    def _outcome(self, value: object) -> tuple[SlaOutcome | None, str | None]:
        if value is ABSENT or value is UNREADABLE:
            return None, problem_of(value)
        if is_missing(value):
            return None, None
        if isinstance(value, bool):
            breached = value if self.flags == "breached" else not value
            return (SlaOutcome.BREACHED if breached else SlaOutcome.MET), None
        if not isinstance(value, str):
            return None, f"not an SLA outcome ({type(value).__name__})"
        try:
            return SlaOutcome(value), None
        except InvalidInputError:
            allowed = ", ".join(o.value for o in SlaOutcome)
            return None, f"not an SLA outcome ({shown(value)}; allowed: bool, None, {allowed})"

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> dict[str, int] | None:
        """The outcome position per target the record has an SLA for."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        item: dict[str, int] = {}
        for name in self.targets:
            position = layout.index[f"sla:{name}"]
            outcome, problem = self._outcome(raw[position])
            if problem:
                quality.issue(layout.names[position], problem, record, index)
                quality.exclude(f"no valid {layout.names[position]}", record, index)
                return None
            if outcome is not None:
                item[name] = _ORDER.index(outcome)
        if not item:
            quality.exclude("no SLA", record, index)
            return None
        return item
