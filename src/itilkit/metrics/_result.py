"""Typed results: overall and per-group statistics plus the data-quality report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

import attrs

from itilkit._validators import of_type, text, tuple_of
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.metrics._quality import Tally

__all__ = ["Result"]


class Stats(Protocol):
    """What every statistics value offers: its flat row for :meth:`Result.to_frame`."""

    def _row(self) -> dict[str, Any]: ...


S = TypeVar("S", bound=Stats)


def _check_stats(value: object) -> None:
    if not callable(getattr(value, "_row", None)):
        raise InvalidTypeError(
            "statistics", "a statistics value (DurationStats, RateStats...)", value
        )


def _stats(_: object, __: attrs.Attribute[Any], value: Any) -> None:
    _check_stats(value)


@attrs.frozen
class Result(Generic[S]):
    """What a measure found (as JSON: ``itilkit.codec.dumps(result)``).

    ``overall`` summarises every counted record; ``groups`` maps a key tuple
    (one value per ``by`` dimension, in order) to that group's statistics.
    ``exclusions`` maps a reason to a :class:`Tally` of records left out;
    ``field_issues`` maps a host field name to ``{problem: Tally}``.
    """

    measure: str = attrs.field(validator=text())
    by: tuple[str, ...] = attrs.field(validator=tuple_of(str))
    overall: S = attrs.field(validator=_stats)
    groups: Mapping[tuple[Any, ...], S] = attrs.field(hash=False, validator=of_type(Mapping))
    exclusions: Mapping[str, Tally] = attrs.field(hash=False, validator=of_type(Mapping))
    field_issues: Mapping[str, Mapping[str, Tally]] = attrs.field(
        hash=False, validator=of_type(Mapping)
    )

    def __attrs_post_init__(self) -> None:
        for key, stats in self.groups.items():
            if not isinstance(key, tuple) or len(key) != len(self.by):
                raise InvalidInputError(
                    f"each group key is a tuple of {len(self.by)} value(s), one per by column"
                )
            _check_stats(stats)
        tallies = [*self.exclusions.values()]
        for problems in self.field_issues.values():
            if not isinstance(problems, Mapping):
                raise InvalidTypeError("field_issues", "field -> {problem: Tally}", problems)
            tallies.extend(problems.values())
        for tally in tallies:
            if not isinstance(tally, Tally):
                raise InvalidTypeError("each tally", "a Tally", tally)

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
