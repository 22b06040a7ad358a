"""The draft self-evaluation: statements written from the year's figures against the
year before, each with evidence links; the plan's priorities as the plans."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from governance.models import PlanAction
from governance.report_builders import SELF_EVALUATION, period_for
from governance.report_builders.self_evaluation import build
from governance.report_content import Content
from tests import factories as f

D = datetime.date
TODAY = D(2027, 4, 1)
PERIOD = period_for(SELF_EVALUATION, TODAY)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def org():
    organisation = f.OrganisationFactory()
    team = f.TeamFactory(service__organisation=organisation, organisation=organisation)
    case = f.CaseFactory(team=team, opened_on=D(2025, 1, 1))
    for day, grade in [
        (D(2026, 5, 1), "good"),
        (D(2026, 6, 1), "good"),
        (D(2026, 7, 1), "inadequate"),
        (D(2026, 8, 1), "good"),
        (D(2025, 5, 1), "good"),
        (D(2025, 6, 1), "inadequate"),
    ]:
        f.GradedAuditFactory(case=case, submitted_at=at(day), overall_grade=grade, due_on=day)
    priority = f.PriorityFactory(organisation=organisation, title="Life story work")
    f.PlanActionFactory(
        organisation=organisation, priority=priority, due_on=D(2027, 3, 1), title="Train all teams"
    )
    f.PlanActionFactory(organisation=organisation, priority=priority, due_on=D(2027, 6, 30))
    f.PlanActionFactory(
        organisation=organisation,
        priority=priority,
        due_on=D(2027, 1, 1),
        status=PlanAction.Status.COMPLETED,
        completed_on=D(2027, 1, 1),
    )
    return organisation


def _build(org, **kwargs):
    with time_machine.travel(at(TODAY), tick=False):
        return build(org, PERIOD, **kwargs)


@pytest.mark.django_db
def test_three_questions_with_statements_and_evidence(org):
    content = _build(org)
    assert [s.title for s in content.sections] == [
        "What do we know about the quality and impact of social work practice?",
        "How do we know it?",
        "What are our plans for the next twelve months to maintain or improve practice?",
    ]
    quality = content.sections[0]
    assert quality.summary[0] == (
        "75% of audits were graded good or better, up from 50% the year before."
    )
    assert quality.summary[1] == "No supervision audits were graded this year."
    assert ("Audit grades on the board", "/board/audit-grades/") in quality.evidence
    assert all(url.startswith("/") for _, url in quality.evidence)
    assert (
        content.sections[1].summary[0] == "4 audits were graded this year across 1 types of audit."
    )


@pytest.mark.django_db
def test_plans_list_priorities_with_open_actions(org):
    plans = _build(org).sections[2]
    assert plans.tables[0].rows == [["Life story work", 2, 1, "01 March 2027"]]
    assert plans.tables[1].rows == [
        ["Life story work", "Train all teams", "01 March 2027"],
        ["Life story work", plans.tables[1].rows[1][1], "30 June 2027"],
    ]
    assert plans.summary[1] == (
        "Life story work: 2 open actions, 1 overdue, the next due 01 March 2027."
    )
    assert plans.evidence[0][0] == "Life story work"


@pytest.mark.django_db
def test_nothing_recorded_builds_and_round_trips():
    calls = []
    content = _build(f.OrganisationFactory(), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert content.sections[2].summary == ["The improvement plan has no priorities set yet."]
    assert Content.from_json(json.loads(json.dumps(content.to_json()))) == content


@pytest.mark.django_db
def test_queries_are_bounded(org, django_assert_max_num_queries):
    with django_assert_max_num_queries(45):
        _build(org)
