"""Typed results: overall and per-group statistics plus the data-quality report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

import attrs

from itilkit.metrics._quality import Tally

__all__ = ["Result"]


class Stats(Protocol):
    """What every statistics value offers: its flat row for :meth:`Result.to_frame`."""

    def _row(self) -> dict[str, Any]: ...


S = TypeVar("S", bound=Stats)


@attrs.frozen
class Result(Generic[S]):
    """What a measure found (as JSON: ``itilkit.codec.dumps(result)``).

    ``overall`` summarises every counted record; ``groups`` maps a key tuple
    (one value per ``by`` dimension, in order) to that group's statistics.
    ``exclusions`` maps a reason to a :class:`Tally` of records left out;
    ``field_issues`` maps a host field name to ``{problem: Tally}``.
    """

    measure: str
    by: tuple[str, ...]
    overall: S
    groups: Mapping[tuple[Any, ...], S] = attrs.field(hash=False)
    exclusions: Mapping[str, Tally] = attrs.field(hash=False)
    field_issues: Mapping[str, Mapping[str, Tally]] = attrs.field(hash=False)

    @property
    def excluded(self) -> int:
        """How many records were left out, for any reason."""
        return sum(t.count for t in self.exclusions.values())

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per group (the overall row when ungrouped).

        Needs the ``pandas`` extra: ``pip install 'itilkit[pandas]'``.
        """
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - exercised without the extra
            raise ImportError(
                "Result.to_frame needs pandas: install the extra with pip install 'itilkit[pandas]'"
            ) from error
        if not self.by:
            return pd.DataFrame([self.overall._row()])
        rows = [dict(zip(self.by, key, strict=True)) | s._row() for key, s in self.groups.items()]
        frame = pd.DataFrame(rows, columns=[*self.by, *self.overall._row()])
        return frame.set_index(list(self.by))
