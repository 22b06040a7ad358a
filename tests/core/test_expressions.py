"""core.expressions.BoundaryIndex: the period a date falls in, worked out by the database
as Python's bisect would, for any boundaries and any dates (and NULL before the first
boundary or for no date), on whichever database the suite runs."""

from __future__ import annotations

import bisect
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from core.expressions import BoundaryIndex
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2024, 1, 1)
DAYS = [FIRST + datetime.timedelta(days=n) for n in range(0, 800, 23)]


@pytest.fixture
def cases_opened_on_each_day():
    team = CaseFactory(opened_on=DAYS[0]).team
    for day in DAYS[1:]:
        CaseFactory(team=team, opened_on=day)
    return list(Case.objects.filter(team=team).values_list("pk", "opened_on"))


def expected(boundaries: list[datetime.date], day: datetime.date) -> int | None:
    index = bisect.bisect_right(boundaries, day) - 1
    return None if index < 0 else index


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.dates(min_value=datetime.date(2023, 11, 1), max_value=datetime.date(2026, 6, 1)),
        max_size=30,
        unique=True,
    ).map(sorted)
)
def test_each_row_falls_in_the_period_bisect_gives(cases_opened_on_each_day, boundaries):
    found = dict(
        Case.objects.filter(pk__in=[pk for pk, _ in cases_opened_on_each_day])
        .annotate(period=BoundaryIndex("opened_on", boundaries))
        .values_list("pk", "period")
    )
    for pk, day in cases_opened_on_each_day:
        assert found[pk] == expected(boundaries, day), (day, boundaries)


def test_a_day_is_in_the_month_it_falls_in_and_one_after_the_last_in_the_last(
    cases_opened_on_each_day,
):
    months = [datetime.date(2024, m, 1) for m in range(1, 13)]
    periods = dict(
        Case.objects.annotate(period=BoundaryIndex("opened_on", months)).values_list(
            "opened_on", "period"
        )
    )
    assert periods[datetime.date(2024, 1, 1)] == 0
    assert periods[datetime.date(2024, 1, 24)] == 0
    assert periods[datetime.date(2024, 2, 16)] == 1
    assert periods[datetime.date(2024, 12, 11)] == 11
    assert periods[datetime.date(2025, 1, 3)] == 11  # after the last boundary: the last


def test_no_boundaries_is_null_for_every_row(cases_opened_on_each_day):
    periods = Case.objects.annotate(period=BoundaryIndex("opened_on", [])).values_list(
        "period", flat=True
    )
    assert set(periods) == {None}


def test_a_row_with_no_date_is_in_no_period(cases_opened_on_each_day):
    still_open = CaseFactory(opened_on=DAYS[3], closed_on=None)
    period = (
        Case.objects.filter(pk=still_open.pk)
        .annotate(period=BoundaryIndex("closed_on", [DAYS[0], DAYS[5]]))
        .values_list("period", flat=True)
        .get()
    )
    assert period is None


def test_the_comparisons_are_nested_as_a_binary_search():
    months = [datetime.date(2024, 1, 1) + datetime.timedelta(days=31 * n) for n in range(24)]
    sql, params = (
        Case.objects.annotate(period=BoundaryIndex("opened_on", months))
        .values("period")
        .query.sql_with_params()
    )
    assert len(params) == 24  # each boundary once
    # Five levels deep for twenty-four months, not twenty-four.
    depth = max_depth = 0
    for word in sql.replace("(", " ").split():
        if word == "CASE":
            depth += 1
            max_depth = max(max_depth, depth)
        elif word == "END":
            depth -= 1
    assert max_depth == 5
