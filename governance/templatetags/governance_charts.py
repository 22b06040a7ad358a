"""``{% spc_chart chart title description links=... value_format=... %}``: an SPC chart
(`governance.spc.Chart`) as inline SVG with its variation and assurance icons and the
same figures in a table. One way in, an inclusion tag, because the geometry is worked out
in Python (`governance.charts.spc_figure`); the partial it renders,
governance/partials/spc_chart.html, is not meant to be included directly.

``links``: a list (a URL or None per point), a mapping of period to URL, or a function of
the period wrapped in `governance.charts.LinkEach` (templates would call a bare one), for
each point's drill-down; the marker and the table's period both link.

A chart's markup is kept by what it shows (`core.kept`): the chart's points, title,
description, each point's link, the format and the language. A board page draws eight
charts of the same month's figures on every view; the same figures give the same markup.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.kept import Kept, key_of, key_once
from governance.charts import Links, Marker, chart_links, spc_figure
from governance.spc import Chart

register = template.Library()

KEPT = 128
_kept: Kept[str] = Kept(KEPT)


def _format_key(value_format: Any) -> str | None:
    """A name for the format that says what it does; None for one made on the fly (a
    lambda or a closure, whose output its name does not fix)."""
    if value_format is None:
        return ""
    name = f"{getattr(value_format, '__module__', '')}.{getattr(value_format, '__qualname__', '')}"
    if "<" in name or not getattr(value_format, "__qualname__", None):
        return None
    return name


@register.simple_tag
def spc_chart(
    chart: Chart,
    title: str,
    description: str = "",
    links: Links | None = None,
    value_format: Any = None,
    heading_level: int = 3,
    folded: bool = False,
) -> SafeString:
    """`folded`: the table inside a GOV.UK details ("The figures"), closed, where a page
    shows many charts; it is still in the page for a screen reader and by keyboard."""
    hrefs = chart_links(chart, links)
    fmt = _format_key(value_format)
    # A chart never changes once made, and a board's come back from a Kept on every
    # view: its own key is worked out once, not from its points on each view.
    chart_key = key_once(chart)
    key = (
        None
        if fmt is None or chart_key is None
        else key_of(
            chart_key,
            title,
            description,
            hrefs,
            fmt,
            heading_level,
            folded,
            get_language(),
        )
    )

    def render() -> str:
        figure = spc_figure(
            chart, title=title, description=description, links=hrefs, value_format=value_format
        )
        return get_template("governance/partials/spc_chart.html").render(
            {"figure": figure, "heading_level": heading_level, "folded": folded}
        )

    return mark_safe(_kept.get(key, render))


@register.simple_tag
def spc_marker(marker: Marker) -> SafeString:
    """One point of an SPC chart, a link when it drills down. Written here rather than
    included once per point: a board page draws about 170 of them. Every value is
    escaped; the numbers are the chart's own."""
    colour = escape(marker.colour)
    fill = "#ffffff" if marker.hollow else colour
    if marker.shape == "square":
        x, y = marker.corner
        shape = (
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{fill}" stroke="{colour}" '
            'stroke-width="2"></rect>\n'
        )
    elif marker.shape == "diamond":
        shape = (
            f'<polygon points="{escape(marker.diamond)}" fill="{fill}" stroke="{colour}" '
            'stroke-width="2"></polygon>\n'
        )
    else:
        radius = 4 if marker.kind == "common" and not marker.hollow else 6
        width = 3 if marker.hollow else 1
        shape = (
            f'<circle cx="{marker.x}" cy="{marker.y}" r="{radius}" fill="{fill}" '
            f'stroke="{colour}" stroke-width="{width}"></circle>'
        )
    label = escape(marker.label)
    title = "" if marker.href else f"<title>{label}</title>"
    group = (
        f'<g class="app-spc-chart__marker app-spc-chart__marker--{escape(marker.kind)}">'
        f"{title}\n{shape}\n</g>"
    )
    if marker.href:
        group = f'<a href="{escape(marker.href)}" aria-label="{label}">{group}</a>'
    return mark_safe(group)
