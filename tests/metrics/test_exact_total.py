"""The chunked float total of whole microseconds is exact at every magnitude."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itilkit.metrics._stats import exact_total

#: Whole numbers a float holds exactly, from tiny to 285 years of microseconds.
whole = st.one_of(st.integers(0, 10), st.integers(-(2**53), 2**53), st.integers(0, 5 * 10**12)).map(
    float
)


@given(st.lists(whole, min_size=1, max_size=3000))
def test_exact_total_equals_the_integer_sum(values: list[float]) -> None:
    """Whatever the sizes and signs, the total equals the sum of the values as integers."""
    ordered = sorted(values)
    assert exact_total(ordered) == sum(int(v) for v in ordered)


def test_many_large_values_do_not_round() -> None:
    """A million two-month durations overflow 2**53 in total, yet add up exactly."""
    value = float(5_184_000_000_001)
    ordered = [value] * 1_000_000 + [float(2**53)]
    assert exact_total(ordered) == 5_184_000_000_001 * 1_000_000 + 2**53
