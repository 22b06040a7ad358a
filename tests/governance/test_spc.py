"""The SPC rules (governance.spc) on constructed series, each checked by hand."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.spc import (
    BEYOND_LIMIT,
    MIN_POINTS_FOR_LIMITS,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    Direction,
    Observation,
    p_chart,
    xmr_chart,
)

UP = Direction.HIGHER_IS_BETTER
DOWN = Direction.LOWER_IS_BETTER
NEITHER = Direction.NEITHER


def month(i: int) -> datetime.date:
    return datetime.date(2024 + i // 12, i % 12 + 1, 1)


def series(values, **kwargs) -> list[Observation]:
    return [Observation(period=month(i), value=v, **kwargs) for i, v in enumerate(values)]


# A steady baseline: mean 10, every moving range 2, so limits 10 ± 5.32 (15.32, 4.68) and
# the near band 10 ± 3.5467 (13.5467, 6.4533).
STEADY = [9, 11] * 8


def test_xmr_limits_by_hand():
    chart = xmr_chart(series(STEADY), direction=UP)
    point = chart.points[0]
    assert point.mean == pytest.approx(10)
    assert point.upper == pytest.approx(10 + 2.66 * 2)
    assert point.lower == pytest.approx(10 - 2.66 * 2)
    assert point.near_upper == pytest.approx(10 + 2 * 2.66 / 3 * 2)
    assert point.near_lower == pytest.approx(10 - 2 * 2.66 / 3 * 2)
    assert chart.has_limits
    assert chart.variation == "common"
    assert chart.variation_text == "Common cause variation"


def test_xmr_matches_the_published_making_data_count_example():
    # NHS-R community, NHSRplotthedots, vignettes/deviations.Rmd ("Deviations from Excel
    # defaults", section 1, "Over-riding to replicate 'Making Data Count' Excel output",
    # github.com/nhs-r-community/NHSRplotthedots): this series of 18 daily values, without
    # outlier screening as the MDC Excel tool does, is published with UPL 6.95, mean 1.94
    # and LPL -3.06, and one special cause point (the 10), all others common cause.
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    chart = xmr_chart(series(data), direction=UP)
    first = chart.points[0]
    assert round(first.upper, 2) == 6.95
    assert round(first.mean, 2) == 1.94
    assert round(first.lower, 2) == -3.06
    assert [p.special for p in chart.points] == [None] * 4 + ["improvement"] + [None] * 13
    assert chart.points[4].signals == {BEYOND_LIMIT}


def test_point_beyond_the_upper_limit_is_improvement_when_higher_is_better():
    chart = xmr_chart(series([*STEADY, 40]), direction=UP)
    last = chart.points[-1]
    # The 40 joins the baseline: mean (160 + 40) / 17, moving ranges 15 × 2 + 29.
    mean = 200 / 17
    mr_bar = (15 * 2 + 29) / 16
    assert last.mean == pytest.approx(mean)
    assert last.upper == pytest.approx(mean + 2.66 * mr_bar)
    assert BEYOND_LIMIT in last.signals
    assert last.special == "improvement"
    assert chart.variation == "improvement"
    assert chart.variation_text == "Special cause improvement"


def test_point_beyond_the_lower_limit_is_concern_when_higher_is_better():
    chart = xmr_chart(series([*STEADY, -20]), direction=UP)
    assert chart.points[-1].signals == {BEYOND_LIMIT}
    assert chart.variation == "concern"
    assert chart.variation_text == "Special cause concern"


def test_point_beyond_a_limit_with_no_direction_is_neither():
    chart = xmr_chart(series([*STEADY, 40]), direction=NEITHER)
    assert chart.points[-1].special == "neither"
    assert chart.variation_text == "Special cause variation"


def test_point_inside_the_limits_is_common_cause():
    # 15 stays inside: mean (160 + 15) / 17, mR-bar (30 + 4) / 16, UPL 15.95.
    chart = xmr_chart(series([*STEADY, 15]), direction=UP)
    assert chart.points[-1].signals == frozenset()
    assert chart.variation == "common"


def shift_series(run: int) -> list[float]:
    # Alternating 12/8 around 10, then `run` points at 11 above the mean, then back.
    return [12, 8] * 6 + [11] * run + [8, 12, 8]


def test_shift_of_seven_points_above_the_mean():
    chart = xmr_chart(series(shift_series(7)), direction=DOWN)
    mean = chart.points[0].mean
    flagged = [p for p in chart.points if SHIFT in p.signals]
    assert len(flagged) == 7
    assert all(p.value > mean for p in flagged)
    assert {p.special for p in flagged} == {"concern"}


def test_six_points_above_the_mean_are_no_shift():
    chart = xmr_chart(series(shift_series(6)), direction=DOWN)
    assert not any(SHIFT in p.signals for p in chart.points)


def test_a_point_on_the_mean_breaks_a_run():
    # 20 points, mean exactly 10: four above, one on the mean, four above.
    values = [8, 12] * 3 + [11] * 4 + [10] + [11] * 4 + [7, 11, 6, 12, 6]
    assert sum(values) / len(values) == 10
    chart = xmr_chart(series(values), direction=UP)
    assert not any(SHIFT in p.signals for p in chart.points)
    # The near miss: 11 for the 10 makes ten in a row above the mean (10.05 now).
    values[10] = 11
    chart = xmr_chart(series(values), direction=UP)
    assert [p.value for p in chart.points if SHIFT in p.signals] == [12] + [11] * 9


def trend_series(rising: int) -> list[float]:
    # A flat-ish baseline then `rising` points each higher than the last.
    return [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12] + [9 + 0.5 * i for i in range(rising)]


def test_trend_of_seven_rising_points():
    chart = xmr_chart(series(trend_series(7)), direction=DOWN)
    flagged = [p for p in chart.points if TREND in p.signals]
    assert [p.value for p in flagged] == [9 + 0.5 * i for i in range(7)]
    # Rising is bad when lower is better, even where the points are below the mean.
    assert {p.special for p in flagged} == {"concern"}


def test_six_rising_points_are_no_trend():
    chart = xmr_chart(series(trend_series(6)), direction=DOWN)
    assert not any(TREND in p.signals for p in chart.points)


def test_an_equal_value_breaks_a_trend():
    values = [10, 12] * 6 + [9, 9.5, 10, 10, 10.5, 11, 11.5]
    chart = xmr_chart(series(values), direction=UP)
    assert not any(TREND in p.signals for p in chart.points)


def test_falling_trend_is_improvement_when_lower_is_better():
    values = [10, 12] * 6 + [11.5 - 0.5 * i for i in range(7)]
    chart = xmr_chart(series(values), direction=DOWN)
    assert [p.special for p in chart.points[-7:]] == ["improvement"] * 7
    assert chart.variation == "improvement"


def test_two_of_three_near_the_upper_limit():
    # The three join the baseline: mean 201 / 19 = 10.58, mR-bar (15 × 2 + 3 × 4) / 18 =
    # 2.33, so the near band starts at 14.72 and the limit is 16.79: both 15s are near it.
    chart = xmr_chart(series([*STEADY, 15, 11, 15]), direction=UP)
    last3 = chart.points[-3:]
    near_upper = last3[0].near_upper
    assert near_upper < last3[0].value < last3[0].upper
    assert [TWO_OF_THREE in p.signals for p in last3] == [True, False, True]
    assert last3[0].special == "improvement"


def test_two_near_but_one_below_the_mean_is_no_signal():
    chart = xmr_chart(series([*STEADY, 15, 9, 15]), direction=UP)
    assert not any(TWO_OF_THREE in p.signals for p in chart.points)


def test_one_of_three_near_a_limit_is_no_signal():
    chart = xmr_chart(series([*STEADY, 15, 11, 12]), direction=UP)
    assert not any(TWO_OF_THREE in p.signals for p in chart.points)


def test_recalculation_gives_each_segment_its_own_mean_and_limits():
    before = [9, 11] * 7  # mean 10, mR-bar 2
    after = [19, 23] * 7  # mean 21, mR-bar 4
    observations = series(before + after)
    chart = xmr_chart(observations, direction=UP, recalculate_from=[month(14)])
    assert chart.recalculated_from == (month(14),)
    first, second = chart.points[0], chart.points[14]
    assert (first.mean, first.upper) == (pytest.approx(10), pytest.approx(10 + 2.66 * 2))
    assert (second.mean, second.upper) == (pytest.approx(21), pytest.approx(21 + 2.66 * 4))
    assert second.lower == pytest.approx(21 - 2.66 * 4)
    # Each half is steady about its own mean: nothing special.
    assert all(not p.signals for p in chart.points)


def test_without_recalculation_the_step_is_a_shift():
    chart = xmr_chart(series([9, 11] * 7 + [19, 23] * 7), direction=UP)
    assert chart.recalculated_from == ()
    assert all(SHIFT in p.signals for p in chart.points[14:])


def test_recalculation_date_mid_month_starts_at_the_next_period():
    chart = xmr_chart(
        series([9, 11] * 14), direction=UP, recalculate_from=[datetime.date(2025, 2, 15)]
    )
    assert chart.recalculated_from == (datetime.date(2025, 3, 1),)


def test_recalculation_dates_outside_the_series_change_nothing():
    chart = xmr_chart(
        series(STEADY), direction=UP, recalculate_from=[month(-5), month(0), month(40)]
    )
    assert chart.recalculated_from == ()
    assert chart.points[0].mean == chart.points[-1].mean == pytest.approx(10)


def test_a_short_latest_segment_is_a_run_chart():
    chart = xmr_chart(series([9, 11] * 10), direction=UP, recalculate_from=[month(14)])
    assert chart.points[0].upper is not None
    assert chart.points[-1].mean == pytest.approx(10)
    assert chart.points[-1].upper is None
    assert not chart.has_limits


@pytest.mark.parametrize(
    ("direction", "target", "assurance", "text"),
    [
        (UP, 3.0, "pass", "The target is consistently met"),
        (UP, 12.0, "hit_and_miss", "The target is not reliably met"),
        (UP, 16.0, "fail", "The target is consistently missed"),
        (DOWN, 16.0, "pass", "The target is consistently met"),
        (DOWN, 3.0, "fail", "The target is consistently missed"),
        (DOWN, 10.0, "hit_and_miss", "The target is not reliably met"),
    ],
)
def test_assurance(direction, target, assurance, text):
    chart = xmr_chart(series(STEADY, target=target), direction=direction)
    assert chart.assurance == assurance
    assert chart.assurance_text == text


def test_assurance_reads_the_latest_target_and_the_latest_segment():
    # The target rose from 5 (below the limits: passed) to 12 (inside); the process moved.
    values = [9, 11] * 7 + [19, 23] * 7
    observations = [
        Observation(period=month(i), value=v, target=5.0 if i < 20 else (12.0 if i < 27 else None))
        for i, v in enumerate(values)
    ]
    chart = xmr_chart(observations, direction=UP, recalculate_from=[month(14)])
    assert [p.target for p in chart.points][18:22] == [5.0, 5.0, 12.0, 12.0]
    # Latest segment 21 ± 10.64; the latest target given is 12: inside, hit and miss.
    assert chart.assurance == "hit_and_miss"


def test_no_target_no_assurance():
    chart = xmr_chart(series(STEADY), direction=UP)
    assert chart.assurance is None
    assert chart.assurance_text == "No target"


def test_no_direction_no_assurance():
    chart = xmr_chart(series(STEADY, target=3.0), direction=NEITHER)
    assert chart.assurance is None


def test_incomplete_last_period_is_plotted_but_left_out():
    observations = [*series(STEADY), Observation(period=month(16), value=1.0, incomplete=True)]
    chart = xmr_chart(observations, direction=UP)
    last = chart.points[-1]
    assert last.incomplete
    assert last.value == 1.0
    # Limits from the 16 complete points only, although 1.0 is below the lower limit.
    assert last.mean == pytest.approx(10)
    assert last.upper == pytest.approx(15.32)
    assert last.signals == frozenset()
    assert last.special is None
    assert chart.variation == "common"


@pytest.mark.parametrize("count", [0, 1, 2, 11])
def test_small_samples_show_the_mean_without_limits(count):
    chart = xmr_chart(series(STEADY[:count], target=10.0), direction=UP)
    assert len(chart.points) == count
    assert not chart.has_limits
    assert all(p.upper is None and p.lower is None for p in chart.points)
    assert all(BEYOND_LIMIT not in p.signals for p in chart.points)
    assert chart.variation == "common"
    assert chart.assurance is None
    if count:
        assert chart.points[0].mean == pytest.approx(sum(STEADY[:count]) / count)
        assert chart.assurance_text == "Too few points to assess the target"


def test_twelve_points_have_limits():
    assert MIN_POINTS_FOR_LIMITS == 12
    assert xmr_chart(series(STEADY[:12]), direction=UP).has_limits


def test_zero_moving_range_gives_limits_on_the_mean_and_no_signals():
    chart = xmr_chart(series([5.0] * 15), direction=UP)
    assert chart.points[0].upper == chart.points[0].lower == pytest.approx(5)
    assert all(not p.signals for p in chart.points)


def test_missing_values_are_gaps():
    values = [*STEADY[:8], None, *STEADY[8:]]
    chart = xmr_chart(series(values), direction=UP)
    assert chart.points[8].value is None
    assert chart.points[8].signals == frozenset()
    assert chart.points[0].mean == pytest.approx(10)
    assert chart.has_limits


# p-charts.


def proportions(pairs, **kwargs) -> list[Observation]:
    return [
        Observation(period=month(i), value=None, numerator=n, denominator=d, **kwargs)
        for i, (n, d) in enumerate(pairs)
    ]


def test_p_chart_limits_by_hand():
    # 12 months of 20 of 40, then 12 of 60: p-bar = (12 × 20 + 12 × 12) / (12 × 40 + 12 × 60)
    # = 384 / 1200 = 0.32; at n = 40, 3 sigma = 3 √(0.32 × 0.68 / 40) = 0.221269.
    chart = p_chart(proportions([(20, 40)] * 12 + [(12, 60)] * 12), direction=UP)
    first, last = chart.points[0], chart.points[-1]
    assert first.value == pytest.approx(0.5)
    assert first.mean == pytest.approx(0.32)
    assert first.upper == pytest.approx(0.32 + 0.221269, abs=1e-6)
    assert first.lower == pytest.approx(0.32 - 0.221269, abs=1e-6)
    # At n = 60 the limits are narrower: 3 √(0.32 × 0.68 / 60) = 0.180665.
    assert last.upper == pytest.approx(0.32 + 0.180665, abs=1e-6)
    assert first.near_upper == pytest.approx(0.32 + 0.147513, abs=1e-6)
    # 0.5 and 0.2 are inside their limits, but every point sits on one side of the mean.
    assert all(SHIFT in p.signals for p in chart.points)
    assert chart.variation == "concern"


def test_p_chart_limits_are_clipped_to_zero_and_one():
    chart = p_chart(proportions([(1, 3), (0, 3), (3, 3)] * 4), direction=UP)
    assert all(p.lower == 0.0 and p.upper == 1.0 for p in chart.points)


def test_p_chart_zero_and_missing_denominators_are_gaps():
    pairs = [(5, 10)] * 12 + [(0, 0), (None, None), (3, 10)]
    chart = p_chart(proportions(pairs), direction=UP)
    zero, missing, last = chart.points[-3:]
    assert (zero.value, zero.upper, zero.signals) == (None, None, frozenset())
    assert missing.value is None
    assert last.mean == pytest.approx(63 / 130)
    assert chart.has_limits


def test_p_chart_of_nothing_at_all():
    chart = p_chart(proportions([(0, 0), (0, 0)]), direction=UP)
    assert [p.value for p in chart.points] == [None, None]
    assert chart.points[0].mean is None
    assert chart.variation == "common"
    assert not chart.has_limits


def test_p_chart_incomplete_period_is_left_out_of_p_bar():
    pairs = [(5, 10)] * 12
    observations = [
        *proportions(pairs),
        Observation(month(12), None, numerator=1, denominator=2, incomplete=True),
    ]
    chart = p_chart(observations, direction=UP)
    assert chart.points[-1].mean == pytest.approx(0.5)
    assert chart.points[-1].value == pytest.approx(0.5)
    assert chart.points[-1].upper == 1.0  # n = 2: 0.5 + 3 × 0.354 clipped


def test_p_chart_point_beyond_its_own_limit():
    chart = p_chart(proportions([(50, 100)] * 12 + [(80, 100)]), direction=DOWN)
    assert chart.points[-1].signals == {BEYOND_LIMIT}
    assert chart.variation == "concern"


@given(
    st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
        max_size=30,
    )
)
def test_xmr_limits_are_symmetric_about_the_mean(values):
    chart = xmr_chart(series(values), direction=UP)
    for p in chart.points:
        if p.upper is not None:
            assert p.upper - p.mean == pytest.approx(p.mean - p.lower, rel=1e-9, abs=1e-6)
            assert p.lower <= p.near_lower <= p.mean <= p.near_upper <= p.upper


@given(
    st.lists(
        st.integers(min_value=0, max_value=200).flatmap(
            lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
        ),
        max_size=30,
    )
)
def test_p_limits_stay_within_zero_and_one(pairs):
    chart = p_chart(proportions(pairs), direction=UP)
    for p in chart.points:
        for limit in (p.lower, p.near_lower, p.near_upper, p.upper):
            assert limit is None or 0.0 <= limit <= 1.0
        if p.value is not None:
            assert 0.0 <= p.value <= 1.0


def test_a_p_chart_matches_montgomerys_published_worked_example():
    # D. C. Montgomery, Introduction to Statistical Quality Control, the p-chart worked
    # example of frozen orange juice cans: 30 samples of 50 cans, 347 nonconforming in
    # all. Published: p-bar 0.2313, upper limit 0.4102, lower limit 0.0524, and samples
    # 15 and 23 above the upper limit.
    counts = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22]
    counts += [8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
    observations = [
        Observation(period=month(n), value=None, numerator=count, denominator=50)
        for n, count in enumerate(counts)
    ]
    chart = p_chart(observations, direction=Direction.LOWER_IS_BETTER)
    first = chart.points[0]
    assert round(first.mean, 4) == 0.2313
    assert round(first.upper, 4) == 0.4102
    assert round(first.lower, 4) == 0.0524
    beyond = [n + 1 for n, p in enumerate(chart.points) if BEYOND_LIMIT in p.signals]
    assert beyond == [15, 23]
    assert all(chart.points[n - 1].special == "concern" for n in beyond)
