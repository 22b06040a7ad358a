"""The performance overview (each indicator's latest value at a glance, from the stored
values) and the trend charts, which mark the month still running instead of plotting it
as a fall."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from performance import selectors_indicators as selectors
from performance.indicators import CATALOGUE
from performance.models import Benchmark, IndicatorValue, Target

pytestmark = [pytest.mark.django_db]

TODAY = datetime.date(2026, 11, 20)
OCTOBER = datetime.date(2026, 10, 1)
SEPTEMBER = datetime.date(2026, 9, 1)
NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield TODAY


def _value(organisation, slug: str, month: datetime.date, value: float) -> None:
    IndicatorValue.objects.create(
        organisation=organisation,
        indicator=slug,
        level=IndicatorValue.Level.ORGANISATION,
        month=month,
        numerator=int(value),
        denominator=100,
        value=value,
    )


def _rereferrals(organisation) -> None:
    """Re-referrals (lower is better): 25% in September, 30% in October; a target of
    20% and an England benchmark of 22.4%, with older and other benchmarks besides."""
    _value(organisation, "re-referrals-12-months", SEPTEMBER, 25.0)
    _value(organisation, "re-referrals-12-months", OCTOBER, 30.0)
    Target.objects.create(
        organisation=organisation, indicator="re-referrals-12-months", value=20, starts_on=SEPTEMBER
    )
    for kind, period, value in (
        ("england", "2023-24", 21.0),
        ("england", "2024-25", 22.4),
        ("neighbours", "2024-25", 35.0),
    ):
        Benchmark.objects.create(
            organisation=organisation,
            indicator="re-referrals-12-months",
            kind=kind,
            period=period,
            value=value,
        )


def test_each_indicator_is_read_at_a_glance_from_its_stored_values(scenario, today):
    organisation = scenario.case.organisation
    _rereferrals(organisation)
    groups = selectors.overview(organisation, OCTOBER, user=scenario.people["qa"].user)
    rows = {row.indicator.slug: row for group in groups for row in group["rows"]}
    assert len(rows) == len(CATALOGUE)
    row = rows["re-referrals-12-months"]
    assert (row.value, row.arrow, row.direction, row.direction_label) == (
        "30.0%",
        "up",
        "worse",
        "Up, worse",
    )
    assert (row.target, row.target_label, row.target_colour) == ("20.0%", "Worse", "red")
    assert (row.benchmark.kind, row.benchmark.period, row.benchmark_value) == (
        "england",
        "2024-25",
        "22.4%",
    )
    assert (row.benchmark_label, row.benchmark_colour) == ("Worse", "red")
    unset = rows["referrals"]
    assert (unset.target, unset.benchmark, unset.direction_label) == ("", None, "Not known")


def test_an_indicator_with_no_better_direction_only_says_which_way_it_moved(scenario, today):
    organisation = scenario.case.organisation
    _value(organisation, "referrals", SEPTEMBER, 4)
    _value(organisation, "referrals", OCTOBER, 7)
    reader = scenario.people["qa"].user
    rows = selectors.overview(organisation, OCTOBER, user=reader)[0]["rows"]
    referrals = next(row for row in rows if row.indicator.slug == "referrals")
    assert (referrals.arrow, referrals.direction, referrals.direction_label) == ("up", "", "Up")


def test_the_overview_is_one_compact_table_with_a_row_per_indicator(client, scenario, today):
    _rereferrals(scenario.case.organisation)
    client.force_login(scenario.people["senior_leader"].user)
    response = client.get(reverse("performance:indicator_list"), {"month": "2026-10"})
    body = response.content.decode()
    assert body.count("<table") == 1
    links = re.findall(r'<th scope="row"[^>]*><a class="govuk-link" href="([^"?]+)', body)
    assert sorted(links) == sorted(
        reverse("performance:indicator_detail", args=[slug]) for slug in CATALOGUE
    )
    # The rest is a click away: no definitions, and no grey "No target" tag on every row.
    assert CATALOGUE["referrals"].definition not in body
    assert "govuk-tag--grey" not in body
    row = body[body.index("Re-referrals within 12 months") :][:1200]
    assert "30.0%" in row
    assert "Up, worse" in row
    assert "target 20.0%" in row
    assert "England 22.4%" in row
    counts = response.context["counts"]
    assert (counts["with_target"], counts["on_target"], counts["off_target"]) == (1, 0, 1)
    assert (counts["with_benchmark"], counts["worse_than_benchmark"]) == (1, 1)


@pytest.mark.parametrize("extra", [0, 40])
def test_the_overview_reads_a_fixed_number_of_queries(
    client, scenario, today, extra, django_assert_max_num_queries
):
    organisation = scenario.case.organisation
    _rereferrals(organisation)
    others = [slug for slug in CATALOGUE if slug != "re-referrals-12-months"]
    for n, slug in enumerate(others[:extra]):
        _value(organisation, slug, OCTOBER, float(n))
        Target.objects.create(organisation=organisation, indicator=slug, value=1, starts_on=OCTOBER)
        Benchmark.objects.create(
            organisation=organisation, indicator=slug, kind="region", period="2024-25", value=2
        )
    client.force_login(scenario.people["qa"].user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("performance:indicator_list"), {"month": "2026-10"})
    assert response.status_code == 200


# Trend charts: the month still running.


def _point(month: datetime.date, value: float, partial: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        month=month, value=value, value_label=f"{value:g}", target=None, partial=partial
    )


def _chart(points: list[SimpleNamespace]) -> str:
    template = Template(
        "{% load performance_charts %}{% line_chart 'Visits' 'By month.' points 'visits' %}"
    )
    return template.render(Context({"points": points}))


def test_the_chart_draws_the_month_to_date_dashed_and_hollow_apart_from_the_line():
    svg = _chart([_point(SEPTEMBER, 40), _point(OCTOBER, 42), _point(NOVEMBER, 9, partial=True)])
    solid = re.findall(r'<polyline points="([^"]+)" fill="none" stroke="#1d70b8"', svg)
    assert len(solid) == 1
    assert len(solid[0].split()) == 2
    assert re.search(r'class="app-line-chart__partial" points="[^"]+"[^>]*stroke-dasharray', svg)
    assert re.search(r'<circle class="app-line-chart__partial"[^>]*fill="#ffffff"', svg)
    assert svg.count('fill="#1d70b8"></circle>') == 2
    assert "Month to date</text>" in svg
    assert "Nov 2026 (month to date): 9" in svg
    assert "this month so far, not yet complete" in svg


def test_a_chart_of_complete_months_has_no_month_to_date_mark():
    svg = _chart([_point(SEPTEMBER, 40), _point(OCTOBER, 42)])
    assert "app-line-chart__partial" not in svg
    assert "month to date" not in svg.lower()


def test_the_indicator_page_marks_this_month_as_month_to_date(client, scenario, today):
    organisation = scenario.case.organisation
    _value(organisation, "referrals", OCTOBER, 12)
    _value(organisation, "referrals", NOVEMBER, 3)
    client.force_login(scenario.people["qa"].user)
    response = client.get(reverse("performance:indicator_detail", args=["referrals"]))
    body = response.content.decode()
    assert "November 2026 (month to date)</a>" in body
    assert "October 2026 (month to date)" not in body
    assert 'class="app-line-chart__partial"' in body
    current = [row for row in response.context["rows"] if row["partial"]]
    assert [row["month"] for row in current] == [NOVEMBER]
