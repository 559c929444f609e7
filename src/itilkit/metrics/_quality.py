"""Data-quality bookkeeping: exclusions and field problems with sample record keys.

A sample is a record's ``id`` (as a string), or its position in the input when
it has none; positions are kept as numbers until the result is made, so that
merged partials give the positions of the records in the whole input
(``#0`` of the second partial is ``#<records of the first>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from itilkit._repr import shown
from itilkit._validators import non_negative, tuple_of
from itilkit.metrics._fields import ABSENT, UNREADABLE, FieldMap, is_missing, read

__all__ = ["Tally"]

#: How many record keys a tally keeps as examples.
SAMPLE_SIZE: Final = 5

Sample = str | int
"""A record's id, or its position in the input (rendered ``#<position>``)."""
Counted = tuple[int, tuple[Sample, ...]]
"""How many records, and the samples of the first few."""


@attrs.frozen
class Tally:
    """How many records, and the keys of the first few (in input order)."""

    count: int = attrs.field(validator=non_negative())
    samples: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))


def _key_text(value: object) -> str:
    try:
        return str(value)
    except Exception:  # a deep structure, a huge int, a hostile __str__
        return shown(value)


def _merge_counts(
    a: Mapping[Any, Counted], b: Mapping[Any, Counted], offset: int
) -> dict[Any, Counted]:
    merged = dict(a)
    for key, (count, samples) in b.items():
        shifted = tuple(s + offset if isinstance(s, int) else s for s in samples)
        old = merged.get(key)
        if old is None:
            merged[key] = (count, shifted)
        else:
            merged[key] = (old[0] + count, (old[1] + shifted)[:SAMPLE_SIZE])
    return merged


def tally(counted: Counted) -> Tally:
    """The public :class:`Tally` of counted samples (positions as ``#<position>``)."""
    count, samples = counted
    return Tally(count, tuple(f"#{s}" if isinstance(s, int) else s for s in samples))


class Quality:
    """Collects, during one pass, why records were excluded and which fields were bad.

    Exclusions are counted by reason, issues by ``(field, problem)``, each with
    the samples of its first records; :meth:`QualityReport.of` freezes them.
    """

    __slots__ = ("_counts", "_samples", "fields")

    def __init__(self, fields: FieldMap) -> None:
        self.fields = fields
        self._counts: dict[tuple[str, str], int] = {}
        self._samples: dict[tuple[str, str], list[Sample]] = {}

    def key_of(self, record: object, index: int) -> Sample:
        """The record's key for samples: its ``id`` field as a string, else its position."""
        name = self.fields.source("id")
        value = ABSENT if name is None else read(record, name)
        if value is ABSENT or value is UNREADABLE or is_missing(value):
            return index
        return value if type(value) is str else _key_text(value)

    def _note(self, kind: str, what: str, record: object, index: int) -> None:
        slot = (kind, what)
        self._counts[slot] = self._counts.get(slot, 0) + 1
        samples = self._samples.setdefault(slot, [])
        if len(samples) < SAMPLE_SIZE:
            samples.append(self.key_of(record, index))

    def exclude(self, reason: str, record: object, index: int) -> None:
        """Count ``record`` as excluded for ``reason``."""
        self._note("", reason, record, index)

    def count(self, reason: str, excluded: int) -> None:
        """Count ``excluded`` more records as excluded for ``reason`` (no samples)."""
        slot = ("", reason)
        self._counts[slot] = self._counts.get(slot, 0) + excluded
        self._samples.setdefault(slot, [])

    def issue(self, field: str, problem: str, record: object, index: int) -> None:
        """Count a bad value of ``field`` (a host column name) on ``record``."""
        self._note(field, problem, record, index)

    def counted(self) -> tuple[dict[str, Counted], dict[tuple[str, str], Counted]]:
        """Exclusions by reason, and issues by (field, problem)."""
        exclusions: dict[str, Counted] = {}
        issues: dict[tuple[str, str], Counted] = {}
        for (kind, what), count in self._counts.items():
            counted = (count, tuple(self._samples[kind, what]))
            if kind:
                issues[kind, what] = counted
            else:
                exclusions[what] = counted
        return exclusions, issues


@attrs.frozen
class QualityReport:
    """Exclusions and field issues of a (partial) computation over ``records`` records."""

    exclusions: Mapping[str, Counted] = attrs.field(factory=dict, hash=False)
    issues: Mapping[tuple[str, str], Counted] = attrs.field(factory=dict, hash=False)
    records: int = 0

    @classmethod
    def of(cls, quality: Quality, records: int) -> QualityReport:
        """Freeze what a pass over ``records`` records collected."""
        exclusions, issues = quality.counted()
        return cls(exclusions, issues, records)

    def merge(self, other: QualityReport) -> QualityReport:
        """Both reports, counts added, samples of ``self`` first, ``other``'s positions after."""
        return QualityReport(
            _merge_counts(self.exclusions, other.exclusions, self.records),
            _merge_counts(self.issues, other.issues, self.records),
            self.records + other.records,
        )
