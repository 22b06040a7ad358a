"""The Journey of the Child and Adopter report: every figure counted from a small known
set of records, with ones just outside the period and ones of another organisation left
out; a zero-data organisation; JSON round-trip; bounded queries; progress."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from feedback.models.complaints import ComplaintStage
from governance.models import PlanAction
from governance.report_builders import JOURNEY, period_for
from governance.report_builders.journey import build
from governance.report_content import Content
from tests import factories as f

D = datetime.date
TODAY = D(2027, 4, 1)
PERIOD = period_for(JOURNEY, TODAY)  # October 2026 to March 2027


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def org():
    organisation = f.OrganisationFactory(name="Council A")
    team = f.TeamFactory(service__organisation=organisation, organisation=organisation)
    other = f.OrganisationFactory()
    other_team = f.TeamFactory(service__organisation=other, organisation=other)
    # a) feedback: two in the period about looked-after children (one negative), one
    # about an adopter at stage two; one the day before the period; one of another org.
    case = f.CaseFactory(team=team, opened_on=D(2026, 1, 1))
    f.FeedbackFactory(case=case, received_on=D(2026, 10, 1), journey_stage="looked_after", rating=5)
    f.FeedbackFactory(
        case=case, received_on=D(2027, 3, 31), journey_stage="looked_after", sentiment="negative"
    )
    f.FeedbackFactory(
        case=case, received_on=D(2026, 12, 5), journey_stage="stage_two", source="adopter"
    )
    f.FeedbackFactory(case=case, received_on=D(2026, 9, 30), journey_stage="looked_after")
    f.FeedbackFactory(case__team=other_team, received_on=D(2026, 11, 1))
    # c) audits: good in November, inadequate in December; one in September; another org's.
    for day, grade in [
        (D(2026, 11, 3), "good"),
        (D(2026, 12, 3), "inadequate"),
        (D(2026, 9, 3), "good"),
    ]:
        f.GradedAuditFactory(case=case, submitted_at=at(day), overall_grade=grade, due_on=day)
    f.GradedAuditFactory(
        case__team=other_team, submitted_at=at(D(2026, 11, 3)), due_on=D(2026, 11, 3)
    )
    # d) a complaint answered on time, another org's, and a compliment.
    complaint = f.ComplaintFactory(case=case, received_on=D(2026, 11, 2))
    ComplaintStage.objects.filter(complaint=complaint).update(responded_on=D(2026, 11, 6))
    f.ComplaintFactory(case__team=other_team, received_on=D(2026, 11, 2))
    f.ComplimentFactory(worker__team=team, received_on=D(2027, 1, 15))
    # f, g) a review with one recommendation done in the period; an open overdue action.
    priority = f.PriorityFactory(organisation=organisation, title="Care planning")
    review = f.ExternalReviewFactory(organisation=organisation, reported_on=D(2026, 12, 1))
    f.PlanActionFactory(
        organisation=organisation,
        priority=priority,
        review=review,
        source=PlanAction.Source.INSPECTION,
        raised_on=D(2026, 12, 1),
        due_on=D(2027, 1, 31),
        status=PlanAction.Status.COMPLETED,
        completed_on=D(2027, 1, 10),
    )
    f.PlanActionFactory(organisation=organisation, priority=priority, due_on=D(2027, 2, 1))
    f.PlanActionFactory(organisation=other, due_on=D(2027, 2, 1))
    # h) one issue raised in the period and open; one raised before, put right in it.
    rule = f.DataQualityRuleFactory(name="Ethnicity recorded")
    f.DataQualityIssueFactory(case=case, rule=rule, raised_on=D(2026, 12, 1))
    f.DataQualityIssueFactory(
        case=f.CaseFactory(team=team),
        rule=rule,
        raised_on=D(2026, 8, 1),
        status="resolved",
        closed_on=D(2026, 10, 15),
    )
    return organisation


def _build(org, **kwargs):
    with time_machine.travel(at(TODAY), tick=False):
        return build(org, PERIOD, **kwargs)


def _section(content: Content, key: str):
    return next(s for s in content.sections if s.key == key)


@pytest.mark.django_db
def test_views_count_feedback_by_stage_and_who(org):
    views = _section(_build(org), "views")
    assert views.question.startswith("a) ")
    assert [(fig.label, fig.value) for fig in views.figures][:2] == [
        ("Feedback received", 3),
        ("Positive feedback", 67),
    ]
    stages = views.tables[0]
    assert stages.rows == [["Looked after", 2, 1, 0, 1, 50], ["Stage two", 1, 1, 0, 0, 100]]
    assert "journey_stage=looked_after" in stages.row_urls[0]
    assert "since=2026-10-01" in stages.row_urls[0]
    assert "until=2027-03-31" in stages.row_urls[0]
    assert views.tables[2].rows[0] == ["Really happy", 1]
    assert views.summary[0] == (
        "3 pieces of feedback were received in October 2026 to March 2027; 67% (2 of 3) were "
        "positive."
    )


@pytest.mark.django_db
def test_audits_by_month_and_type(org):
    audits = _section(_build(org), "audits")
    months = audits.tables[0]
    assert len(months.rows) == 6
    assert months.rows[1] == ["November 2026", 1, 1, 100]
    assert months.rows[2] == ["December 2026", 1, 0, 0]
    assert months.rows[0] == ["October 2026", 0, 0, None]
    assert months.row_urls[1].endswith("/board/audit-grades/2026-11/")
    assert audits.tables[1].rows == [["Regular case audit", 2, 1, 50]]
    assert "submitted_from=2026-10-01" in audits.tables[1].row_urls[0]
    assert audits.summary[0] == (
        "2 audits were graded in October 2026 to March 2027; 50% (1 of 2) were good or better."
    )
    assert audits.summary[-1] == "No supervision audits were graded in the period."


@pytest.mark.django_db
def test_complaints_timeliness_and_compliments(org):
    section = _section(_build(org), "complaints")
    assert [fig.value for fig in section.figures] == [1, 0, 1]
    assert section.tables[0].rows[0] == ["Stage 1: local resolution", 1, 1, 0, 0, 0, 100]
    assert section.tables[0].rows[1][1] == 0


@pytest.mark.django_db
def test_reviews_actions_and_data_quality(org):
    content = _build(org)
    review = _section(content, "inspections").tables[0]
    assert len(review.rows) == 1
    assert review.rows[0][1:] == ["Ofsted inspection", "01 December 2026", 1, 1, 0]
    actions = _section(content, "actions").tables[0]
    assert actions.rows == [["Care planning", 2, 1, 0, 1, 1]]
    issues = _section(content, "data_quality").tables[0]
    assert issues.rows == [["Ethnicity recorded", 1, 1, 0, 1]]
    assert "rule=" in issues.row_urls[0]


@pytest.mark.django_db
def test_no_names_or_references_in_content(org):
    text = json.dumps(_build(org).to_json())
    from cases.models import Child

    for child in Child.objects.all():
        assert child.family_name not in text
        assert child.reference not in text


@pytest.mark.django_db
def test_an_organisation_with_nothing_builds_and_round_trips():
    empty = f.OrganisationFactory()
    calls = []
    content = _build(empty, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 8) for n in range(1, 9)]
    assert _section(content, "views").summary[0] == (
        "No feedback was recorded in October 2026 to March 2027."
    )
    assert _section(content, "audits").figures[0].value == 0
    assert Content.from_json(json.loads(json.dumps(content.to_json()))) == content


@pytest.mark.django_db
def test_queries_do_not_grow_with_records(org, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        _build(org)
