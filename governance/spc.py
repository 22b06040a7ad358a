"""Statistical process control as NHS England's "Making Data Count" (MDC) describes it.

Pure Python, no models and no database: the board hands in one `Observation` per period,
oldest first, and gets back a `Chart` whose points carry their mean, process limits and
special-cause signals, with the variation and assurance summaries in plain English.

- XmR charts (`xmr_chart`) for measures: the mean of the segment's points, the average
  moving range mR-bar, process limits mean ± 2.66 mR-bar (2.66 = 3 / d2, d2 = 1.128) and
  the "near limit" band at 2 sigma, mean ± 1.77 mR-bar (2 / 1.128 = 1.773).
- p-charts (`p_chart`) for proportions: p-bar = sum of numerators / sum of denominators,
  limits per point p-bar ± 3 sqrt(p-bar (1 - p-bar) / n_i) (near limits with 2),
  clipped to [0, 1].
- Signals (MDC's rules, as the MDC tools apply them): a point beyond a process limit; a
  shift, 7 or more consecutive points on one side of the mean (a point on the mean breaks
  the run); a trend, 7 or more consecutive points each higher (or each lower) than the
  one before (an equal value breaks it); two out of three consecutive points on one side
  of the mean with at least two of them near a limit, between 2 sigma and the limit (those
  are the points flagged). A point in several signals is read by the first of: beyond a
  limit, trend, two of three, shift (a rising trend is "up" even below the mean).
- Segments: limits recalculated from chosen dates (a process change); each segment's mean
  and limits come from its own points, and runs and trends do not cross a recalculation.
- The current, incomplete period (`Observation.incomplete`) is plotted with its segment's
  mean and limits but left out of the mean, the limits and the signals.
- Small samples: a segment with fewer than `MIN_POINTS_FOR_LIMITS` (12) complete points
  is a run chart: it has a mean, but no limits and no limit-based signals (beyond a limit,
  two of three); shifts and trends still count. MDC asks for 15 to 20 points for stable
  limits and treats 12 as the practical least. Nothing here raises on 0, 1 or 2 points,
  zero moving ranges, zero or missing denominators or missing values (a missing value is
  a gap: not plotted, no signal, and the moving range is taken between the values either
  side of it).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

D2 = 1.128
# 3 / d2 = 2.6596, which the Making Data Count tools round to 2.66; the near-limit band
# is two thirds of the way out, 2 / d2 (1.7733).
LIMIT_FACTOR = 2.66
NEAR_FACTOR = 2 * LIMIT_FACTOR / 3
SHIFT_LENGTH = 7
# The Making Data Count tools (the NHSE Excel and Power BI tools, and NHS-R's
# NHSRplotthedots, which is aligned with them) flag a trend at 7 points, as for a shift;
# MDC's earlier guidance said 6. One constant, so the board can follow a change.
TREND_LENGTH = 7
MIN_POINTS_FOR_LIMITS = 12

BEYOND_LIMIT = "beyond_limit"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
SIGNALS = frozenset({BEYOND_LIMIT, SHIFT, TREND, TWO_OF_THREE})

SIGNAL_WORDS = {
    BEYOND_LIMIT: "beyond a process limit",
    SHIFT: f"a run of {SHIFT_LENGTH} or more on one side of the mean",
    TREND: f"a trend of {TREND_LENGTH} or more rising or falling",
    TWO_OF_THREE: "two of three near a process limit",
}

VARIATION_TEXT = {
    "common": "Common cause variation",
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neither": "Special cause variation",
}

ASSURANCE_TEXT = {
    "pass": "The target is consistently met",
    "fail": "The target is consistently missed",
    "hit_and_miss": "The target is not reliably met",
}
NO_TARGET_TEXT = "No target"
NO_LIMITS_TEXT = "Too few points to assess the target"
NO_DIRECTION_TEXT = "No assurance: neither higher nor lower is better"


@dataclass(frozen=True)
class Observation:
    """One period's input."""

    period: datetime.date
    """The first day of the month (or of the period)."""
    value: float | None
    """The measure (XmR); for p-charts computed from numerator / denominator when None."""
    numerator: int | None = None
    denominator: int | None = None
    target: float | None = None
    incomplete: bool = False
    """The current period, not yet over: plotted and marked, left out of the limits."""


class Direction(StrEnum):
    HIGHER_IS_BETTER = "up"
    LOWER_IS_BETTER = "down"
    NEITHER = "neither"


@dataclass(frozen=True)
class Point:
    """One plotted period: its value and its segment's mean and limits (None where the
    segment has too few points for limits), its signals and their meaning."""

    period: datetime.date
    value: float | None
    mean: float | None
    upper: float | None
    lower: float | None
    near_upper: float | None
    near_lower: float | None
    target: float | None
    incomplete: bool
    signals: frozenset[str]
    """A subset of SIGNALS: the special-cause rules this point is part of."""
    special: str | None
    """"improvement", "concern" or "neither"; None for common cause."""
    numerator: int | None = None
    denominator: int | None = None

    @property
    def signal_words(self) -> str:
        """The point's signals in words, for the table ("" for common cause)."""
        return "; ".join(SIGNAL_WORDS[s] for s in sorted(self.signals))


@dataclass(frozen=True)
class Chart:
    kind: str
    """"xmr" or "p"."""
    points: tuple[Point, ...]
    variation: str
    """"common", "improvement", "concern" or "neither", from the latest complete point."""
    assurance: str | None
    """"pass", "fail", "hit_and_miss", or None (no target, no limits or no direction)."""
    variation_text: str
    assurance_text: str
    has_limits: bool
    """Whether the latest segment has process limits (False when too few points)."""
    recalculated_from: tuple[datetime.date, ...]
    """The periods that start a new segment (the recalculation dates that took effect)."""
    direction: Direction = Direction.NEITHER


def xmr_chart(
    observations: Iterable[Observation],
    *,
    direction: Direction,
    recalculate_from: Sequence[datetime.date] = (),
) -> Chart:
    """An XmR chart of `observations` (oldest first), limits recalculated from each date
    in `recalculate_from` (a period on or after the date starts the new segment)."""
    rows = [_Row(obs, obs.value) for obs in sorted(observations, key=lambda o: o.period)]
    return _chart("xmr", rows, direction, recalculate_from, _xmr_limits)


def p_chart(
    observations: Iterable[Observation],
    *,
    direction: Direction,
    recalculate_from: Sequence[datetime.date] = (),
) -> Chart:
    """A p-chart of `observations` (oldest first): each period's proportion
    numerator / denominator (or its `value` when given), limits per point from its own
    denominator, recalculated from each date in `recalculate_from`."""
    rows = [_Row(obs, _proportion(obs)) for obs in sorted(observations, key=lambda o: o.period)]
    return _chart("p", rows, direction, recalculate_from, _p_limits)


# The workings.


@dataclass
class _Row:
    obs: Observation
    value: float | None
    mean: float | None = None
    upper: float | None = None
    lower: float | None = None
    near_upper: float | None = None
    near_lower: float | None = None
    # signal -> side: +1 high (above, rising), -1 low.
    sides: dict[str, int] | None = None

    @property
    def counted(self) -> bool:
        """Whether the point counts towards the mean, the limits and the signals."""
        return self.value is not None and not self.obs.incomplete


def _proportion(obs: Observation) -> float | None:
    if obs.value is not None:
        return obs.value
    if obs.numerator is None or not obs.denominator:
        return None
    return obs.numerator / obs.denominator


def _segments(
    rows: list[_Row], recalculate_from: Sequence[datetime.date]
) -> tuple[list[list[_Row]], tuple[datetime.date, ...]]:
    """Split rows at the first period on or after each recalculation date."""
    starts: set[int] = set()
    for day in recalculate_from:
        first = next((i for i, row in enumerate(rows) if row.obs.period >= day), None)
        if first:  # None (after the last period) or 0 (the chart's start) changes nothing
            starts.add(first)
    bounds = [0, *sorted(starts), len(rows)]
    segments = [rows[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if rows[a:b]]
    return segments, tuple(rows[i].obs.period for i in sorted(starts))


def _xmr_limits(segment: list[_Row]) -> bool:
    values = [row.value for row in segment if row.counted and row.value is not None]
    if not values:
        return False
    mean = sum(values) / len(values)
    for row in segment:
        row.mean = mean
    if len(values) < MIN_POINTS_FOR_LIMITS:
        return False
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    for row in segment:
        row.upper, row.lower = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
        row.near_upper, row.near_lower = mean + NEAR_FACTOR * mr_bar, mean - NEAR_FACTOR * mr_bar
    return True


def _p_limits(segment: list[_Row]) -> bool:
    base = [
        row.obs
        for row in segment
        if row.counted and row.obs.numerator is not None and row.obs.denominator
    ]
    total = sum(obs.denominator or 0 for obs in base)
    if not total:
        return False
    p_bar = sum(obs.numerator or 0 for obs in base) / total
    for row in segment:
        row.mean = p_bar
    if len(base) < MIN_POINTS_FOR_LIMITS:
        return False
    for row in segment:
        if row.obs.denominator:
            sigma = math.sqrt(p_bar * (1 - p_bar) / row.obs.denominator)
            row.upper, row.lower = min(1.0, p_bar + 3 * sigma), max(0.0, p_bar - 3 * sigma)
            row.near_upper = min(1.0, p_bar + 2 * sigma)
            row.near_lower = max(0.0, p_bar - 2 * sigma)
    return True


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _mark(row: _Row, signal: str, side: int) -> None:
    if row.sides is None:
        row.sides = {}
    row.sides.setdefault(signal, side)


def _runs(keys: list[int]) -> Iterator[tuple[int, int, int]]:
    """(start, end exclusive, key) for each run of equal non-zero keys."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start]:
                yield start, i, keys[start]
            start = i


def _beyond(row: _Row) -> int:
    if row.upper is None or row.lower is None or row.value is None:
        return 0
    return 1 if row.value > row.upper else -1 if row.value < row.lower else 0


def _near(row: _Row) -> int:
    if _beyond(row) or row.near_upper is None or row.near_lower is None or row.value is None:
        return 0
    return 1 if row.value > row.near_upper else -1 if row.value < row.near_lower else 0


def _signals(points: list[_Row]) -> None:
    """Mark the special-cause signals on a segment's counted points, in order."""
    sides = [_sign((row.value or 0.0) - row.mean) if row.mean is not None else 0 for row in points]
    for row in points:
        if side := _beyond(row):
            _mark(row, BEYOND_LIMIT, side)
    for start, end, side in _runs(sides):
        if end - start >= SHIFT_LENGTH:
            for row in points[start:end]:
                _mark(row, SHIFT, side)
    _trends(points)
    _two_of_three(points, sides)


def _trends(points: list[_Row]) -> None:
    values = [row.value or 0.0 for row in points]
    steps = [_sign(b - a) for a, b in zip(values, values[1:], strict=False)]
    for start, end, side in _runs(steps):
        # `end - start` rises (or falls) join `end - start + 1` points.
        if end - start + 1 >= TREND_LENGTH:
            for row in points[start : end + 1]:
                _mark(row, TREND, side)


def _two_of_three(points: list[_Row], sides: list[int]) -> None:
    near = [_near(row) for row in points]
    for i in range(len(points) - 2):
        window = range(i, i + 3)
        side = sides[i]
        if not side or any(sides[j] != side for j in window):
            continue
        if sum(1 for j in window if near[j]) >= 2:
            for j in window:
                if near[j]:
                    _mark(points[j], TWO_OF_THREE, side)


# Which signal says which way a point is special, when it is in more than one.
_PRECEDENCE = (BEYOND_LIMIT, TREND, TWO_OF_THREE, SHIFT)


def _special(row: _Row, direction: Direction) -> str | None:
    if not row.sides:
        return None
    side = next(row.sides[s] for s in _PRECEDENCE if s in row.sides)
    if direction == Direction.NEITHER:
        return "neither"
    good = 1 if direction == Direction.HIGHER_IS_BETTER else -1
    return "improvement" if side == good else "concern"


def _assurance(rows: list[_Row], direction: Direction, has_limits: bool) -> str | None:
    target = next((row.obs.target for row in reversed(rows) if row.obs.target is not None), None)
    limited = next((row for row in reversed(rows) if row.counted and row.upper is not None), None)
    if target is None or direction == Direction.NEITHER or not has_limits or limited is None:
        return None
    upper, lower = limited.upper or 0.0, limited.lower or 0.0
    good = 1 if direction == Direction.HIGHER_IS_BETTER else -1
    if target > upper:
        return "fail" if good == 1 else "pass"
    if target < lower:
        return "pass" if good == 1 else "fail"
    return "hit_and_miss"


def _assurance_text(assurance: str | None, rows: list[_Row], direction: Direction) -> str:
    if assurance is not None:
        return ASSURANCE_TEXT[assurance]
    if all(row.obs.target is None for row in rows):
        return NO_TARGET_TEXT
    if direction == Direction.NEITHER:
        return NO_DIRECTION_TEXT
    return NO_LIMITS_TEXT


def _chart(
    kind: str,
    rows: list[_Row],
    direction: Direction,
    recalculate_from: Sequence[datetime.date],
    limits: Callable[[list[_Row]], bool],
) -> Chart:
    segments, starts = _segments(rows, recalculate_from)
    has_limits = False
    for segment in segments:
        has_limits = limits(segment)
        _signals([row for row in segment if row.counted])
    points = tuple(
        Point(
            period=row.obs.period,
            value=row.value,
            mean=row.mean,
            upper=row.upper,
            lower=row.lower,
            near_upper=row.near_upper,
            near_lower=row.near_lower,
            target=row.obs.target,
            incomplete=row.obs.incomplete,
            signals=frozenset(row.sides or ()),
            special=_special(row, direction),
            numerator=row.obs.numerator,
            denominator=row.obs.denominator,
        )
        for row in rows
    )
    latest = next((p for p in reversed(points) if p.value is not None and not p.incomplete), None)
    variation = (latest.special if latest else None) or "common"
    assurance = _assurance(rows, direction, has_limits)
    return Chart(
        kind=kind,
        points=points,
        variation=variation,
        assurance=assurance,
        variation_text=VARIATION_TEXT[variation],
        assurance_text=_assurance_text(assurance, rows, direction),
        has_limits=has_limits,
        recalculated_from=starts,
        direction=direction,
    )
