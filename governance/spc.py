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
- Signals (MDC's rules): a point beyond a process limit; a shift, 7 or more consecutive
  points on one side of the mean (a point on the mean breaks the run); a trend, 6 or more
  consecutive points each higher (or each lower) than the one before (an equal value
  breaks it); two out of three consecutive points beyond 2 sigma on the same side (the
  points beyond 2 sigma are flagged).
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
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

D2 = 1.128
LIMIT_FACTOR = 3 / D2  # 2.66
NEAR_FACTOR = 2 / D2  # 1.77
SHIFT_LENGTH = 7
TREND_LENGTH = 6
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
    raise NotImplementedError


def p_chart(
    observations: Iterable[Observation],
    *,
    direction: Direction,
    recalculate_from: Sequence[datetime.date] = (),
) -> Chart:
    """A p-chart of `observations` (oldest first): each period's proportion
    numerator / denominator (or its `value` when given), limits per point from its own
    denominator, recalculated from each date in `recalculate_from`."""
    raise NotImplementedError
