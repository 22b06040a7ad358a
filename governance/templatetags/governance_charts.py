"""``{% spc_chart chart title description links=... value_format=... %}``: an SPC chart
(`governance.spc.Chart`) as inline SVG with its variation and assurance icons and the
same figures in a table. One way in, an inclusion tag, because the geometry is worked out
in Python (`governance.charts.spc_figure`); the partial it renders,
governance/partials/spc_chart.html, is not meant to be included directly.

``links``: a list (a URL or None per point), a mapping of period to URL, or a function of
the period wrapped in `governance.charts.LinkEach` (templates would call a bare one), for
each point's drill-down; the marker and the table's period both link.
"""

from __future__ import annotations

from typing import Any

from django import template

from governance.charts import Links, spc_figure
from governance.spc import Chart

register = template.Library()


@register.inclusion_tag("governance/partials/spc_chart.html")
def spc_chart(
    chart: Chart,
    title: str,
    description: str = "",
    links: Links | None = None,
    value_format: Any = None,
    heading_level: int = 3,
    folded: bool = False,
) -> dict[str, Any]:
    """`folded`: the table inside a GOV.UK details ("The figures"), closed, where a page
    shows many charts; it is still in the page for a screen reader and by keyboard."""
    return {
        "figure": spc_figure(
            chart, title=title, description=description, links=links, value_format=value_format
        ),
        "heading_level": heading_level,
        "folded": folded,
    }
