"""Data-quality bookkeeping: exclusions and field problems with sample record keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from itilkit.metrics._fields import ABSENT, FieldMap, is_missing, read

__all__ = ["Tally"]

#: How many record keys a tally keeps as examples.
SAMPLE_SIZE: Final = 5


@attrs.frozen
class Tally:
    """How many records, and the keys of the first few (in input order)."""

    count: int
    samples: tuple[str, ...] = ()


def _merge_tallies(a: Mapping[Any, Tally], b: Mapping[Any, Tally]) -> dict[Any, Tally]:
    merged = dict(a)
    for key, tally in b.items():
        old = merged.get(key)
        if old is None:
            merged[key] = tally
        else:
            samples = (old.samples + tally.samples)[:SAMPLE_SIZE]
            merged[key] = Tally(old.count + tally.count, samples)
    return merged


class Quality:
    """Collects, during one pass, why records were excluded and which fields were bad.

    ``exclusions`` maps a reason to a :class:`Tally`; ``issues`` maps
    ``(field, problem)`` to a :class:`Tally`. Partials merge with :meth:`merged`.
    """

    __slots__ = ("_counts", "_samples", "fields")

    def __init__(self, fields: FieldMap) -> None:
        self.fields = fields
        self._counts: dict[tuple[str, str], int] = {}
        self._samples: dict[tuple[str, str], list[str]] = {}

    def key_of(self, record: object, index: int) -> str:
        """The record's key for samples: its ``id`` field, else its position."""
        name = self.fields.source("id")
        value = ABSENT if name is None else read(record, name)
        if value is ABSENT or is_missing(value):
            return f"#{index}"
        return str(value)

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

    def tallies(self) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
        """Exclusions by reason, and issues by (field, problem)."""
        exclusions: dict[str, Tally] = {}
        issues: dict[tuple[str, str], Tally] = {}
        for (kind, what), count in self._counts.items():
            tally = Tally(count, tuple(self._samples[kind, what]))
            if kind:
                issues[kind, what] = tally
            else:
                exclusions[what] = tally
        return exclusions, issues


@attrs.frozen
class QualityReport:
    """Exclusions and field issues of a (partial) computation, mergeable."""

    exclusions: Mapping[str, Tally] = attrs.field(factory=dict, hash=False)
    issues: Mapping[tuple[str, str], Tally] = attrs.field(factory=dict, hash=False)

    @classmethod
    def of(cls, quality: Quality) -> QualityReport:
        """Freeze what a pass collected."""
        exclusions, issues = quality.tallies()
        return cls(exclusions, issues)

    def merge(self, other: QualityReport) -> QualityReport:
        """Both reports, counts added, samples of ``self`` first."""
        return QualityReport(
            _merge_tallies(self.exclusions, other.exclusions),
            _merge_tallies(self.issues, other.issues),
        )
