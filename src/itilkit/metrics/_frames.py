"""DataFrame input: rows of a pandas DataFrame as plain records (needs the pandas extra)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itilkit.errors import InvalidTypeError

__all__ = ["records_from_frame"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise ImportError(
            "records_from_frame needs pandas: install the extra with pip install 'itilkit[pandas]'"
        ) from error
    return pandas


def records_from_frame(frame: Any) -> Iterator[dict[str, Any]]:
    """Yield each row of ``frame`` as a dict of plain Python values.

    Datetime columns become :class:`~datetime.datetime` (tz-aware columns stay
    aware; naive columns stay naive, and measures report them), timedelta
    columns :class:`~datetime.timedelta`, and missing values (NaN, NaT, NA)
    ``None``, so the measures' fast paths apply. The index is not included:
    ``reset_index()`` first to use it.

    Raises:
        InvalidTypeError: ``frame`` is not a pandas DataFrame (checked before
            the first row is asked for).
    """
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError("frame", "a pandas DataFrame", frame)
    return _rows(pd, frame)


def _rows(pd: Any, frame: Any) -> Iterator[dict[str, Any]]:
    columns: list[list[Any]] = []
    for name in frame.columns:
        column = frame[name]
        missing = column.isna().tolist()
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            values = column.dt.to_pydatetime().tolist()
        elif pd.api.types.is_timedelta64_dtype(column.dtype):
            values = column.dt.to_pytimedelta().tolist()
        else:
            values = column.astype(object).tolist()
        columns.append([None if gone else v for v, gone in zip(values, missing, strict=True)])
    names = [str(c) for c in frame.columns]
    for row in zip(*columns, strict=True):
        yield dict(zip(names, row, strict=True))
