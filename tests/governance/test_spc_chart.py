"""The SPC chart partial ({% spc_chart %}) and its geometry (governance.charts)."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from pytest_django.asserts import assertInHTML

from governance.charts import LinkEach, Marker, spc_figure
from governance.spc import Direction, Observation, p_chart, xmr_chart


def month(i: int) -> datetime.date:
    return datetime.date(2024 + i // 12, i % 12 + 1, 1)


def steady_chart(*, last: float = 40.0, incomplete: bool = True, target: float | None = 12.0):
    observations = [
        Observation(period=month(i), value=v, target=target) for i, v in enumerate([9, 11] * 8)
    ]
    observations.append(Observation(period=month(16), value=last, target=target))
    if incomplete:
        observations.append(Observation(period=month(17), value=3.0, incomplete=True))
    return xmr_chart(observations, direction=Direction.HIGHER_IS_BETTER)


def render(chart, title="Visits on time", links=None) -> str:
    template = Template(
        "{% load governance_charts %}{% spc_chart chart title 'Monthly figures.' links=links %}"
    )
    return template.render(Context({"chart": chart, "title": title, "links": links}))


def test_table_holds_the_figures():
    html = render(steady_chart())
    # The 40 joins the baseline: mean 200 / 17 = 11.76, mR-bar 59 / 16, limits 11.76 ± 9.81;
    # the 9s and 11s are then all below the mean, a shift.
    assertInHTML(
        '<th scope="row" class="govuk-table__header">May 2025</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">40</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">11.76</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">1.96</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">21.57</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">12</td>'
        '<td class="govuk-table__cell">Special cause improvement: beyond a process limit</td>',
        html,
    )
    assert "Special cause concern: a run of 7 or more on one side of the mean</td>" in html


def test_incomplete_period_is_hollow_labelled_and_said_in_words():
    html = render(steady_chart())
    assert "Incomplete period: not in the mean or limits" in html
    assert 'fill="#ffffff"' in html
    assert ">Incomplete</text>" in html
    assert 'class="app-spc-chart__incomplete"' in html


def test_summaries_are_words_beside_the_icons():
    html = render(steady_chart())
    assert "<strong>Special cause improvement</strong>" in html
    assert "<strong>The target is not reliably met</strong>" in html
    assert 'aria-hidden="true"' in html


def test_common_cause_in_words():
    html = render(steady_chart(last=10, incomplete=False))
    assert "Common cause</td>" in html
    assert "<strong>Common cause variation</strong>" in html


def test_svg_is_named_by_its_title_and_description():
    html = render(steady_chart())
    assert 'role="img" aria-labelledby="spc-visits-on-time-title spc-visits-on-time-desc"' in html
    assert '<title id="spc-visits-on-time-title">Visits on time</title>' in html
    assert "Monthly figures. Special cause improvement. The target is not reliably met." in html


def test_title_is_escaped():
    html = render(steady_chart(), title="<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_points_and_periods_link_to_their_drill_down():
    html = render(steady_chart(), links=LinkEach(lambda period: f"/board/visits/{period:%Y-%m}/"))
    assert 'role="group"' in html
    assert '<a class="govuk-link" href="/board/visits/2025-05/">May 2025</a>' in html
    assert (
        '<a href="/board/visits/2025-05/" aria-label="May 2025: 40. '
        'Special cause improvement: beyond a process limit">' in html
    )


def test_links_as_a_list_or_mapping():
    chart = steady_chart(incomplete=False)
    urls = [f"/p/{i}/" for i in range(len(chart.points))]
    assert spc_figure(chart, title="t", links=urls).rows[3].href == "/p/3/"
    mapping = {month(2): "/two/"}
    rows = spc_figure(chart, title="t", links=mapping).rows
    assert (rows[2].href, rows[3].href) == ("/two/", None)


def test_geometry_segments_and_markers():
    observations = [Observation(month(i), v) for i, v in enumerate([9, 11] * 7 + [19, 23] * 7)]
    chart = xmr_chart(
        observations, direction=Direction.HIGHER_IS_BETTER, recalculate_from=[month(14)]
    )
    figure = spc_figure(chart, title="Two segments")
    assert len(figure.means) == 2
    assert len(figure.limits) == 4
    assert len(figure.markers) == 28
    assert {m.kind for m in figure.markers} == {"common"}
    assert len(figure.values) == 1
    assert figure.incomplete is None


def test_concern_markers_are_orange_squares():
    figure = spc_figure(steady_chart(last=-20, incomplete=False), title="Falls")
    last = figure.markers[-1]
    assert (last.kind, last.shape, last.colour) == ("concern", "square", "#b15300")
    assert figure.variation_letter == "L"


def test_empty_and_tiny_charts_render():
    for count in (0, 1, 2):
        chart = xmr_chart(
            [Observation(month(i), 5.0) for i in range(count)], direction=Direction.NEITHER
        )
        html = render(chart)
        assert "Too few points for process limits" in html


def test_p_chart_shows_percentages_with_counts():
    observations = [
        Observation(month(i), None, numerator=n, denominator=10) for i, n in enumerate([5, 6] * 6)
    ]
    html = render(p_chart(observations, direction=Direction.HIGHER_IS_BETTER))
    assert "50.0% (5 of 10)" in html
    assert "55.0%" in html


# The markup each point had when a template drew it (one include per point); the tag
# that replaced it must draw the same, escaping included.
_MARKER_TEMPLATE = (
    '{% if marker.href %}<a href="{{ marker.href }}" aria-label="{{ marker.label }}">'
    '{% endif %}<g class="app-spc-chart__marker app-spc-chart__marker--{{ marker.kind'
    ' }}">{% if not marker.href %}<title>{{ marker.label }}</title>{% endif %}\n'
    '{% if marker.shape == "square" %}<rect x="{{ marker.corner.0 }}" y="{{ marker.co'
    'rner.1 }}" width="12" height="12" fill="{% if marker.hollow %}#ffffff{% else %}{'
    '{ marker.colour }}{% endif %}" stroke="{{ marker.colour }}" stroke-width="2"></r'
    "ect>\n"
    '{% elif marker.shape == "diamond" %}<polygon points="{{ marker.diamond }}" fill='
    '"{% if marker.hollow %}#ffffff{% else %}{{ marker.colour }}{% endif %}" stroke="'
    '{{ marker.colour }}" stroke-width="2"></polygon>\n'
    '{% else %}<circle cx="{{ marker.x }}" cy="{{ marker.y }}" r="{% if marker.kind ='
    "= 'common' and not marker.hollow %}4{% else %}6{% endif %}\" fill=\"{% if marker.h"
    'ollow %}#ffffff{% else %}{{ marker.colour }}{% endif %}" stroke="{{ marker.colou'
    'r }}" stroke-width="{% if marker.hollow %}3{% else %}1{% endif %}"></circle>{% e'
    "ndif %}\n"
    "</g>{% if marker.href %}</a>{% endif %}\n"
    "\n"
)


@pytest.mark.parametrize("shape", ["circle", "square", "diamond"])
@pytest.mark.parametrize("href", [None, "/board/x/2026-01/?a=1&b=2"])
@pytest.mark.parametrize("hollow", [False, True])
@pytest.mark.parametrize("kind", ["common", "concern"])
def test_a_marker_is_drawn_as_the_template_drew_it(shape, href, hollow, kind):
    marker = Marker(
        x=12.5,
        y=40.0,
        kind=kind,
        shape=shape,
        colour="#f47738",
        hollow=hollow,
        label='January 2026: 40% <b>"x"</b>',
        href=href,
    )
    before = Template(_MARKER_TEMPLATE).render(Context({"marker": marker}))
    after = Template("{% load governance_charts %}{% spc_marker marker %}").render(
        Context({"marker": marker})
    )
    assert " ".join(after.split()) == " ".join(before.split())
    assert "<b>" not in after


# Kept markup: the same chart, title, links and format give the same markup, read from the
# copy; anything the chart shows changing is a new copy.


def render_fresh(chart, title="Visits on time", links=None) -> str:
    """The partial rendered straight from the figure, as the tag did before it kept any."""
    from django.template.loader import get_template

    figure = spc_figure(chart, title=title, description="Monthly figures.", links=links)
    return get_template("governance/partials/spc_chart.html").render(
        {"figure": figure, "heading_level": 3, "folded": False}
    )


@pytest.fixture
def kept():
    from governance.templatetags import governance_charts

    governance_charts._kept.clear()
    yield governance_charts._kept
    governance_charts._kept.clear()


def test_a_kept_chart_is_the_markup_rendered_afresh(kept):
    links = LinkEach(lambda period: f"/board/m/{period:%Y-%m}/")
    first = render(steady_chart(), links=links)
    assert len(kept) == 1
    again = render(steady_chart(), links=links)
    assert len(kept) == 1
    assert first == again == render_fresh(steady_chart(), links=links)


def test_what_a_chart_shows_is_part_of_its_key(kept):
    base = render(steady_chart())
    other_value = render(steady_chart(last=41.0))
    other_title = render(steady_chart(), title="Visits <late>")
    linked = render(steady_chart(), links=[f"/m/{i}/" for i in range(18)])
    relinked = render(steady_chart(), links=[f"/n/{i}/" for i in range(18)])
    assert len(kept) == 5
    assert ">41<" in other_value
    assert ">41<" not in base
    assert "Visits &lt;late&gt;" in other_title
    assert 'href="/m/3/"' in linked
    assert 'href="/n/3/"' in relinked
    assert relinked == render_fresh(steady_chart(), links=[f"/n/{i}/" for i in range(18)])


def test_a_format_made_on_the_fly_is_never_kept(kept):
    from governance.templatetags.governance_charts import spc_chart

    for suffix in ("a", "b"):
        html = spc_chart(steady_chart(), "T", value_format=lambda v, s=suffix: f"{v:.0f}{s}")
        assert f">40{suffix}<" in html
    assert len(kept) == 0


def test_a_title_marked_safe_is_not_the_same_key_as_plain_text(kept):
    from django.utils.safestring import mark_safe

    plain = render(steady_chart(), title="Visits <b>late</b>")
    safe = render(steady_chart(), title=mark_safe("Visits <b>late</b>"))
    assert len(kept) == 2
    assert "Visits &lt;b&gt;late&lt;/b&gt;" in plain
    assert "Visits <b>late</b>" in safe
