"""The annual report: journey's sections over the financial year, and this year against
the year before checked with hand-worked figures."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from governance.report_builders import ANNUAL, period_for
from governance.report_builders.annual import build
from governance.report_content import Content
from tests import factories as f

D = datetime.date
TODAY = D(2027, 4, 1)
PERIOD = period_for(ANNUAL, TODAY)  # April 2026 to March 2027


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def org():
    organisation = f.OrganisationFactory()
    team = f.TeamFactory(service__organisation=organisation, organisation=organisation)
    case = f.CaseFactory(team=team, opened_on=D(2025, 1, 1))
    # This year: 3 of 4 good or better; the year before: 1 of 2; one before that.
    grades = [
        (D(2026, 4, 1), "good"),
        (D(2026, 9, 1), "outstanding"),
        (D(2027, 3, 31), "good"),
        (D(2026, 6, 1), "requires_improvement"),
        (D(2025, 4, 1), "good"),
        (D(2026, 3, 31), "inadequate"),
        (D(2025, 3, 31), "good"),
    ]
    for day, grade in grades:
        f.GradedAuditFactory(case=case, submitted_at=at(day), overall_grade=grade, due_on=day)
    f.ComplimentFactory(worker__team=team, received_on=D(2026, 5, 1))
    f.ComplimentFactory(worker__team=team, received_on=D(2025, 5, 1))
    f.ComplimentFactory(worker__team=team, received_on=D(2025, 6, 1))
    return organisation


def _build(org, **kwargs):
    with time_machine.travel(at(TODAY), tick=False):
        return build(org, PERIOD, **kwargs)


@pytest.mark.django_db
def test_sections_run_over_the_financial_year(org):
    content = _build(org)
    assert content.title == "Annual report"
    assert PERIOD.label == "April 2026 to March 2027"
    audits = next(s for s in content.sections if s.key == "audits")
    assert len(audits.tables[0].rows) == 12
    assert audits.figures[0].value == 4
    assert audits.figures[1].value == 75


@pytest.mark.django_db
def test_year_on_year_compares_key_figures(org):
    section = _build(org).sections[-1]
    assert section.key == "year_on_year"
    table = section.tables[0]
    assert table.columns == [
        "Figure",
        "April 2026 to March 2027",
        "April 2025 to March 2026",
        "Change",
    ]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Audits graded good or better"] == ["75% (3 of 4)", "50% (1 of 2)", "up from 50%"]
    assert rows["Compliments received"] == ["1", "2", "down from 2"]
    assert rows["Observations graded good or better"] == ["none to count", "none to count", ""]
    assert "Audits graded good or better: 75%, up from 50%." in section.summary


@pytest.mark.django_db
def test_progress_covers_every_section_and_json_round_trips(org):
    calls = []
    content = _build(org, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (9, 9)
    assert len(calls) == 9
    assert Content.from_json(json.loads(json.dumps(content.to_json()))) == content


@pytest.mark.django_db
def test_nothing_recorded_builds():
    content = _build(f.OrganisationFactory())
    assert content.sections[-1].summary == [
        "There were no shares to compare between the two years."
    ]


@pytest.mark.django_db
def test_queries_are_bounded(org, django_assert_max_num_queries):
    with django_assert_max_num_queries(50):
        _build(org)
