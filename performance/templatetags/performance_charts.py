"""``{% line_chart title description points target_label benchmarks %}``: an indicator's
trend as inline SVG. Always give the same figures in a table beside it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import slugify

register = template.Library()

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
# Colours on white: #1d70b8 5.2:1, #0b0c0c 19.8:1, #505a5f 7:1 (graphics need 3:1).
BENCHMARK_DASHES = (
    ("2 4", "dotted"),
    ("12 4 2 4", "dash-dot"),
    ("1 8", "sparse dotted"),
    ("6 2 2 2 2 2", "dash-dot-dot"),
    ("14 4", "long-dashed"),
)


def _scale(points: list[Any], extra: list[float]) -> tuple[float, float]:
    values = [p.value for p in points if p.value is not None]
    values += [p.target for p in points if p.target is not None] + extra
    low, high = min([0.0, *values]), max([1.0, *values])
    if high == low:
        high = low + 1
    return low, high * 1.08


PARTIAL_LABEL = " (month to date)"


def _partial(point: Any) -> bool:
    """Whether the point is a month not yet over, whose figure is still growing."""
    return bool(getattr(point, "partial", False))


@register.inclusion_tag("performance/components/line_chart.html")
def line_chart(
    title: str, description: str, points: list[Any], unit: str, benchmarks: list[Any] = ()
) -> dict[str, Any]:
    """``points``: objects with month, value (or None), value_label and target (or None),
    oldest first, and optionally partial (true for the month still running: drawn dashed
    and hollow, and labelled). ``benchmarks``: objects with label and value, drawn as flat
    lines."""
    points = list(points)
    low, high = _scale(points, [b.value for b in benchmarks])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h - (v - low) / (high - low) * plot_h, 1)

    dots = [
        {
            "x": x(i),
            "y": y(p.value),
            "label": f"{p.month:%b %Y}{PARTIAL_LABEL if _partial(p) else ''}: {p.value_label}",
            "partial": _partial(p),
        }
        for i, p in enumerate(points)
        if p.value is not None
    ]
    segments, current = [], []
    for i, p in enumerate(points):
        if p.value is None or _partial(p):
            if current:
                segments.append(" ".join(current))
            current = []
        else:
            current.append(f"{x(i)},{y(p.value)}")
    if current:
        segments.append(" ".join(current))
    # The month still running is drawn apart (dashed, hollow): a month half done is not a fall.
    partial = [d for d in dots if d["partial"]]
    for dot in partial:
        # The label sits above the hollow dot, or below it when the dot is near the top.
        dot["label_y"] = dot["y"] - 12 if dot["y"] - 12 > TOP + 10 else dot["y"] + 24
        dot["label_x"] = round(dot["x"] - 12, 1)
    partial_segment = ""
    if partial and len(points) > 1:
        last, before = len(points) - 1, points[-2]
        if _partial(points[last]) and before.value is not None and not _partial(before):
            partial_segment = f"{x(last - 1)},{y(before.value)} {x(last)},{y(points[last].value)}"
    target = " ".join(f"{x(i)},{y(p.target)}" for i, p in enumerate(points) if p.target is not None)
    ticks = [
        {"y": y(low + (high - low) * k / 4), "label": f"{low + (high - low) * k / 4:,.0f}"}
        for k in range(5)
    ]
    every = max(1, len(points) // 6)
    months = [
        {"x": x(i), "label": f"{p.month:%b %y}"} for i, p in enumerate(points) if i % every == 0
    ]
    lines = [
        {
            "y": y(b.value),
            "label": b.label,
            "dash": BENCHMARK_DASHES[i % len(BENCHMARK_DASHES)][0],
            "style": BENCHMARK_DASHES[i % len(BENCHMARK_DASHES)][1],
        }
        for i, b in enumerate(benchmarks)
    ]
    spoken = "; ".join(d["label"] for d in dots)
    return {
        "id": "chart-" + slugify(title),
        "title": title,
        "description": f"{description} {spoken}." if spoken else description,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "segments": segments,
        "partial_segment": partial_segment,
        "dots": [d for d in dots if not d["partial"]],
        "partial": partial[0] if partial else None,
        "target": target,
        "ticks": ticks,
        "months": months,
        "benchmarks": lines,
        "unit": unit,
    }
