"""The backlog series against itilkit.metrics.Backlog at every period's end."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from itilkit.metrics import Backlog, Period
from itilkit.reports._backlog import auto_period, backlog_series

T0 = datetime(2024, 3, 20, 10, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
MICROSECOND = timedelta(microseconds=1)

spans = st.lists(
    st.tuples(st.integers(0, 60 * 24), st.one_of(st.none(), st.integers(-60, 60 * 24))),
    max_size=30,
)


@given(spans, st.sampled_from([Period.DAY, Period.WEEK, Period.MONTH]))
def test_open_at_each_end_is_what_backlog_counts_just_before_it(
    raw: list[tuple[int, int | None]], period: Period
) -> None:
    """Each point's ``open`` is Backlog's count one microsecond before the period ends, the
    periods run without gaps from the first opening's to ``until``'s, and open = previous
    open + opened - ended."""
    tickets = [
        (T0 + timedelta(hours=h), None if d is None else T0 + timedelta(hours=h + d))
        for h, d in raw
    ]
    until = T0 + timedelta(days=70)
    series = backlog_series(tickets, until=until, zone=PARIS, period=period)
    kept = [(o, e) for o, e in tickets if e is None or e >= o]
    assert series.excluded == len(tickets) - len(kept)
    if not kept:
        assert series.points == ()
        return
    records = [{"opened_at": o, "resolved_at": e} for o, e in kept]
    previous = 0
    for point, following in zip(series.points, [*series.points[1:], None], strict=True):
        end = period.following(point.start)
        boundary = datetime.combine(end, time(0), tzinfo=PARIS)
        measure = Backlog(at=boundary - MICROSECOND, fields={"closed_at": None, "category": None})
        assert point.open == measure(records).overall.open
        assert point.open == previous + point.opened - point.ended
        previous = point.open
        if following is not None:
            assert following.start == end
    assert series.points[0].start == period.start(min(o for o, _ in kept).astimezone(PARIS).date())
    assert series.points[-1].start == period.start(until.astimezone(PARIS).date())
    assert sum(p.opened for p in series.points) == len(kept)


def test_auto_period_by_span() -> None:
    """Days up to 92 days, weeks up to three years, months beyond."""
    assert auto_period(T0, T0 + timedelta(days=92)) is Period.DAY
    assert auto_period(T0, T0 + timedelta(days=93)) is Period.WEEK
    assert auto_period(T0, T0 + timedelta(days=4 * 365)) is Period.MONTH
