"""An SPC chart (`governance.spc.Chart`) as SVG geometry and table rows: pure values, no
HTML, no database. The template tag `{% spc_chart %}` (governance/templatetags/
governance_charts.py) hands `spc_figure(...)` to the partial
governance/partials/spc_chart.html, which draws it with the same figures in a table.

Making Data Count's colours: orange for concern, blue for improvement, purple for special
cause with no better direction, grey for common cause; darkened where needed so each
marker keeps 3:1 against white, and each kind also has its own shape, so nothing is told
by colour alone. The incomplete period is a hollow marker, labelled, joined by a dashed
line.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from governance.spc import Chart, Direction, Point

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48

# On white: #505a5f 7.1:1, #1d70b8 5.2:1, #b15300 5.1:1, #4c2c92 10.1:1 (graphics need 3:1).
COLOURS = {
    "common": "#505a5f",
    "improvement": "#1d70b8",
    "concern": "#b15300",
    "neither": "#4c2c92",
}
SHAPES = {"common": "circle", "improvement": "circle", "concern": "square", "neither": "diamond"}
SPECIAL_WORDS = {
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neither": "Special cause variation",
}
INCOMPLETE_WORDS = "Incomplete period: not in the mean or limits"

Links = Callable[[datetime.date], str | None] | Sequence[str | None] | Mapping[datetime.date, str]


class LinkEach:
    """A function of the period as `links` for the template tag: Django's templates call a
    bare callable with no arguments when they read it, so wrap it in this."""

    do_not_call_in_templates = True

    def __init__(self, url_for: Callable[[datetime.date], str | None]) -> None:
        self.url_for = url_for

    def __call__(self, period: datetime.date) -> str | None:
        return self.url_for(period)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    kind: str  # "common", "improvement", "concern", "neither"
    shape: str
    colour: str
    hollow: bool
    label: str
    href: str | None

    @property
    def corner(self) -> tuple[float, float]:
        """The square's top left corner."""
        return round(self.x - 6, 1), round(self.y - 6, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 14, 1)

    @property
    def diamond(self) -> str:
        """The diamond's points, for a `<polygon>`."""
        x, y = self.x, self.y
        return f"{x},{y - 7} {x + 7},{y} {x},{y + 7} {x - 7},{y}"


@dataclass(frozen=True)
class Row:
    period: str
    href: str | None
    value: str
    mean: str
    lower: str
    upper: str
    target: str
    signal: str
    special: str | None
    incomplete: bool


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    description: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    values: tuple[str, ...]  # polylines, broken at gaps
    incomplete_line: str  # dashed, from the last complete value to the incomplete one
    means: tuple[str, ...]  # one polyline per segment
    limits: tuple[str, ...]  # upper and lower, per segment
    targets: tuple[str, ...]
    markers: tuple[Marker, ...]
    incomplete: Marker | None
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]
    chart: Chart
    has_targets: bool
    linked: bool  # whether any point links to its drill-down
    variation_letter: str  # the icon's letter: "H" or "L" (high or low special cause), ""
    assurance_letter: str  # "P", "F", "?" or ""


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def chart_links(chart: Chart, links: Links | None) -> tuple[str | None, ...]:
    """Each point's drill-down from `links`, in the chart's order."""
    return tuple(_href(links, i, p.period) for i, p in enumerate(chart.points))


def _href(links: Links | None, index: int, period: datetime.date) -> str | None:
    if links is None:
        return None
    if callable(links):
        return links(period)
    if isinstance(links, Mapping):
        return links.get(period)
    return links[index] if index < len(links) else None


def _scale(chart: Chart) -> tuple[float, float]:
    figures = [
        v
        for p in chart.points
        for v in (p.value, p.upper, p.lower, p.mean, p.target)
        if v is not None
    ]
    low, high = min(figures, default=0.0), max(figures, default=1.0)
    if chart.kind == "p":
        low, high = min(low, 0.0), max(high, 0.0)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    if chart.kind == "p":
        # A proportion runs from 0 to all: as a fraction (up to 1) or a percentage.
        whole = 1.0 if max(figures, default=0.0) <= 1 else 100.0
        low, high = max(low, 0.0), min(high, whole)
    return low, high


ASSURANCE_LETTERS = {"pass": "P", "fail": "F", "hit_and_miss": "?"}


def _variation_letter(chart: Chart) -> str:
    """Making Data Count's icons say which way the special cause went: H(igh) or L(ow)."""
    latest = next(
        (p for p in reversed(chart.points) if p.value is not None and not p.incomplete), None
    )
    if latest is None or latest.special is None or latest.mean is None or latest.value is None:
        return ""
    if (
        "trend" in latest.signals
        and "beyond_limit" not in latest.signals
        and latest.special != "neither"
    ):
        high = (latest.special == "improvement") == (chart.direction == Direction.HIGHER_IS_BETTER)
    else:
        high = latest.value > latest.mean
    return "H" if high else "L"


def _segments(chart: Chart) -> list[list[int]]:
    starts = set(chart.recalculated_from)
    segments: list[list[int]] = []
    for i, point in enumerate(chart.points):
        if not segments or point.period in starts:
            segments.append([])
        segments[-1].append(i)
    return segments


class _Plot:
    def __init__(self, chart: Chart) -> None:
        self.low, self.high = _scale(chart)
        self.step = (WIDTH - LEFT - RIGHT) / max(len(chart.points), 1)

    def x(self, i: int) -> float:
        return round(LEFT + (i + 0.5) * self.step, 1)

    def y(self, v: float) -> float:
        span = self.high - self.low or 1.0
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (self.high - v) / span, 1)

    def steps(self, indices: list[int], values: list[float | None]) -> list[str]:
        """Horizontal steps a point wide, broken where the value is missing."""
        lines: list[str] = []
        current: list[str] = []
        half = self.step / 2
        for i, v in zip(indices, values, strict=True):
            if v is None:
                if current:
                    lines.append(" ".join(current))
                current = []
                continue
            y = self.y(v)
            current += [f"{round(self.x(i) - half, 1)},{y}", f"{round(self.x(i) + half, 1)},{y}"]
        if current:
            lines.append(" ".join(current))
        return lines


def _value_lines(chart: Chart, plot: _Plot) -> tuple[list[str], str]:
    """The value polylines, broken at gaps, and the dashed line to the incomplete point."""
    lines: list[str] = []
    current: list[str] = []
    previous: str | None = None
    incomplete = ""
    for i, p in enumerate(chart.points):
        here = None if p.value is None else f"{plot.x(i)},{plot.y(p.value)}"
        if here is None or p.incomplete:
            if current:
                lines.append(" ".join(current))
            if here and previous:
                incomplete = f"{previous} {here}"
            current, previous = [], None
            continue
        current.append(here)
        previous = here
    if current:
        lines.append(" ".join(current))
    return lines, incomplete


def _signal_text(p: Point) -> str:
    if p.incomplete:
        return INCOMPLETE_WORDS
    if p.value is None:
        return "No value"
    if p.special is None:
        return "Common cause"
    return f"{SPECIAL_WORDS[p.special]}: {p.signal_words}"


def _marker(plot: _Plot, i: int, p: Point, value: float, label: str, href: str | None) -> Marker:
    kind = "common" if p.incomplete or p.special is None else p.special
    return Marker(
        x=plot.x(i),
        y=plot.y(value),
        kind=kind,
        shape=SHAPES[kind],
        colour=COLOURS[kind],
        hollow=p.incomplete,
        label=label,
        href=href,
    )


def spc_figure(
    chart: Chart,
    *,
    title: str,
    description: str = "",
    links: Links | None = None,
    value_format: Callable[[float], str] | None = None,
) -> Figure:
    """The chart's geometry and table. `links`: a function of the period, a list (one
    URL or None per point) or a mapping period -> URL, for each point's drill-down."""
    fmt = value_format or (percent if chart.kind == "p" else number)
    plot = _Plot(chart)

    def show(v: float | None) -> str:
        return "" if v is None else fmt(v)

    rows, markers = [], []
    incomplete: Marker | None = None
    for i, p in enumerate(chart.points):
        href = _href(links, i, p.period)
        signal = _signal_text(p)
        value = show(p.value)
        if p.value is not None and p.numerator is not None and p.denominator:
            value = f"{value} ({p.numerator} of {p.denominator})"
        rows.append(
            Row(
                period=f"{p.period:%B %Y}",
                href=href,
                value=value,
                mean=show(p.mean),
                lower=show(p.lower),
                upper=show(p.upper),
                target=show(p.target),
                signal=signal,
                special=p.special,
                incomplete=p.incomplete,
            )
        )
        if p.value is not None:
            marker = _marker(plot, i, p, p.value, f"{p.period:%B %Y}: {value}. {signal}", href)
            if p.incomplete:
                incomplete = marker
            else:
                markers.append(marker)
    values, incomplete_line = _value_lines(chart, plot)
    means: list[str] = []
    limits: list[str] = []
    for segment in _segments(chart):
        points = [chart.points[i] for i in segment]
        means += plot.steps(segment, [p.mean for p in points])
        limits += plot.steps(segment, [p.upper for p in points])
        limits += plot.steps(segment, [p.lower for p in points])
    targets = plot.steps(list(range(len(chart.points))), [p.target for p in chart.points])
    every = max(1, len(chart.points) // 8)
    x_ticks = [
        Tick(plot.x(i), f"{p.period:%b %y}") for i, p in enumerate(chart.points) if i % every == 0
    ]
    y_ticks = [
        Tick(plot.y(v), fmt(v))
        for k in range(5)
        for v in [plot.low + (plot.high - plot.low) * k / 4]
    ]
    summary = f"{chart.variation_text}. {chart.assurance_text}."
    return Figure(
        id="spc-" + slugify(title),
        title=title,
        description=f"{description} {summary}".strip(),
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        values=tuple(values),
        incomplete_line=incomplete_line,
        means=tuple(means),
        limits=tuple(limits),
        targets=tuple(targets),
        markers=tuple(markers),
        incomplete=incomplete,
        y_ticks=tuple(y_ticks),
        x_ticks=tuple(x_ticks),
        rows=tuple(rows),
        chart=chart,
        has_targets=any(p.target is not None for p in chart.points),
        linked=any(row.href for row in rows),
        variation_letter=_variation_letter(chart),
        assurance_letter=ASSURANCE_LETTERS.get(chart.assurance or "", ""),
    )
